"""The multi-host topology (deploy/) on this machine's loopback, under the load benchmark.

    .venv/bin/python bench/topology.py --signatures 150 --duration 60 [load.py options]

Starts, from deploy/Procfile with deploy/loopback.env: two web processes (each an `altavoz-web`
with one worker, on ports 8141 and 8142, as two hosts behind a load balancer), two RQ
workers sending letters, one sweeper, against PostgreSQL (a fresh `altavoz_load_topology`
database) and Redis (databases 10: cache and limits, 11: task queue), with an SMTP sink
(aiosmtpd, port 8148) standing in for the mail provider. The campaign is the Miami demo
made real, with benchmark-only official addresses (commissionerN@city.example).

Then runs bench/load.py against both web processes, waits until every letter has left
through the RQ workers (none queued or sending), and prints how long that took, what the
sink received, and who sent the letters (an RQ worker or the sweeper).
"""

import argparse
import asyncio
import logging
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time

import _server
from aiosmtpd.controller import Controller

DEPLOY = _server.ROOT / "deploy"
WEB_PORTS = (8141, 8142)
SMTP_PORT = 8148
DATABASE = "altavoz_load_topology"


class Sink:
    """Counts every message the SMTP server accepts."""

    def __init__(self):
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
        await asyncio.sleep(0)
        return "250 Message accepted for delivery"


def read_env(path) -> dict:
    env = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env


def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command and not name.startswith("#"):
            processes[name.strip()] = shlex.split(command)
    return processes


def topology_env() -> dict:
    env = _server.bench_env(**read_env(DEPLOY / "loopback.env"))
    env["GEOCODER_ADDRESS_POINTS_FILE"] = str(
        _server.ROOT / "src/altavoz/data/miami/miami_dade_schools_address_points_2015.csv"
    )
    env.setdefault("ALTAVOZ_VAR_DIR", tempfile.mkdtemp(prefix="altavoz-topology-"))
    return env


def fresh_database(env: dict) -> None:
    import psycopg
    import redis

    admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    for url in (env["REDIS_URL"], env["TASKS_REDIS_URL"]):
        redis.Redis.from_url(url).flushdb()
    _server.prepare_database(env)


def campaign_made_real() -> None:
    """Letters go to the officials (here: the sink) instead of the demo outbox."""
    import _django

    _django.setup()
    from altavoz.campaigns.models import Campaign
    from altavoz.districts.models import Official

    campaign = Campaign.objects.get(slug="miami-287g")
    for official in Official.objects.filter(post__area__boundary_set=campaign.target_set):
        official.email = f"commissioner{official.post.area.number}@city.example"
        official.save(update_fields=["email"])
    Campaign.objects.filter(pk=campaign.pk).update(is_demo=False)


def start(name: str, env: dict, *options: str, **extra) -> subprocess.Popen:
    command = procfile()[name]
    command[0] = str(_server.BIN / command[0])
    return subprocess.Popen([*command, *options], env={**env, **extra}, cwd=_server.ROOT)


def deliveries() -> dict:
    from django.db.models import Count

    from altavoz.delivery.models import Delivery

    return dict(Delivery.objects.values_list("status").annotate(n=Count("pk")))


def how_soon() -> dict:
    """Letters sent within 10 s of their signature, and later (a backlog, or the sweep)."""
    from datetime import timedelta

    from django.db.models import F

    from altavoz.delivery.models import Delivery

    sent = Delivery.objects.filter(status="sent")
    quick = sent.filter(sent_at__lte=F("created_at") + timedelta(seconds=10)).count()
    return {"within 10 s": quick, "later": sent.count() - quick}


def wait_for_drain(seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        counts = deliveries()
        if not counts.get("queued") and not counts.get("sending"):
            break
        time.sleep(0.5)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drain-timeout", type=float, default=300)
    args, load_args = parser.parse_known_args()
    env = topology_env()
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "ALTAVOZ_VAR_DIR")})
    os.environ.update(REDIS_URL=env["REDIS_URL"])
    fresh_database(env)
    campaign_made_real()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    processes = [start("web", env, WEB_BIND=f"127.0.0.1:{port}") for port in WEB_PORTS] + [
        start("rqworker", env, "-v", "0"),  # RQ logs four lines per job at its default level
        start("rqworker", env, "-v", "0"),
        start("sweep", env),
    ]
    try:
        for port in WEB_PORTS:
            _server._wait_until_up(f"http://127.0.0.1:{port}/act/miami-287g/")
        urls = [a for port in WEB_PORTS for a in ("--url", f"http://127.0.0.1:{port}")]
        pids = [a for p in processes[:2] for a in ("--server-pid", str(p.pid))]
        load = [sys.executable, str(_server.ROOT / "bench/load.py"), *urls, *pids, *load_args]
        print("topology: 2 web processes, 2 RQ workers, 1 sweeper, PostgreSQL, Redis, SMTP sink")
        status = subprocess.run(load, env={**os.environ, **env}).returncode
        waited = wait_for_drain(args.drain_timeout)
        print(f"deliveries {deliveries()} — drained {waited:.1f}s after the load ended; "
              f"sent {how_soon()}; the SMTP sink received {sink.messages} messages "
              f"(letters and supporters' confirmations)")  # fmt: skip
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        controller.stop()
    raise SystemExit(status)


if __name__ == "__main__":
    main()
