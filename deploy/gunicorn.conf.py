"""Production web server: `gunicorn -c deploy/gunicorn.conf.py altavoz.wsgi`.

Tuned for a small machine: one process per core, eight threads each to overlap the waits on
PostgreSQL and Redis. On the 2-core machine, 2 x 8 used about 15% less web CPU per signature
than 3 x 4 (fewer processes contending for two cores) and kept pace with 300 signatures/s
in three runs of four, where 3 x 4 fell behind in four of nine (bench/RESULTS.md).
Every value can be overridden from the environment (WEB_*), so one file serves the laptop
benchmark and a bigger host. Static files are served by WhiteNoise inside the same
processes (compressed, with far-future cache headers once `altavoz collectstatic` has run);
database connections stay open between requests (DATABASE_CONN_MAX_AGE).
"""

import multiprocessing
import os


def _env(name: str, default) -> str:
    return os.environ.get(name) or str(default)


bind = _env("WEB_BIND", "127.0.0.1:8000")
workers = int(_env("WEB_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(_env("WEB_THREADS", "8"))
# A slow client cannot hold a worker for long; a hung request is killed and logged.
timeout = int(_env("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = int(_env("WEB_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak can never grow a process without bound.
max_requests = int(_env("WEB_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
backlog = 2048
# Load the application before forking: the workers share its memory pages.
preload_app = True
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
loglevel = _env("WEB_LOG_LEVEL", "warning")
pidfile = os.environ.get("WEB_PIDFILE") or None
proc_name = "altavoz-web"


def when_ready(server) -> None:
    """Before the first fork: import every view, compile the public templates, load the
    catalogues (altavoz/warmup.py), so each worker starts warm instead of spending about a
    second of CPU on its first requests."""
    from altavoz.warmup import warm_up

    warm_up()
