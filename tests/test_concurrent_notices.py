"""Concurrency: identical notices posted at the same moment from many threads, each with its own
database connection, end as exactly one notice (the partial unique index decides, not luck)."""
import json
import threading

import pytest
from django.db import connections
from django.test import Client

from cases.models import CourtCase, Defendant, Notice
from cases.tests.factories import build_world, notice_payload

THREADS = 20


def _hammer(token, body, headers=None):
    barrier = threading.Barrier(THREADS)
    results = []

    def worker():
        client = Client(HTTP_AUTHORIZATION=f"Token {token}", **(headers or {}))
        barrier.wait()
        try:
            response = client.post("/api/v1/notices/", data=json.dumps(body, ensure_ascii=False),
                                   content_type="application/json")
            results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def court_token(postgres_only):
    from conftest import token_client

    world = build_world()
    return token_client(world.court_user).raw_token


def test_twenty_identical_notices_make_one(court_token):
    results = _hammer(court_token, notice_payload())
    statuses = sorted(status for status, _body in results)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == THREADS - 1
    existing = {body["existing"] for status, body in results if status == 409}
    created = [body for status, body in results if status == 201][0]
    assert existing == {f"/api/v1/notices/{created['id']}/"}
    assert Notice.objects.count() == 1
    assert CourtCase.objects.count() == 1 and Defendant.objects.count() == 1


def test_twenty_replays_of_one_key_make_one_and_all_get_it(court_token):
    results = _hammer(court_token, notice_payload(), headers={"HTTP_IDEMPOTENCY_KEY": "same-key"})
    assert {status for status, _body in results} == {201}
    assert len({body["id"] for _status, body in results}) == 1
    assert Notice.objects.count() == 1
