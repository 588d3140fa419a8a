"""Start the real application server (gunicorn) for a benchmark, on loopback, and stop it."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

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
    for command in (["migrate", "--noinput", "-v0"], ["loaddemo"]):
        subprocess.run([BIN / "altavoz", *command], env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def running_server(env: dict, *, port: int, workers: int = 3, threads: int = 8):
    command = [
        BIN / "gunicorn", "altavoz.wsgi", f"--bind=127.0.0.1:{port}", f"--workers={workers}",
        f"--threads={threads}", "--worker-class=gthread", "--log-level=warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/act/miami-287g/")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
