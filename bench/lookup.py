"""Point-in-district lookups per second, single and batched, and the memory of the loaded sets.

    .venv/bin/python bench/lookup.py [--single 300000] [--batched 2000000]

Loads the shipped TIGER sets (Florida Senate, 40 districts; US House in Florida, 28) from
their zipped Shapefiles, builds the in-memory indexes the site uses (shapely 2 prepared
polygons behind the grid of altavoz.districts.boundaries.lookup), then times:
- single: one ``AreaIndex.locate(lon, lat)`` call per point, the page's path (with the
  near-boundary flag), over real Miami-Dade address points (the 435 schools) and random
  points in the county's extent;
- batched: ``AreaIndex.locate_many`` over numpy arrays (vectorised grid + intersects_xy).
Single-threaded: the numbers are per core. Results go in bench/RESULTS.md.
"""

import argparse
import csv
import os
import platform
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from altavoz.districts.boundaries.definition import definition_load  # noqa: E402
from altavoz.districts.boundaries.importer import districts_from_features  # noqa: E402
from altavoz.districts.boundaries.lookup import AreaIndex  # noqa: E402
from altavoz.districts.boundaries.readers import features_read  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = ROOT / "src/altavoz/data/miami/miami_dade_schools_address_points_2015.csv"
MIAMI_DADE = (-80.88, 25.13, -80.11, 25.98)


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def load(name: str) -> AreaIndex:
    definition = definition_load(name)
    features = features_read(definition.kind, definition.location)
    districts = districts_from_features(features, definition)
    return AreaIndex(list(districts), [d.geometry for d in districts.values()])


def points(count: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Half real address points (schools), half uniform in Miami-Dade's extent."""
    with SCHOOLS.open(newline="") as handle:
        rows = [(float(r["lon"]), float(r["lat"])) for r in csv.DictReader(handle)]
    rng = np.random.default_rng(seed)
    real = np.array(rows)[rng.integers(0, len(rows), count // 2)]
    minx, miny, maxx, maxy = MIAMI_DADE
    rest = count - len(real)
    uniform = np.column_stack([rng.uniform(minx, maxx, rest), rng.uniform(miny, maxy, rest)])
    both = np.vstack([real, uniform])
    rng.shuffle(both)
    return both[:, 0].copy(), both[:, 1].copy()


def time_single(index: AreaIndex, lons, lats) -> float:
    pairs = list(zip(lons.tolist(), lats.tolist(), strict=True))
    locate = index.locate
    start = time.perf_counter()
    for lon, lat in pairs:
        locate(lon, lat)
    return len(pairs) / (time.perf_counter() - start)


def time_batched(index: AreaIndex, lons, lats) -> float:
    start = time.perf_counter()
    index.locate_many(lons, lats)
    return len(lons) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--single", type=int, default=300_000)
    parser.add_argument("--batched", type=int, default=2_000_000)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    before = rss_mib()
    started = time.perf_counter()
    indexes = {name: load(name) for name in ("fl-senate", "us-congress-fl")}
    print(f"loaded 2 sets (68 districts, statewide) in {time.perf_counter() - started:.1f} s")
    print(f"memory of the loaded sets: {rss_mib() - before:.0f} MiB (RSS growth)")
    single_lons, single_lats = points(args.single)
    batch_lons, batch_lats = points(args.batched, seed=2)
    for name, index in indexes.items():
        single = time_single(index, single_lons, single_lats)
        batched = time_batched(index, batch_lons, batch_lats)
        print(f"{name}: single {single:,.0f} lookups/s, batched {batched:,.0f} lookups/s")


if __name__ == "__main__":
    main()
