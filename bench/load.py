"""A viral spike against the real server on loopback: open-loop, bounded, then checked.

    .venv/bin/python bench/load.py --pages 1000 --duration 30            # page views
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_load \\
        .venv/bin/python bench/load.py --signatures 300 --duration 60     # signatures

Arrivals are open-loop: each kind arrives at its fixed rate whatever the server's answers
(a slow server does not slow the arrivals down), spread over --procs client processes. The
load is bounded: at most --concurrency requests are in flight at once; an arrival that finds
every client busy waits, and that wait (the generator's lag) is printed so a run where the
generator, not the server, fell behind is visible.

Kinds:
- page: GET the campaign page as a new visitor (no cookies; English, Spanish, Haitian
  Creole in turn).
- lookup: GET the address lookup endpoint for a Miami-Dade address (offline address-points
  geocoder: no network).
- signature: a new visitor GETs the page (its form token, districts), reads for
  --fill seconds from the moment the page arrived (the server's minimum fill time stays in
  force unless --fill is below it), then POSTs the form with a unique email. Success is the
  redirect to the thank-you page. A visitor reading holds no client: the POST is scheduled
  when the page arrives, so --concurrency counts requests in flight only.

Each visitor has its own client network (X-Forwarded-For from the IPv6 documentation range, a
/64 each;
the server trusts one proxy, as behind a load balancer), so per-address limits and the
adaptive proof of work never trigger for these people: proof of work is left "adaptive" and
is never asked for. Each visitor opens a new connection (a signature's POST reuses the one
its client thread holds), so the kernel spreads visitors over the web processes.

After the run, the database is checked: every email whose POST got the success redirect is
stored exactly once (lost and duplicated must both be 0), each with its Delivery rows.
"""

import argparse
import csv
import heapq
import multiprocessing
import os
import platform
import queue
import re
import resource
import subprocess
import threading
import time
from collections import Counter, defaultdict

import _server
from _client import Browser, percentile, visitor_ip

PATH = "/act/miami-287g/"
LETTER = "Please vote NO on all forms of 287(g) agreements."
LANGUAGES = ["en", "es", "ht"]
_ERROR = re.compile(r'<div class="error-summary".*?<ul>(.*?)</ul>', re.S)
SCHOOLS = _server.ROOT / "src/altavoz/data/miami/miami_dade_schools_address_points_2015.csv"


def _addresses() -> list[tuple[str, str]]:
    with SCHOOLS.open(newline="") as handle:
        return [(row["address"], row["zip"]) for row in csv.DictReader(handle)]


def schedule(rates: dict, duration: float, proc: int, procs: int) -> list:
    """This process's share of the arrivals: (when, kind, n), sorted by time. A signature
    arrives as its page view; its POST is scheduled once that page has arrived."""
    events = []
    for kind, rate in rates.items():
        if not rate:
            continue
        total = int(rate * duration)
        for n in range(proc, total, procs):
            when = n / rate
            events.append((when, "sign_page" if kind == "signature" else kind, n))
    return sorted(events)


