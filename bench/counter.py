"""The signature count at a million signatures: the shares' sum against a COUNT.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_counter \\
        .venv/bin/python bench/counter.py [--signatures 1000000]

Fills the demo campaign with --signatures signatures (one person each, written by SQL in
batches of 100,000, each through the signature table's counting trigger, as the site writes
them), then times, a few times each: the count as the page reads it
(``selectors.signature_count``: the sum of at most 16 shares) and the COUNT over the
signatures that it replaced. Both must give the same number. PostgreSQL only.
"""

import argparse
import os
import statistics
import time

import _server

BATCH = 100_000

FILL = """
WITH people AS (
  INSERT INTO campaigns_person (id, organisation_id, email, first_name, last_name,
    street_address, zip_code, consent_updates, created_at, updated_at)
  SELECT gen_random_uuid(), %(organisation)s, 'counter-' || n || '@example.org', 'Ana',
    'Example', '1 NW 1st St', '33128', false, now(), now()
  FROM generate_series(%(first)s, %(last)s) AS n
  RETURNING id
)
INSERT INTO campaigns_signature (id, campaign_id, person_id, first_name, last_name,
  street_address, zip_code, district_verified, consent_updates, revision, letter_body,
  language, source, is_public, ip_hash, outside_place, confirmed_at, created_at, updated_at)
SELECT gen_random_uuid(), %(campaign)s, id, 'Ana', 'Example', '1 NW 1st St', '33128', false,
  false, 0, 'No.', 'en', '', true, '', '', now(), now(), now()
FROM people
"""


def timed(read, times: int = 5) -> tuple[float, int]:
    """The median seconds of ``read()`` and what it gave."""
    took, value = [], None
    for _ in range(times):
        started = time.perf_counter()
        value = read()
        took.append(time.perf_counter() - started)
    return statistics.median(took), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=1_000_000)
    args = parser.parse_args()
    env = _server.bench_env()
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/counter.py needs DATABASE_URL=postgres://...")
    _server.prepare_database(env)
    os.environ.update(env)
    import _django

    _django.setup()
    from django.db import connection

    from altavoz.campaigns.models import Campaign
    from altavoz.campaigns.selectors import counted_signatures, signature_count

    campaign = Campaign.objects.get(slug="miami-287g")
    have = signature_count(campaign)
    started = time.perf_counter()
    for first in range(have, args.signatures, BATCH):
        last = min(first + BATCH, args.signatures) - 1
        params = {"organisation": campaign.organisation_id, "campaign": campaign.pk,
                  "first": first, "last": last}  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(FILL, params)
        print(f"  {last + 1:,} signatures", flush=True)
    if args.signatures > have:
        print(f"filled in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE campaigns_signature")
    shares, total = timed(lambda: signature_count(campaign))
    counting, counted = timed(lambda: counted_signatures(campaign).count())
    load = os.getloadavg()
    print(f"{counted:,} signatures counted; load average {load[0]:.2f}")
    print(f"the shares' sum (selectors.signature_count): {1000 * shares:.2f} ms -> {total:,}")
    print(f"COUNT over the signatures:                   {1000 * counting:.2f} ms -> {counted:,}")
    if total != counted:
        raise SystemExit("the shares' sum and the COUNT differ")


if __name__ == "__main__":
    main()
