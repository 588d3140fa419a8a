"""Benchmark: one `altavoz worker` drains N queued deliveries into a local aiosmtpd sink.

    .venv/bin/python bench/delivery.py [--count 10000] [--database-url URL] [--no-notices]
        [--webhook] [--profile 30]

Prints letters and emails per second (a letter is also confirmed to its supporter, so each
letter is two emails unless --no-notices) and the worker's peak memory (max RSS).
Default database: a fresh SQLite file in a temporary folder. For PostgreSQL pass a
database's URL, e.g. postgres://postgres@127.0.0.1:5432/altavoz_bench: it is created if
missing, and an earlier run's benchmark supporters are deleted before seeding.
``--webhook`` gives the organisation a webhook endpoint that asks for ``delivery.sent``, kept
disabled: each letter then writes its event and message, which wait and are never sent.
``--profile N`` runs the worker under cProfile and prints the N functions with the most time
of their own, and the N with the most time inside them: its main thread only (a pipelined
channel sends on a thread of its own), and the profiler's own cost makes that run's CPU higher.
"""

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import _server
from aiosmtpd.controller import Controller

SMTP_PORT = 2535
SEED = """
from django.utils import timezone
from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.delivery.models import Delivery
from altavoz.districts.models import Official

campaign = Campaign.objects.get(slug="miami-287g")
campaign.is_demo = False
campaign.save()
officials = list(Official.objects.current().filter(post__role="Commissioner"))
for official in officials:
    official.email = "commissioner%s@city.example" % official.post.area.number
    official.save()
# An earlier run's supporters (and with them their signatures and letters) make way.
earlier = Person.objects.filter(email__regex=r"^bench[0-9]+@example[.]com$")
earlier.filter(organisation=campaign.organisation).delete()
people = Person.objects.bulk_create(
    Person(organisation=campaign.organisation, email="bench%d@example.com" % n,
           first_name="Ana", last_name="Diaz%d" % n, street_address="1 Main St",
           zip_code="33130")
    for n in range(COUNT)
)
signatures = Signature.objects.bulk_create(
    Signature(campaign=campaign, person=p, area=officials[n % len(officials)].post.area,
              letter_body=campaign.letter_body)
    for n, p in enumerate(people)
)
now = timezone.now()
Delivery.objects.bulk_create(
    Delivery(signature=s, official=officials[n % len(officials)], next_attempt_at=now)
    for n, s in enumerate(signatures)
)
if WEBHOOK:
    from altavoz.hooks.models import Endpoint
    Endpoint.objects.get_or_create(
        organisation=campaign.organisation, url="https://crm.example.org/hook",
        defaults={"events": ["delivery.sent"], "disabled_at": now, "secret": "bench"},
    )
print(Delivery.objects.filter(status="queued").count())
"""


class Sink:
    """Counts messages and notes when the first and the last arrived."""

    def __init__(self):
        self.count = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        with self.lock:
            self.count += 1
            self.first = self.first or now
            self.last = now
        return "250 OK"


def altavoz(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "altavoz", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def run_worker(env: dict, profile: Path | None = None) -> tuple[float, float, int]:
    """Run the worker until nothing is due (under cProfile, writing to ``profile``, when
    given); return its wall time, CPU time (user + system) and peak RSS in KiB."""
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, *profiler, "-m", "altavoz", "worker", "--until-idle", "-v", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(worker.pid, 0)
    worker.returncode = os.waitstatus_to_exitcode(status)
    if worker.returncode:
        raise SystemExit(f"worker failed with exit code {worker.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, cpu, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--no-notices", "--no-confirmations", dest="no_notices", action="store_true"
    )
    parser.add_argument("--webhook", action="store_true", help="an endpoint for delivery.sent")
    parser.add_argument("--profile", type=int, default=0, help="print the top N of a profile")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="altavoz-bench-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
        "ALTAVOZ_VAR_DIR": str(folder),
        "SECRET_KEY": "bench-only-secret-key",
        "DEBUG": "0",
        "ALTAVOZ_DEMO": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "LOG_LEVEL": "WARNING",
        "DELIVERY_NOTIFY_SUPPORTERS": "0" if args.no_notices else "1",
    }
    _server.prepare_database(env)
    seed = SEED.replace("COUNT", str(args.count)).replace("WEBHOOK", str(args.webhook))
    queued = int(altavoz(env, "shell", "-c", seed).split()[-1])
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        profile = folder / "worker.prof" if args.profile else None
        wall, cpu, peak_kib = run_worker(env, profile)
    finally:
        controller.stop()
    per_letter = 1 if args.no_notices else 2
    steady = sink.count / (sink.last - sink.first) if sink.last > sink.first else 0.0
    print(f"database:            {env['DATABASE_URL'].split(':')[0]}")
    print(f"letters queued:      {queued}")
    print(f"emails received:     {sink.count} ({per_letter} per letter)")
    print(f"worker wall time:    {wall:.1f} s (start-up included)")
    print(f"letters per second:  {queued / wall:.0f}")
    print(f"emails per second:   {sink.count / wall:.0f} (steady: {steady:.0f})")
    print(f"worker CPU time:     {cpu:.1f} s ({cpu / max(sink.count, 1) * 1000:.2f} ms per email)")
    print(f"worker peak RSS:     {peak_kib / 1024:.0f} MiB")
    print(f"load average:        {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if profile:
        stats = pstats.Stats(str(profile)).strip_dirs()
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
