"""Start the real application server (`altavoz-web`) for a benchmark, on loopback, and stop it."""

import os
import subprocess
import sys
import tempfile
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


def database_pids() -> list[int]:
    """The local PostgreSQL server's processes (its backends included)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


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
