"""Concurrency on PostgreSQL: evaluations of one lawyer's cases saved at the same moment, each
regrading its case and finding the suspension pattern, end with exactly one open proposal (the
partial unique index decides); evaluations of one case at once leave one grade row."""
import json
import threading

import pytest
from django.db import connections
from django.test import Client

from assignments.tests import factories as f
from assignments.tests.work import designated_case
from quality.models import CaseGrade, Evaluation, SuspensionProposal
from quality.services import evaluation_create


def _at_once(requests):
    barrier = threading.Barrier(len(requests))
    results = []

    def worker(token, path, body):
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        barrier.wait()
        try:
            response = client.post(path, data=json.dumps(body, ensure_ascii=False), content_type="application/json")
            results.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def setting(postgres_only, settings, tmp_path):
    from cases.tests.factories import build_world
    from conftest import token_client

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    world = build_world()
    return world, token_client(world.staff).raw_token


def test_concurrent_fails_make_one_proposal(setting):
    world, token = setting
    lawyer = f.lawyer(world, account=True)
    first = designated_case(world, lawyer=lawyer)
    evaluation_create(notice=first.notice, kind="hearing_observation", score=0, actor=world.staff)  # one fail
    cases = [designated_case(world, lawyer=lawyer) for _ in range(6)]
    body = {"kind": "file_check", "score": 0}
    results = _at_once([(token, f"/api/v1/notices/{c.notice.pk}/evaluations/", body) for c in cases])
    assert results == [201] * 6
    assert SuspensionProposal.objects.filter(lawyer=lawyer, status="proposed").count() == 1


def test_concurrent_evaluations_of_one_case_leave_one_grade(setting):
    world, token = setting
    case = designated_case(world)
    body = {"kind": "file_check", "score": 80}
    results = _at_once([(token, f"/api/v1/notices/{case.notice.pk}/evaluations/", body)] * 8)
    assert results == [201] * 8
    assert Evaluation.objects.count() == 8 and CaseGrade.objects.filter(designation=case.designation).count() == 1
