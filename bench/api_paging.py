"""Paging through an organisation's people with the OSDI API, as a syncing client does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_api_bench \\
        .venv/bin/python bench/api_paging.py [--people 100000] [--per-page 100]

Fills the demo organisation with --people people (SQL, in batches), makes a read key,
starts the real server (`altavoz-web`, one worker process) and follows the ``next`` links
of ``/api/v1/people/`` from the first page to the last on one kept-alive connection. Prints
people/s and the server worker's resident memory along the way: it must stay flat (each
page reads only its own rows). PostgreSQL only.
"""

import argparse
import http.client
import json
import os
import socket
import time
from urllib.parse import urlsplit

import _server

BATCH = 50_000
FILL = """
INSERT INTO campaigns_person (id, organisation_id, email, first_name, last_name,
  street_address, zip_code, consent_updates, created_at, updated_at)
SELECT gen_random_uuid(), %(organisation)s, 'paging-' || n || '@example.org', 'Ana',
  'Example', '1 NW 1st St', '33128', n %% 2 = 0,
  now() - make_interval(secs => %(last)s - n), now() - make_interval(secs => %(last)s - n)
FROM generate_series(%(first)s, %(last)s) AS n
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fill(people: int):
    from django.db import connection

    from altavoz.api import keys
    from altavoz.campaigns.models import Organisation, Person

    organisation = Organisation.objects.get(slug="altavoz-demo")
    have = Person.objects.filter(organisation=organisation).count()
    for first in range(have, people, BATCH):
        last = min(first + BATCH, people) - 1
        with connection.cursor() as cursor:
            cursor.execute(FILL, {"organisation": organisation.pk, "first": first, "last": last})
        print(f"  {last + 1:,} people", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE campaigns_person")
    return keys.apikey_create(organisation=organisation, name="bench", scope="read")[1]


def page_through(url: str, token: str, per_page: int, server_pid: int) -> None:
    parts = urlsplit(url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    path = f"/api/v1/people/?per_page={per_page}"
    seen, pages, memory = 0, 0, []
    started = time.perf_counter()
    while path:
        client.request("GET", path, headers={"OSDI-API-Token": token})
        answer = client.getresponse()
        body = json.loads(answer.read())
        if answer.status != 200:
            raise SystemExit(f"{answer.status}: {body}")
        seen += len(body["_embedded"]["osdi:people"])
        pages += 1
        following = body["_links"].get("next", {}).get("href")
        path = urlsplit(following).path + "?" + urlsplit(following).query if following else ""
        if pages % 100 == 1:
            worker = max(_server.web_processes_rss(server_pid)[1:], key=lambda row: row[1])
            memory.append((pages, worker[1]))
    took = time.perf_counter() - started
    worker = max(_server.web_processes_rss(server_pid)[1:], key=lambda row: row[1])
    memory.append((pages, worker[1]))
    print(f"{seen:,} people in {pages:,} pages of {per_page} in {took:.1f}s: "
          f"{seen / took:,.0f} people/s, {1000 * took / pages:.1f} ms per page")  # fmt: skip
    print("server worker RSS (MiB) by page: "
          + ", ".join(f"{page}: {rss:.0f}" for page, rss in memory))  # fmt: skip
    print(f"peak RSS of the worker: {worker[2]:.0f} MiB; load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--per-page", type=int, default=100)
    args = parser.parse_args()
    env = _server.bench_env(API_RATE_LIMIT=1_000_000)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/api_paging.py needs DATABASE_URL=postgres://...")
    _server.prepare_database(env)
    os.environ.update(env)
    import _django

    _django.setup()
    token = fill(args.people)
    with _server.running_server(env, port=free_port(), workers=1) as server:
        page_through(server.url, token, args.per_page, server.pid)


if __name__ == "__main__":
    main()
