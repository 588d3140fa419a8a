"""A bot flood with real people in it, against the real server on loopback.

10,000 bot submissions of five kinds are interleaved with 1,000 people's. Prints, per kind,
how many were stored, and the campaign page's latency during the flood. Targets (issue 6):
every person stored, at most 1% of bots stored, the page responsive.

    .venv/bin/python bench/flood.py            # SQLite, as the demo
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_flood .venv/bin/python bench/flood.py

Client addresses are simulated with X-Forwarded-For (the server trusts one proxy, as behind
a load balancer) from the IPv6 documentation range, each person and each bot address in its
own /64 (the server counts a /64 as one client: bots rotating inside one /64 would be one
client); all traffic goes to 127.0.0.1.
The proof-of-work difficulty is lowered (ALTCHA_MAX_NUMBER=20000) so that this one machine
can also solve the people's challenges; the checks themselves are unchanged.
"""

import argparse
import json
import os
import random
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import _server
from _client import Browser, percentile, visitor_ip

PATH = "/act/miami-287g/"
LETTER = "Please vote NO on all forms of 287(g) agreements."
BOT_MIX = {"blind_post": 0.30, "honeypot": 0.20, "instant": 0.20, "replay": 0.15, "patient": 0.15}
PATIENT_ADDRESSES = 40


def _person(email: str, areas: list[str], n: int) -> dict:
    return {
        "first_name": f"Name{n}", "last_name": "Example", "email": email,
        "street_address": f"{100 + n} NW 1st St", "zip_code": "33128",
        "letter_body": LETTER, "area": random.choice(areas), "is_public": "on",
    }  # fmt: skip


def _solve(browser: Browser) -> str:
    from altavoz.shield.proofofwork import solve

    _, body, _ = browser.request("GET", f"{PATH}challenge.json")
    return solve(json.loads(body))


def human(base: str, n: int) -> tuple[str, int]:
    browser = Browser(base, ip=visitor_ip(0x01, n))
    hidden, areas, _ = browser.form(PATH)
    time.sleep(random.uniform(3.2, 6.0))  # reading and typing
    data = {**hidden, **_person(f"human-{n}@example.org", areas, n)}
    if n % 5:  # four in five browsers run JavaScript: the widget solves the challenge
        data["altcha"] = _solve(browser)
    return "human", browser.request("POST", PATH, data)[0]


class Bots:
    def __init__(self, base: str):
        self.base = base
        self.captured: dict | None = None
        self.lock = threading.Lock()
        self.late_instants = 0  # load-generator lag: POST left >= 3 s after the page came

    def _browser(self, n: int, pool: int) -> Browser:
        return Browser(self.base, ip=visitor_ip(0xBD, n % pool))

    def blind_post(self, n: int) -> int:
        data = _person(f"bot-blind_post-{n}@example.net", ["x"], n)
        return self._browser(n, 200).request("POST", PATH, data, cookies=False)[0]

    def honeypot(self, n: int) -> int:
        browser = self._browser(n, 200)
        hidden, areas, _ = browser.form(PATH)
        data = {**hidden, **_person(f"bot-honeypot-{n}@example.net", areas, n)}
        data["form_label"] = "Sign here"  # fills every field it finds
        return browser.request("POST", PATH, data)[0]

    def instant(self, n: int) -> int:
        browser = self._browser(n, 200)
        hidden, areas, _ = browser.form(PATH)
        data = {**hidden, **_person(f"bot-instant-{n}@example.net", areas, n)}
        page_arrived = time.perf_counter()
        status, _, elapsed = browser.request("POST", PATH, data)
        if time.perf_counter() - elapsed - page_arrived >= 3:
            with self.lock:
                self.late_instants += 1
        return status

    def replay(self, n: int) -> int:
        """Capture one complete, valid submission once, then replay it with new emails."""
        with self.lock:
            if self.captured is None:
                browser = Browser(self.base, ip="2001:db8:bad:1::1")
                hidden, areas, _ = browser.form(PATH)
                time.sleep(3.2)
                data = {**hidden, **_person("bot-replay-0@example.net", areas, 0)}
                data["altcha"] = _solve(browser)
                self.captured = {"data": data, "cookies": dict(browser.cookies)}
                return browser.request("POST", PATH, data)[0]
        browser = self._browser(n, 200)
        browser.cookies = dict(self.captured["cookies"])
        data = {**self.captured["data"], "email": f"bot-replay-{n}@example.net"}
        return browser.request("POST", PATH, data)[0]

    def patient(self, n: int) -> int:
        """Waits like a person, fills the form right, runs no JavaScript, rotates addresses."""
        browser = Browser(self.base, ip=visitor_ip(0xBE, n % PATIENT_ADDRESSES))
        hidden, areas, _ = browser.form(PATH)
        time.sleep(3.2)
        data = {**hidden, **_person(f"bot-patient-{n}@example.net", areas, n)}
        return browser.request("POST", PATH, data)[0]


