"""Acknowledged means durable (issue 21): under load, a web process killed with SIGKILL and a
delivery worker killed with SIGKILL lose no signature that was answered with success, and
store none twice. Every answer the clients saw is compared with the database afterwards.

The real production server (`altavoz-web`: two processes, granian starts a killed one again)
and the real worker run against the test database; clients sign over HTTP as new visitors
(their own connection, cookies and form), eight at a time."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db.models import Count

import smtp_sink as smtp
import worker_process as wp
from altavoz.campaigns.models import Person, Signature
from altavoz.delivery.models import Delivery
from altavoz.districts.models import Official

PATH = "/act/miami-287g/"
HIDDEN = re.compile(r'<input type="hidden" name="(rendered)" value="([^"]*)"')
AREA = re.compile(r'name="area" value="([0-9a-f-]{36})"')
CLIENTS, SIGNERS, KILL_AFTER = 8, 240, 60  # the kills come once 60 were answered


class Clients:
    """New visitors signing over HTTP: each GETs the page on a new connection, then POSTs."""

    def __init__(self, port: int):
        self.port = port
        self.answers: dict[str, int | str] = {}  # email: status, or the error seen
        self.lock = threading.Lock()
        self.next = iter(range(SIGNERS))

    def _request(self, connection, method, cookies="", body=None, n=0):
        headers = {"X-Forwarded-For": f"2001:db8:21:{n:x}::1", "Cookie": cookies}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, PATH, body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read().decode()

    def sign(self, n: int) -> None:
        email = f"signer{n}@example.org"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            page, html = self._request(connection, "GET", n=n)
            cookies = "; ".join(
                value.split(";")[0]
                for name, value in page.getheaders()
                if name.lower() == "set-cookie"
            )
            form = {
                **dict(HIDDEN.findall(html)), "first_name": f"N{n}", "last_name": "Signer",
                "email": email, "street_address": "1 NW 1st St", "zip_code": "33128",
                "letter_body": "Please vote NO.", "area": AREA.findall(html)[n % 5],
            }  # fmt: skip
            answer, _ = self._request(connection, "POST", cookies, urlencode(form), n)
            status: int | str = answer.status
        except (OSError, http.client.HTTPException, IndexError) as error:
            status = type(error).__name__  # a connection the kill cut: no success answer
        finally:
            connection.close()
        with self.lock:
            self.answers[email] = status

    def run(self) -> None:
        while True:
            with self.lock:
                n = next(self.next, None)
            if n is None:
                return
            self.sign(n)

    def tally(self) -> Counter:
        with self.lock:
            return Counter(self.answers.values())

    def succeeded(self) -> set[str]:
        with self.lock:
            return {email for email, status in self.answers.items() if status == 302}


def _web_processes(master: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serving(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _wait(condition, what: str, timeout: float = 90) -> None:
    wp.wait_until(condition, timeout=timeout, what=what)


@pytest.fixture
def sink():
    with smtp.serving(delay=0.02) as sink:
        yield sink


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_web_process_and_worker_lose_and_double_no_acknowledged_signature(
    miami, settings, sink, tmp_path
):
    smtp_port, recorder = sink
    miami.is_demo = False  # letters go to the officials (the sink)
    miami.save()
    for official in Official.objects.filter(post__area__boundary_set=miami.target_set):
        official.email = f"official{official.post.area.number}@city.example"
        official.save()
    database_url = wp.test_database_url()
    port = _free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url, "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0", "ALTAVOZ_DEMO": "0", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": "", "ALTAVOZ_VAR_DIR": str(tmp_path),
        "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "2", "WEB_THREADS": "4",
        "TRUSTED_PROXY_COUNT": "1", "SHIELD_MIN_FILL_SECONDS": "0", "PROOF_OF_WORK": "off",
    }  # fmt: skip
    web = subprocess.Popen([Path(sys.executable).parent / "altavoz-web"], env=env)
    worker = wp.start_worker(database_url=database_url, smtp_port=smtp_port)
    clients = Clients(port)
    try:
        _wait(lambda: len(_web_processes(web.pid)) == 2 and _serving(port), "the web server")
        threads = [threading.Thread(target=clients.run) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        try:
            _wait(lambda: len(clients.succeeded()) >= KILL_AFTER, f"{KILL_AFTER} signatures")
        except AssertionError as error:
            raise AssertionError(f"{error}; answers: {clients.tally()}") from None
        killed_web = _web_processes(web.pid)[0]
        os.kill(killed_web, signal.SIGKILL)  # mid-request: eight clients are signing
        worker.send_signal(signal.SIGKILL)  # mid-batch, its letters claimed
        worker.wait()
        worker = wp.start_worker(database_url=database_url, smtp_port=smtp_port)
        for thread in threads:
            thread.join()
        assert killed_web not in _web_processes(web.pid)  # it was killed, another serves
        _wait(
            lambda: not Delivery.objects.exclude(status=Delivery.Status.SENT).exists(),
            "every letter sent",
        )
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)
        wp.stop(worker)
    answered = clients.succeeded()
    assert len(answered) > KILL_AFTER + 60  # signing went on after the kills
    stored = dict(Signature.objects.values_list("person__email").annotate(n=Count("pk")).order_by())
    assert answered <= set(stored)  # no acknowledged signature lost
    assert all(n == 1 for n in stored.values())  # none stored twice
    assert not Person.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Delivery.objects.count() == len(stored)  # one letter each, all sent
    received = smtp.letters_received(recorder)
    assert set(received) == smtp.letters_expected()  # every letter arrived
    # Only the letters in flight when the worker was killed may arrive twice (same Message-ID).
    assert len(received) - len(set(received)) <= settings.DELIVERY_BATCH_SIZE
