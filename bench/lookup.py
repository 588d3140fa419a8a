"""Point-in-district lookups per second, single and batched, and the memory of the loaded sets.

    .venv/bin/python bench/lookup.py [--single 300000] [--batched 2000000]

Loads the shipped sets from their files: the City of Miami Commission Districts (5, the
official layer's zipped Shapefile, reprojected from Web Mercator), the Miami-Dade County
Commission Districts (13) and the TIGER sets (Florida Senate, 40 districts; US House in
Florida, 28); builds the in-memory indexes the site uses (shapely 2 prepared polygons behind
the grid of altavoz.districts.boundaries.area_index), then times, per set:
- single: one ``AreaIndex.locate(lon, lat)`` call per point, the page's path (with the
  near-boundary flag), over real Miami-Dade address points (the 435 schools) and random
  points in the set's own extent (for the city: within the city's bounding box);
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

from altavoz.districts.boundaries.area_index import AreaIndex, number_order  # noqa: E402
from altavoz.districts.boundaries.definition import definition_load  # noqa: E402
from altavoz.districts.boundaries.importer import districts_from_features  # noqa: E402
from altavoz.districts.boundaries.readers import features_read  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = ROOT / "src/altavoz/data/miami/miami_dade_schools_address_points_2015.csv"
MIAMI_DADE = (-80.88, 25.13, -80.11, 25.98)


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


SETS = ("miami-commission", "miami-dade-commission", "fl-senate", "us-congress-fl")


def load(name: str) -> AreaIndex:
    definition = definition_load(name)
    features = features_read(definition.kind, definition.location)
    districts = districts_from_features(features, definition)
    numbers = sorted(districts, key=number_order)
    return AreaIndex(numbers, [districts[n].geometry for n in numbers])


def points(count: int, seed: int = 1, extent=MIAMI_DADE) -> tuple[np.ndarray, np.ndarray]:
    """Half real address points (schools), half uniform in the extent (Miami-Dade's)."""
    with SCHOOLS.open(newline="") as handle:
        rows = [(float(r["lon"]), float(r["lat"])) for r in csv.DictReader(handle)]
    rng = np.random.default_rng(seed)
    real = np.array(rows)[rng.integers(0, len(rows), count // 2)]
    minx, miny, maxx, maxy = extent
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
    indexes = {}
    for name in SETS:
        before, started = rss_mib(), time.perf_counter()
        indexes[name] = load(name)
        print(
            f"{name}: {len(indexes[name].keys)} districts loaded in "
            f"{time.perf_counter() - started:.2f} s, {rss_mib() - before:.0f} MiB (RSS growth)"
        )
    for name, index in indexes.items():
        extent = index.bounds if name == "miami-commission" else MIAMI_DADE
        single_lons, single_lats = points(args.single, extent=extent)
        batch_lons, batch_lats = points(args.batched, seed=2, extent=extent)
        single = time_single(index, single_lons, single_lats)
        batched = time_batched(index, batch_lons, batch_lats)
        print(f"{name}: single {single:,.0f} lookups/s, batched {batched:,.0f} lookups/s")


if __name__ == "__main__":
    main()
