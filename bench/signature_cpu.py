"""CPU per request of the signature path, in one process, through the WSGI application.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/altavoz_load \\
        .venv/bin/python bench/signature_cpu.py [--visitors 500] [--profile 30]

Each visitor GETs the campaign page as someone new (no cookies, their own address) and then
POSTs the form, as the web server would call the application, without HTTP or other processes:
the number is Django's and Altavoz's own CPU time (time.process_time) per GET and per POST,
and on PostgreSQL the CPU its server processes for this database used meanwhile (read from
/proc, so the server must run on this machine). The database is migrated and the demo loaded first;
without DATABASE_URL a fresh SQLite file is used. The minimum fill time is set to 0; the
cache is the process's own unless REDIS_URL is set. ``--profile N`` runs the POSTs under
cProfile and prints the N functions with the most time of their own, and the N with the most
time inside them (the profiler's own cost makes the CPU figures higher in that run).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from urllib.parse import urlencode

import _server
from _client import form_fields, visitor_ip


def call(application, method: str, n: int, body: bytes = b"", cookie: str = ""):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": "/act/miami-287g/", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": visitor_ip(0x70, n),
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "HTTP_COOKIE": cookie,
    }  # fmt: skip
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    result = application(environ, start_response)
    content = b"".join(result)
    result.close()
    return answer["status"], answer["headers"], content


def visit(application, n: int, run: str) -> tuple[str, bytes]:
    """A new visitor's page view; returns their cookies and the form they will send."""
    _, headers, html = call(application, "GET", n)
    cookie = "; ".join(v.split(";")[0] for k, v in headers if k == "Set-Cookie")
    hidden, areas = form_fields(html.decode())
    form = {**hidden, "first_name": f"N{n}", "last_name": "Example",
            "email": f"cpu-{run}-{n}@example.org", "street_address": "1 NW 1st St",
            "zip_code": "33128", "letter_body": "Please vote NO.",
            "area": areas[n % len(areas)], "is_public": "on"}  # fmt: skip
    return cookie, urlencode(form).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=500)
    parser.add_argument("--profile", type=int, default=0, help="print the top N of a profile")
    args = parser.parse_args()
    env = _server.bench_env(TRUSTED_PROXY_COUNT=1, SHIELD_MIN_FILL_SECONDS=0)
    _server.prepare_database(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
    sys.path.insert(0, str(_server.ROOT / "src"))
    from altavoz.wsgi import application

    run = f"{int(time.time()):x}"
    call(application, "GET", 0)  # the process's first page: templates, connections
    url = os.environ.get("DATABASE_URL", "")
    database = _server.DatabaseCpu(url)
    started = time.process_time()
    visitors = [visit(application, n, run) for n in range(1, args.visitors + 1)]
    get_cpu = time.process_time() - started
    get_database = database.seconds()
    database = _server.DatabaseCpu(url)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    started = time.process_time()
    if profile:
        profile.enable()
    for n, (cookie, body) in enumerate(visitors, start=1):
        status, _, content = call(application, "POST", n, body, cookie)
        if not status.startswith("302"):
            raise SystemExit(f"POST {n} answered {status}: {content[:500]!r}")
    if profile:
        profile.disable()
    post_cpu = time.process_time() - started
    time.sleep(0.5)  # the last wake-up leaves (DELIVERY_WAKE_MS)
    post_database = database.seconds()
    vendor = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    print(f"{args.visitors} new visitors, {vendor}, load average {os.getloadavg()[0]:.2f}")
    per = 1000 / args.visitors
    print(f"GET  (new visitor): {per * get_cpu:.2f} ms CPU, database {per * get_database:.2f} ms")
    print(f"POST (signature):   {per * post_cpu:.2f} ms CPU, database {per * post_database:.2f} ms")
    print(f"a signature (page view and POST): {per * (get_cpu + post_cpu):.2f} ms + database "
          f"{per * (get_database + post_database):.2f} ms = "
          f"{per * (get_cpu + post_cpu + get_database + post_database):.2f} ms CPU")  # fmt: skip
    if profile:
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
