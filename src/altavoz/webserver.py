"""The production web server: `altavoz-web` serves the WSGI application with granian.

granian's HTTP handling is Rust; only the application is Python. On the project's 2-core
machine it cost 18-24% less web CPU per signature than gunicorn with the same processes and
threads (2 x 8), and held 300 signatures/s at about half gunicorn's p99 (bench/RESULTS.md).

Every value comes from the environment, so one command serves the laptop benchmark and a
bigger host:

- WEB_BIND (127.0.0.1:8000): the address to listen on;
- WEB_WORKERS (one per core): processes, each with its own interpreter and GIL;
- WEB_THREADS (8): threads per process, overlapping the waits on PostgreSQL and Redis;
- WEB_BACKLOG (2048): connections the kernel queues while every thread is busy;
- WEB_HEADER_TIMEOUT (30): seconds a client may take to send its request headers;
- WEB_MAX_RSS (300): MiB; a worker above it is replaced, so a slow leak never grows a
  process without bound;
- WEB_ACCESS_LOG (0: off), WEB_LOG_LEVEL (warning), WEB_PIDFILE.

As every setting here, each can come from a file (NAME_FILE), and a bad value stops start-up
with a message naming the variable (altavoz/envconf.py).

SIGHUP replaces the workers one by one, each new one started before its old one is asked
to stop (granian's graceful reload); a worker that dies is started again. Static files are
served by WhiteNoise inside the application (compressed, far-future cache headers once
`altavoz collectstatic` has run), and database connections stay open between requests
(DATABASE_CONN_MAX_AGE).
"""

import multiprocessing
import os
from pathlib import Path

from altavoz.envconf import env_bool, env_int, env_str


def warm_application():
    """What each worker serves: the application, warmed up before its first request
    (altavoz/warmup.py), so a new or replaced worker does not spend its first second of
    requests compiling templates and loading catalogues."""
    from altavoz.warmup import warm_up
    from altavoz.wsgi import application

    warm_up()
    return application


def server():
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    host, _, port = env_str("WEB_BIND", "127.0.0.1:8000").rpartition(":")
    pidfile = env_str("WEB_PIDFILE")
    return Granian(
        "altavoz.webserver:warm_application",
        factory=True,
        interface=Interfaces.WSGI,
        address=host,
        port=int(port),
        workers=env_int("WEB_WORKERS", multiprocessing.cpu_count(), minimum=1),
        blocking_threads=env_int("WEB_THREADS", 8, minimum=1),
        backlog=env_int("WEB_BACKLOG", 2048, minimum=128),
        http1_settings=HTTP1Settings(
            header_read_timeout=1000 * env_int("WEB_HEADER_TIMEOUT", 30, minimum=1)
        ),
        websockets=False,
        respawn_failed_workers=True,
        workers_max_rss=env_int("WEB_MAX_RSS", 300, minimum=1),
        workers_kill_timeout=20,
        log_access=env_bool("WEB_ACCESS_LOG"),
        log_level=LogLevels(env_str("WEB_LOG_LEVEL", "warning")),
        pid_file=Path(pidfile) if pidfile else None,
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
    server().serve()


if __name__ == "__main__":
    main()