class Client:
    """One client process: a dispatcher releases arrivals on time, threads send them. The
    timeline holds (due, kind, n): the planned arrivals, and each signature's POST, added
    when its page arrives."""

    def __init__(self, bases: list[str], run_id: str, threads: int, fill: float):
        self.bases, self.run_id, self.threads, self.fill = bases, run_id, threads, fill
        self.jobs: queue.Queue = queue.Queue()
        self.visitors: dict[int, dict] = {}
        self.results: list = []  # (kind, status, latency s, lag s, due, done)
        self.signed: list[str] = []  # emails whose POST got the success redirect
        self.refusals: list[str] = []  # what the page said when it did not accept one
        self.addresses = _addresses()
        self.timeline: list = []
        self.changed = threading.Condition()
        self.reading = 0  # signatures whose page is out and whose POST is not yet timed

    def email(self, n: int) -> str:
        return f"load-{self.run_id}-{n}@example.org"

    @staticmethod
    def arrive(browser: Browser, ip: str = "") -> None:
        """A new visitor: no cookies, their own address, their own connection (so that the
        web processes share the visitors, as they do behind a load balancer)."""
        browser.cookies, browser.ip = {}, ip
        browser._reconnect()

    def page(self, browser: Browser, n: int) -> tuple[int, float]:
        self.arrive(browser)
        language = LANGUAGES[n % len(LANGUAGES)]
        browser.cookies["django_language"] = language
        status, _, elapsed = browser.request("GET", PATH)
        return status, elapsed

    def lookup(self, browser: Browser, n: int) -> tuple[int, float]:
        self.arrive(browser, visitor_ip(0x10, n))
        street, zip_code = self.addresses[n % len(self.addresses)]
        query = f"street={street.replace(' ', '+')}&zip={zip_code}"
        status, _, elapsed = browser.request("GET", f"{PATH}lookup/?{query}")
        return status, elapsed

    def sign_page(self, browser: Browser, n: int) -> tuple[int, float]:
        self.arrive(browser, visitor_ip(0x20, n))
        hidden, areas, elapsed = browser.form(PATH)
        self.visitors[n] = {"cookies": dict(browser.cookies), "hidden": hidden, "areas": areas}
        return 200, elapsed

    def sign_post(self, browser: Browser, n: int) -> tuple[int, float]:
        visitor = self.visitors.pop(n)
        browser.cookies, browser.ip = visitor["cookies"], visitor_ip(0x20, n)
        data = {
            **visitor["hidden"], "first_name": f"Name{n}", "last_name": "Example",
            "email": self.email(n), "street_address": f"{100 + n % 900} NW 1st St",
            "zip_code": "33128", "letter_body": LETTER,
            "area": visitor["areas"][n % len(visitor["areas"])], "is_public": "on",
        }  # fmt: skip
        status, html, elapsed = browser.request("POST", PATH, data)
        if status == 302:
            self.signed.append(self.email(n))
        elif reason := _ERROR.search(html):
            self.refusals.append(reason.group(1))
        return status, elapsed

    def work(self, base: str) -> None:
        browser = Browser(base)
        while (job := self.jobs.get()) is not None:
            due, kind, n = job
            lag = time.perf_counter() - due
            try:
                status, elapsed = getattr(self, kind)(browser, n)
            except Exception as error:  # recorded, never fatal: the run goes on
                status, elapsed = f"error:{type(error).__name__}", 0.0
                browser = Browser(base)
            self.results.append((kind, status, elapsed, lag, due, time.perf_counter()))
            if kind == "sign_page":
                self.read(n, status == 200)

    def read(self, n: int, shown: bool) -> None:
        """The person reads the page that has just arrived, then sends the form."""
        with self.changed:
            self.reading -= 1
            if shown:
                heapq.heappush(self.timeline, (time.perf_counter() + self.fill, "sign_post", n))
            self.changed.notify()

    def next_job(self):
        """The next due job, when it is due; None once nothing is left to send."""
        with self.changed:
            while self.timeline or self.reading:
                pause = self.timeline[0][0] - time.perf_counter() if self.timeline else None
                if pause is not None and pause <= 0:
                    job = heapq.heappop(self.timeline)
                    self.reading += job[1] == "sign_page"
                    return job
                self.changed.wait(pause)
            return None

    def run(self, events: list, start: float) -> None:
        workers = [  # spread over the web processes, as a load balancer does
            threading.Thread(target=self.work, args=(self.bases[i % len(self.bases)],))
            for i in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        self.timeline = [(start + when, kind, n) for when, kind, n in events]
        heapq.heapify(self.timeline)
        while (job := self.next_job()) is not None:
            self.jobs.put(job)
        for _ in workers:
            self.jobs.put(None)
        for worker in workers:
            worker.join()


def client_process(bases, run_id, threads, fill, events, start, out) -> None:
    client = Client(bases, run_id, threads, fill)
    client.run(events, start)
    out.put((client.results, client.signed, client.refusals))


def drive(bases: list[str], args, run_id: str) -> tuple[list, list, float]:
    rates = {"page": args.pages, "lookup": args.lookups, "signature": args.signatures}
    out = multiprocessing.Queue()
    start = time.perf_counter() + 1.0
    threads = max(1, args.concurrency // args.procs)
    plans = [schedule(rates, args.duration, i, args.procs) for i in range(args.procs)]
    procs = [
        multiprocessing.Process(
            target=client_process, args=(bases, run_id, threads, args.fill, plan, start, out)
        )
        for plan in plans
    ]
    for proc in procs:
        proc.start()
    results, signed, refusals = [], [], []
    for _ in procs:
        got_results, got_signed, got_refusals = out.get()
        results += got_results
        signed += got_signed
        refusals += got_refusals
    for proc in procs:
        proc.join()
    for reason, times in Counter(refusals).most_common(5):
        print(f"  refused {times} times: {reason}")
    return results, signed, time.perf_counter() - start


def report(results: list, elapsed: float, args) -> dict:
    by_kind = defaultdict(list)
    for kind, *row in results:
        by_kind[kind].append(row)
    kinds = {}
    for kind in ("page", "lookup", "sign_page", "sign_post"):
        rows = by_kind.get(kind)
        if not rows:
            continue
        ok = 302 if kind == "sign_post" else 200
        latencies = [r[1] for r in rows if r[0] == ok]
        lags = [r[2] for r in rows]
        statuses = defaultdict(int)
        for row in rows:
            statuses[row[0]] += 1
        span = max(r[4] for r in rows) - min(r[3] for r in rows)  # first arrival to last answer
        p50, p95, p99 = (1000 * percentile(latencies, p) for p in (50, 95, 99))
        kinds[kind] = {"ok": len(latencies), "per_s": len(latencies) / span, "p99": p99}
        print(f"  {kind:9}  {len(rows):7} sent  {len(latencies):7} ok  "
              f"{len(latencies) / span:7.1f}/s  p50 {p50:6.1f}  p95 {p95:6.1f}  "
              f"p99 {p99:6.1f} ms  max {1000 * max(latencies, default=0):6.0f} ms  "
              f"lag p99 {1000 * percentile(lags, 99):5.1f} ms  {dict(statuses)}")  # fmt: skip
    print(f"  wall time {elapsed:.1f}s for {args.duration:.0f}s of arrivals")
    return kinds


def check_database(signed: list[str], run_id: str) -> tuple[int, int]:
    """Every email that got the success redirect is stored exactly once."""
    import _django

    _django.setup()
    from django.db.models import Count

    from altavoz.campaigns.models import Person, Signature
    from altavoz.delivery.models import Delivery

    prefix = f"load-{run_id}-"
    stored = dict(
        Signature.objects.filter(campaign__slug="miami-287g", person__email__startswith=prefix)
        .values_list("person__email")
        .annotate(n=Count("pk"))
    )
    people = Person.objects.filter(email__startswith=prefix).values("email")
    twice = people.annotate(n=Count("pk")).filter(n__gt=1).count()
    lost = sum(1 for email in signed if email not in stored)
    duplicated = sum(n - 1 for n in stored.values()) + twice
    deliveries = Delivery.objects.filter(signature__person__email__startswith=prefix).count()
    print(f"database: {len(signed)} signatures answered with success, {len(stored)} stored "
          f"({len(stored) - len(set(signed) & set(stored))} stored without a success answer), "
          f"{deliveries} Delivery rows; lost {lost}, duplicated {duplicated}")  # fmt: skip
    return lost, duplicated


def _generator_cpu() -> float:
    """CPU time of this process and of its client processes that have ended."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def print_cpu(web: list[int], before: tuple, args) -> None:
    """Where the machine's CPU went: web processes, PostgreSQL (for this database), this
    load generator."""
    web_cpu = _server.cpu_seconds(web) - before[0]
    database = before[1].seconds()
    spent = {"web": web_cpu, "PostgreSQL": database, "generator": _generator_cpu() - before[2]}
    arrivals = (args.pages + args.lookups + args.signatures) * args.duration
    print("  CPU seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in spent.items())
          + f" ({1000 * sum(spent.values()) / max(arrivals, 1):.1f} ms per arrival)")  # fmt: skip


def print_rss(pid: int) -> float:
    rows = _server.web_processes_rss(pid)
    for row_pid, rss, peak in rows:
        print(f"  web process {row_pid}: RSS {rss:.0f} MiB, peak {peak:.0f} MiB")
    return max((peak for _, _, peak in rows), default=0.0)


def machine() -> str:
    load = os.getloadavg()
    return (f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=float, default=0, help="page views per second")
    parser.add_argument("--lookups", type=float, default=0, help="address lookups per second")
    parser.add_argument("--signatures", type=float, default=0, help="signatures per second")
    parser.add_argument("--duration", type=float, default=60, help="seconds of arrivals")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight, max")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--fill", type=float, default=3.2, help="seconds between page and POST")
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--url", action="append", help="a running web server (repeatable)")
    parser.add_argument("--server-pid", type=int, action="append", help="its main process")
    parser.add_argument("--workers", type=int, help="web processes (default: altavoz-web's)")
    parser.add_argument("--threads", type=int, help="threads per web process")
    return parser.parse_args()


def server_env() -> dict:
    return _server.bench_env(
        TRUSTED_PROXY_COUNT=1, GEOCODERS="address_points",
        GEOCODER_ADDRESS_POINTS_FILE=SCHOOLS,
        REDIS_URL=os.environ["REDIS_URL"],
    )  # fmt: skip


def fresh_limits() -> None:
    """Empty this benchmark's own Redis database: per-address counters from an earlier run
    would otherwise ask these visitors for proof of work."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def run(bases: list[str], server_pids: list[int], args) -> bool:
    run_id = f"{int(time.time()):x}"
    fresh_limits()
    print(f"load: pages {args.pages}/s, lookups {args.lookups}/s, signatures "
          f"{args.signatures}/s for {args.duration:.0f}s, at most {args.concurrency} in flight "
          f"from {args.procs} client processes; fill {args.fill}s; "
          f"{os.environ.get('DATABASE_URL', 'sqlite').split(':')[0]}")  # fmt: skip
    print(f"machine {machine()}; commit {commit()}")
    web = [p for pid in server_pids for p, _, _ in _server.web_processes_rss(pid)]
    database = _server.DatabaseCpu(os.environ.get("DATABASE_URL", ""))
    before = (_server.cpu_seconds(web), database, _generator_cpu())
    results, signed, elapsed = drive(bases, args, run_id)
    report(results, elapsed, args)
    print_cpu(web, before, args)
    peak = max((print_rss(pid) for pid in server_pids), default=0.0)
    print(f"after the run: {machine()}")
    lost, duplicated = check_database(signed, run_id)
    return lost == 0 and duplicated == 0 and peak < 150


def main() -> None:
    args = parse_args()
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    if args.url:
        ok = run(args.url, args.server_pid or [], args)
    else:
        env = server_env()
        os.environ.update({k: env[k] for k in ("ALTAVOZ_VAR_DIR", "SECRET_KEY", "REDIS_URL")})
        _server.prepare_database(env)
        with _server.running_server(
            env, port=args.port, workers=args.workers, threads=args.threads
        ) as server:
            ok = run([server.url], [server.pid], args)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
