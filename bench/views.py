"""What one view costs the server: the campaign page against the embed, the counter (HTML and
SVG) and the share image, through the production web server (`altavoz-web`) on loopback.

    .venv/bin/python bench/views.py [--requests 2000] [--port 8150]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_views .venv/bin/python bench/views.py

Each kind is asked --requests times in turn by one client without cookies (a new visitor, as
a spike is), after a warm-up; the server's CPU time (its master and worker processes, and the
database's when it is PostgreSQL) is read before and after each kind, so "CPU per view" is
what the server spent on one view of that kind, whatever the client's speed. Also printed:
latency percentiles seen by the client and the bytes of one answer.
"""

import argparse
import platform
import time

import _server
from _client import Browser, percentile

SLUG = "miami-287g"
KINDS = {
    "campaign page": f"/act/{SLUG}/",
    "embed": f"/embed/{SLUG}/",
    "counter (HTML)": f"/act/{SLUG}/counter/",
    "counter (SVG)": f"/act/{SLUG}/counter.svg",
    "share image": f"/act/{SLUG}/share-image",
}
WARM_UP = 50


def server_cpu(server, with_database: bool) -> float:
    pids = [server.pid, *_server._children(server.pid)]
    if with_database:
        pids += _server.database_pids()
    return _server.cpu_seconds(pids)


def measure(server, path: str, requests: int, with_database: bool) -> dict:
    client = Browser(server.url)
    for _ in range(WARM_UP):
        client.request("GET", path, cookies=False)
    latencies, size = [], 0
    cpu_before, started = server_cpu(server, with_database), time.perf_counter()
    for _ in range(requests):
        status, body, elapsed = client.request("GET", path, cookies=False)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        latencies.append(elapsed)
        size = len(body.encode())
    wall = time.perf_counter() - started
    cpu = server_cpu(server, with_database) - cpu_before
    return {
        "cpu_ms": 1000 * cpu / requests,
        "p50": 1000 * percentile(latencies, 50),
        "p95": 1000 * percentile(latencies, 95),
        "per_s": requests / wall,
        "bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    env = _server.bench_env()
    with_database = env.get("DATABASE_URL", "").startswith("postgres")
    _server.prepare_database(env)
    with _server.running_server(env, port=args.port, workers=args.workers) as server:
        print(f"{args.requests} requests per kind, one client, {args.workers} web worker(s), "
              f"{'PostgreSQL' if with_database else 'SQLite'}, {platform.node()}")  # fmt: skip
        print(f"{'kind':16} {'CPU/view':>9} {'p50':>8} {'p95':>8} {'views/s':>8} {'bytes':>7}")
        for kind, path in KINDS.items():
            row = measure(server, path, args.requests, with_database)
            print(f"{kind:16} {row['cpu_ms']:7.2f}ms {row['p50']:6.2f}ms {row['p95']:6.2f}ms "
                  f"{row['per_s']:8.0f} {row['bytes']:7}")  # fmt: skip


if __name__ == "__main__":
    main()
