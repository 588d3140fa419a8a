"""The signature count at a million signatures: the shares' sum against a COUNT.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_counter \\
        .venv/bin/python bench/counter.py [--signatures 1000000]

Fills the demo campaign with --signatures signatures (one person each, written by SQL in
batches of 100,000 with the counting trigger off, then counted into the shares in one
statement: filling through the trigger takes half an hour on a busy 2-core machine, and
what is timed here is reading), then times, a few times each: the count as the page reads it
(``selectors.signature_count``: the sum of its few shares) and the COUNT over the
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

SHARE_ZERO = """INSERT INTO campaigns_signaturecount (campaign_id, shard, signatures)
VALUES (%s, 0, 0) ON CONFLICT (campaign_id, shard) DO NOTHING"""
# The shares made exact again after a fill without the trigger (share 0 takes the rest).
RECOUNT = """
UPDATE campaigns_signaturecount SET signatures = (
  SELECT count(*) FROM campaigns_signature WHERE campaign_id = %s AND confirmed_at IS NOT NULL
) - (SELECT coalesce(sum(signatures), 0) FROM campaigns_signaturecount
     WHERE campaign_id = %s AND shard <> 0)
WHERE campaign_id = %s AND shard = 0
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
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE campaigns_signature DISABLE TRIGGER signature_counted")
    with connection.cursor() as cursor:  # the numbers of the people made by earlier runs
        cursor.execute("SELECT count(*) FROM campaigns_person WHERE email LIKE 'counter-%%'")
        made = cursor.fetchone()[0]
    for first in range(made, made + args.signatures - have, BATCH):
        last = min(first + BATCH, made + args.signatures - have) - 1
        params = {"organisation": campaign.organisation_id, "campaign": campaign.pk,
                  "first": first, "last": last}  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(FILL, params)
        print(f"  {have + last + 1 - made:,} signatures", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE campaigns_signature ENABLE TRIGGER signature_counted")
        cursor.execute(SHARE_ZERO, [campaign.pk])
        cursor.execute(RECOUNT, [campaign.pk, campaign.pk, campaign.pk])
    if args.signatures > have:
        print(f"filled in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE campaigns_signature")
        cursor.execute("VACUUM ANALYZE campaigns_signaturecount")  # as autovacuum would
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
