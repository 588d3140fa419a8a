"""Bulk matching speed: `altavoz lookup --csv IN.csv -o OUT.csv` with the address-points
geocoder, rows per second and peak memory.

    .venv/bin/python bench/bulk_lookup.py [--rows 100000] [--cache none|memory]

Builds a fresh SQLite database in a temporary folder, loads the demo (the shipped City of
Miami, Miami-Dade and municipal maps, the roster), writes a CSV of ``--rows`` rows (name,
address, zip) cycling through the 435 Miami-Dade address points, and matches it with the
command, every row through the whole path: the address parsed (usaddress), geocoded by the
offline address points, then located in each of the three maps, officials named. With
``--cache none`` (the default) the geocode cache is off, so every row is geocoded as a new
address would be; ``--cache memory`` keeps the process's cache (repeated addresses hit it).
Peak memory is the process's peak RSS: it stays flat as --rows grows (the command streams).
"""

import argparse
import csv
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = ROOT / "src/altavoz/data/miami/miami_dade_schools_address_points_2015.csv"


def environment(folder: str, cache: str) -> None:
    os.environ.update(
        ALTAVOZ_VAR_DIR=folder,
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        ALTAVOZ_DEMO="1",
        GEOCODERS="address_points",
        GEOCODER_ADDRESS_POINTS_FILE=str(SCHOOLS),
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
    import django
    from django.conf import settings

    django.setup()
    if cache == "none":
        settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def write_input(path: Path, rows: int) -> None:
    with SCHOOLS.open(newline="") as handle:
        points = [(r["address"], r["zip"]) for r in csv.DictReader(handle)]
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "address", "zip"])
        for n in range(rows):
            writer.writerow([f"member {n}", *points[n % len(points)]])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cache", choices=["none", "memory"], default="none")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        environment(folder, args.cache)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("loaddemo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        source, target = Path(folder) / "in.csv", Path(folder) / "out.csv"
        write_input(source, args.rows)
        print(f"python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
        print(f"{args.rows:,} rows, geocode cache: {args.cache}")
        started = time.perf_counter()
        call_command("lookup", "--csv", str(source), "-o", str(target))
        elapsed = time.perf_counter() - started
        with target.open(newline="") as handle:
            written = sum(1 for _ in csv.DictReader(handle))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"wall {elapsed:.1f} s: {written / elapsed:,.0f} rows/s; peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
