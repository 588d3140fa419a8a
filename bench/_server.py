"""Start the real application server (`altavoz-web`) for a benchmark, on loopback, and stop it."""

import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from _django import database_created

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {seconds}s")


def bench_env(**overrides) -> dict:
    """Production-like settings over plain http on loopback."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    env.setdefault("ALTAVOZ_VAR_DIR", tempfile.mkdtemp(prefix="altavoz-bench-"))
    env.update(
        DEBUG="0", ALTAVOZ_DEMO="0", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1,localhost", PYTHONPATH=str(ROOT / "src"),
    )  # fmt: skip
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def prepare_database(env: dict) -> None:
    database_created(env.get("DATABASE_URL", ""))
    for command in (["migrate", "--noinput", "-v0"], ["loaddemo"]):
        subprocess.run([BIN / "altavoz", *command], env=env, check=True, stdout=subprocess.DEVNULL)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids) -> float:
    """User + system CPU time the processes (still running) have used so far, with that of
    their children that ended: the web server's replaced workers, PostgreSQL's closed
    backends."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / tick
    return total


class DatabaseCpu:
    """CPU seconds PostgreSQL spends for one database: its backends and the server's own
    processes (WAL writer, checkpointer, ...), left out the backends of other databases
    (other work on this machine). Sampled every half second from a thread, so a backend
    that closes during the run keeps what it had used by its last sample; one that opens
    during the run counts whole. Zero for SQLite."""

    QUERY = ("SELECT pid FROM pg_stat_activity WHERE datname = %s "
             "OR (datname IS NULL AND backend_type <> 'client backend')")  # fmt: skip

    def __init__(self, url: str):
        self.first, self.last = {}, {}
        self.stop = threading.Event()
        self.thread = None
        if url.startswith("postgres"):
            import psycopg

            server, self.name = url.split("?")[0].rsplit("/", 1)
            # The sampler's own backend is on another database: not counted.
            self.connection = psycopg.connect(server + "/postgres", autocommit=True)
            self._sample(first=True)
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _sample(self, first: bool = False) -> None:
        pids = [pid for (pid,) in self.connection.execute(self.QUERY, [self.name])]
        for pid in pids:
            used = cpu_seconds([pid])
            if used:
                self.last[pid] = used
                if first:
                    self.first[pid] = used

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self._sample()

    def seconds(self) -> float:
        """What was used since this started; stops sampling."""
        if self.thread is None:
            return 0.0
        self.stop.set()
        self.thread.join()
        self._sample()
        self.connection.close()
        return sum(used - self.first.get(pid, 0.0) for pid, used in self.last.items())


def rss_mib(pid: int) -> tuple[float, float]:
    """A process's resident memory now and its peak (VmRSS, VmHWM), in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def web_processes_rss(master_pid: int) -> list[tuple[int, float, float]]:
    """(pid, RSS MiB, peak RSS MiB) of the master and each of its worker processes."""
    return [(pid, *rss_mib(pid)) for pid in [master_pid, *_children(master_pid)]]


@dataclass
class Server:
    url: str
    pid: int


@contextmanager
def running_server(env: dict, *, port: int, workers: int | None = None, threads=None):
    """The production command (`altavoz-web`, altavoz/webserver.py) on loopback; worker and
    thread counts are its defaults unless given."""
    env = {**env, "WEB_BIND": f"127.0.0.1:{port}"}
    if workers:
        env["WEB_WORKERS"] = str(workers)
    if threads:
        env["WEB_THREADS"] = str(threads)
    server = subprocess.Popen([BIN / "altavoz-web"], env=env)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/act/miami-287g/")
        yield Server(f"http://127.0.0.1:{port}", server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
