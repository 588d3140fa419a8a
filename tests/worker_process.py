"""Run ``altavoz worker`` as a real subprocess against a database, for the fault tests."""

import os
import signal
import subprocess
import sys
import time

from django.db import connection


def test_database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def start_worker(*, database_url: str, smtp_port: int, **env) -> subprocess.Popen:
    settings_env = {
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "DELIVERY_LEASE_SECONDS": "2",
        "DELIVERY_SWEEP_SECONDS": "1",
        "DELIVERY_RETRY_BASE_SECONDS": "1",
        "DELIVERY_RETRY_CAP_SECONDS": "2",
        "SECRET_KEY": "test-only-secret-key",
        "DEBUG": "0",
        "ALTAVOZ_DEMO": "0",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "altavoz", "worker", "--interval", "0.2"],
        env={**os.environ, **settings_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    """Stop the worker if it still runs (SIGTERM, then SIGKILL); return what it printed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.stdout.read() if process.stdout else ""


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout}s waiting until {what}")
