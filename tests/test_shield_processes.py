"""Limits and proof-of-work replay protection hold across web processes without Redis:
``altavoz-web`` runs one process per core, and each one used to keep its own counters.

Each test signs from two real processes sharing the test database (PostgreSQL or SQLite),
through the real view, with no REDIS_URL."""

import threading

import pytest
from django.db import connection

import signing_process as sp
import worker_process as wp
from altavoz.campaigns.models import Signature
from altavoz.shield import proofofwork


def _env(settings, **overrides) -> dict:
    return sp.environment(wp.test_database_url(), settings.SECRET_KEY, **overrides)


@pytest.mark.django_db(transaction=True)
def test_a_solved_proof_of_work_is_accepted_once_across_processes(client, miami, settings):
    env = _env(settings, PROOF_OF_WORK="adaptive", ALTCHA_MAX_NUMBER=2000)
    settings.ALTCHA_MAX_NUMBER = 2000
    payload = proofofwork.solve(client.get("/act/miami-287g/challenge.json").json())
    first = sp.statuses(sp.start([{"email": "one@example.com", "altcha": payload}], env))
    second = sp.statuses(sp.start([{"email": "two@example.com", "altcha": payload}], env))
    assert (first, second) == ([302], [400])
    assert Signature.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_limit_per_connection_holds_across_processes(miami, settings):
    env = _env(settings, PROOF_OF_WORK="off", SHIELD_IP_LIMIT=5)
    posts = [[{"email": f"p{n}-{k}@example.com"} for n in range(5)] for k in range(2)]
    processes = [sp.start(batch, env) for batch in posts]  # both at once
    answers = [status for process in processes for status in sp.statuses(process)]
    assert sorted(answers) == [302] * 5 + [429] * 5
    assert Signature.objects.count() == 5


def test_counts_from_two_connections_add_up(transactional_db):
    """Two database connections hitting one counter at once: every count is given once."""
    from altavoz.shield import store

    seen: list[int] = []
    barrier = threading.Barrier(2)

    def hit():
        try:
            barrier.wait()
            seen.extend(store.count("rl:ip:both", seconds=60) for _ in range(50))
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(1, 101))
    assert store.current("rl:ip:both") == 100
