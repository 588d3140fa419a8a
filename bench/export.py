"""Export N signers as CSV and print rows/s and peak Python memory.

Constant memory means the peak does not grow with N: run it with two sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_bench \
        .venv/bin/python bench/export.py --rows 200000
"""

import argparse
import time
import tracemalloc

from _django import setup


def seed(rows: int):
    from django.core.management import call_command
    from django.utils import timezone

    from altavoz.campaigns.models import Campaign, Person, Signature

    call_command("migrate", verbosity=0)
    call_command("loaddemo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    campaign = Campaign.objects.get(slug="miami-287g")
    Signature.objects.filter(campaign=campaign).delete()
    Person.objects.filter(organisation=campaign.organisation).delete()
    areas = list(campaign.target_set.areas.all())
    now = timezone.now()
    batch = 5000
    for start in range(0, rows, batch):
        people = Person.objects.bulk_create(
            Person(
                organisation=campaign.organisation,
                email=f"bench{n}@example.com",
                first_name=f"First{n}",
                last_name=f"Last{n}",
                street_address=f"{n} Main St",
                zip_code="33133",
            )
            for n in range(start, min(start + batch, rows))
        )
        Signature.objects.bulk_create(
            Signature(
                campaign=campaign,
                person=p,
                area=areas[i % len(areas)],
                letter_body="x",
                confirmed_at=now,
            )
            for i, p in enumerate(people)
        )
    return campaign


def measure(campaign) -> tuple[int, float, int]:
    from altavoz.organising.exports import SignerFilter, csv_lines

    tracemalloc.start()
    started = time.perf_counter()
    count = sum(1 for _ in csv_lines(campaign, SignerFilter())) - 1
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    setup()
    from django.db import connection

    for rows in (args.rows // 10, args.rows):
        campaign = seed(rows)
        count, elapsed, peak = measure(campaign)
        print(
            f"{connection.vendor}: exported {count} rows in {elapsed:.2f}s "
            f"({count / elapsed:,.0f} rows/s), peak Python memory {peak / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
