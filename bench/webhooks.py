"""Webhook delivery from one worker to a local receiver.

    .venv/bin/python bench/webhooks.py [--events 5000] [--database-url postgres://...]

Writes --events ``signature.created`` events (each with a real signature's OSDI payload)
for one endpoint, starts a receiver on loopback (another process: a threading HTTP/1.1
server answering 204, keeping connections alive, as a real receiver does), then runs one
``altavoz worker --until-idle`` and times it until every message is sent. Prints events/s
and checks that the receiver got each webhook-id once.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import _server

RECEIVER = textwrap.dedent("""
    import sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    ids = open(sys.argv[2], "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            ids.write(self.headers["webhook-id"] + "\\n")
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
""")


def events_written(count: int, url: str) -> None:
    from django.db import transaction

    from altavoz.campaigns.models import Campaign
    from altavoz.campaigns.services import signature_create
    from altavoz.hooks import services
    from altavoz.hooks.models import Endpoint, Event, Message

    campaign = Campaign.objects.get(slug="miami-287g")
    Message.objects.all().delete()
    Event.objects.all().delete()
    Endpoint.objects.all().delete()
    services.endpoint_create(
        organisation=campaign.organisation, url=url, events=["signature.created"]
    )
    area = campaign.target_set.areas.get(number="2")
    stamp = int(time.time())
    with transaction.atomic():
        for n in range(count):
            signature_create(
                campaign=campaign, email=f"hook-{stamp}-{n}@example.org", first_name="Ana",
                last_name="Example", street_address="1 NW 1st St", zip_code="33128",
                letter_body="Vote no.", area=area,
            )  # fmt: skip
    from django_tasks_db.models import DBTaskResult

    from altavoz.delivery.models import Delivery

    Delivery.objects.all().delete()  # only the webhooks are measured: no letters,
    DBTaskResult.objects.all().delete()  # no wake-ups for them


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    env = _server.bench_env()
    _server.prepare_database(env)
    os.environ.update(env)
    import _django

    _django.setup()
    from altavoz.hooks.models import Message

    port = free_port()
    ids = Path(tempfile.mkdtemp(prefix="altavoz-hooks-")) / "ids.txt"
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, str(port), str(ids)])
    try:
        events_written(args.events, f"http://127.0.0.1:{port}/hook")
        print(f"{Message.objects.count():,} messages queued", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [_server.BIN / "altavoz", "worker", "--until-idle", "--interval", "0"],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        took = time.perf_counter() - started
    finally:
        receiver.terminate()
        receiver.wait()
    sent = Message.objects.filter(status="sent").count()
    received = ids.read_text().split()
    first, last = (Message.objects.order_by(f"{o}sent_at").values_list("sent_at", flat=True)[0]
                   for o in ("", "-"))  # fmt: skip
    steady = (last - first).total_seconds()
    print(f"steady (first to last recorded send): {sent / steady:,.0f} events/s")
    print(f"{sent:,} events sent by one worker in {took:.1f}s: {sent / took:,.0f} events/s "
          f"(worker start-up included); load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"receiver got {len(received):,} webhooks, {len(set(received)):,} distinct ids")
    if sent != args.events or len(set(received)) != args.events:
        raise SystemExit("not every event was sent exactly once")


if __name__ == "__main__":
    main()
