"""The production web server (`altavoz-web`): configured from WEB_* variables, it serves the
warmed-up application and stops on SIGTERM."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from altavoz import webserver


def test_it_takes_its_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_BIND", "192.0.2.10:8123")
    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("WEB_THREADS", "5")
    monkeypatch.setenv("WEB_BACKLOG", "256")
    server = webserver.server()
    assert (server.bind_addr, server.bind_port) == ("192.0.2.10", 8123)
    assert (server.workers, server.blocking_threads, server.backlog) == (3, 5, 256)
    assert server.target == "altavoz.webserver:warm_application" and server.factory


def test_the_defaults_are_one_process_per_core_of_eight_threads(monkeypatch):
    for name in ("WEB_BIND", "WEB_WORKERS", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    server = webserver.server()
    assert (server.bind_addr, server.bind_port) == ("127.0.0.1", 8000)
    assert (server.workers, server.blocking_threads) == (os.cpu_count(), 8)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        finally:
            connection.close()


@pytest.mark.vendor_neutral  # the server runs on its own SQLite file
def test_it_serves_the_application_and_stops_on_sigterm(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "ALTAVOZ_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [Path(sys.executable).parent / "altavoz-web"]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    try:
        # A static file: through the application (WhiteNoise is its middleware), no database.
        status, body = _get(port, "/static/altavoz/site.css")
        assert status == 200 and b"{" in body
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    assert server.returncode == 0, errors.decode()[-2000:]


def test_a_bad_value_stops_it_naming_the_variable(monkeypatch):
    monkeypatch.setenv("WEB_THREADS", "eight")
    with pytest.raises(ImproperlyConfigured, match="WEB_THREADS='eight' is not a whole number"):
        webserver.server()