def probe(base: str, stop: threading.Event, latencies: list[float]) -> None:
    browser = Browser(base, ip="2001:db8:2::1")
    while not stop.is_set():
        latencies.append(browser.request("GET", PATH)[2])
        time.sleep(0.1)


def _run(kind_and_call):
    kind, call = kind_and_call
    try:
        return kind, call()
    except Exception as error:
        return kind, f"error:{type(error).__name__}"


def plan(robot: "Bots", bots: int, humans: int) -> list:
    base = robot.base
    tasks = [("human", lambda n=n: human(base, n)[1]) for n in range(humans)]
    for kind, share in BOT_MIX.items():
        method = getattr(robot, kind)
        tasks += [(kind, lambda n=n, m=method: m(n)) for n in range(int(bots * share))]
    random.shuffle(tasks)
    return tasks


def stored_counts() -> Counter:
    import _django

    _django.setup()
    from altavoz.campaigns.models import Signature

    emails = Signature.objects.filter(campaign__slug="miami-287g").values_list(
        "person__email", flat=True
    )
    return Counter(
        "human" if e.startswith("human-") else e.split("-")[1] for e in emails if "@example" in e
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bots", type=int, default=10_000)
    parser.add_argument("--humans", type=int, default=1_000)
    parser.add_argument("--port", type=int, default=8120)
    args = parser.parse_args()
    env = _server.bench_env(
        TRUSTED_PROXY_COUNT=1, PROOF_OF_WORK="adaptive", ALTCHA_MAX_NUMBER=20000,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
    )  # fmt: skip
    os.environ.update({k: env[k] for k in ("ALTAVOZ_VAR_DIR", "SECRET_KEY", "REDIS_URL")})
    _server.prepare_database(env)
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    results: dict[str, Counter] = defaultdict(Counter)
    latencies: list[float] = []
    stop = threading.Event()
    with _server.running_server(env, port=args.port) as server:
        base = server.url
        prober = threading.Thread(target=probe, args=(base, stop, latencies))
        prober.start()
        started = time.perf_counter()
        robot = Bots(base)
        with ThreadPoolExecutor(max_workers=256) as pool:
            for kind, status in pool.map(_run, plan(robot, args.bots, args.humans)):
                results[kind][status] += 1
        elapsed = time.perf_counter() - started
        stop.set()
        prober.join()
    stored = stored_counts()
    print(f"flood of {args.bots} bots + {args.humans} people in {elapsed:.0f}s "
          f"({os.environ.get('DATABASE_URL', 'sqlite').split(':')[0]})")  # fmt: skip
    for kind in ["human", *BOT_MIX]:
        sent = sum(results[kind].values())
        print(
            f"  {kind:11} sent {sent:6}  stored {stored[kind]:6}  responses {dict(results[kind])}"
        )
    bots_stored = sum(stored[k] for k in BOT_MIX)
    print(f"people stored: {stored['human']}/{args.humans}; bots stored: {bots_stored}/"
          f"{args.bots} ({100 * bots_stored / args.bots:.2f}%)")  # fmt: skip
    print(f"  instant bots whose POST left >= 3 s after the page (load-generator lag): "
          f"{robot.late_instants}")  # fmt: skip
    p50, p99 = (1000 * percentile(latencies, p) for p in (50, 99))
    print(f"campaign page during the flood: p50 {p50:.0f} ms, p99 {p99:.0f} ms "
          f"over {len(latencies)} probes")  # fmt: skip


if __name__ == "__main__":
    main()
