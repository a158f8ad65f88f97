"""Test data for quality: a case designated some days ago with the lawyer's work logged through the
API (as the lawyer would), an evaluator, and request helpers."""
import pytest

from assignments.tests.work import FILE_REVIEW, MEETING, PDF, at, designated_case, iso, log, log_files, post
from cases.tests.factories import UserFactory
from conftest import token_client
from legalaid.models import Role

JUDGMENT = {"type": "judgment", "pronounced_on": None, "outcome": "判处有期徒刑一年",
            "defense_opinion_adopted": "full"}


def evaluator(world, **kwargs):
    """A third-party evaluator (a senior lawyer acting as one) at the prefecture agency."""
    return UserFactory(username=kwargs.pop("username", "evaluator"), full_name="钱评估", role=Role.EVALUATOR,
                       agency=world.city_agency, **kwargs)


def work(case, *, meeting_day=1, file_review=True, preparation_day=3, hearing=True, whole=True,
         opinion_day=4):
    """Log the lawyer's work: None for a day (or False) leaves that item out."""
    client = token_client(case.user)
    if meeting_day is not None:
        assert log(client, case.notice, "meeting", started_at=iso(at(case, days=meeting_day)),
                   **MEETING).status_code == 201
    if file_review:
        response = log(client, case.notice, "file_review", started_at=iso(at(case, days=2)), **FILE_REVIEW)
        assert response.status_code == 201, response.json()
    if preparation_day is not None:
        response = log(client, case.notice, "preparation", started_at=iso(at(case, days=preparation_day)),
                       notes="拟定辩护提纲：自首、初犯。")
        assert response.status_code == 201, response.json()
    if hearing:
        body = {"started_at": iso(at(case, days=5)), "ended_at": iso(at(case, days=5, hours=2)),
                "whole_hearing": whole}
        if not whole:
            body["absence_reason"] = "中途离庭"
        assert log(client, case.notice, "hearing", **body).status_code == 201
    if opinion_day is not None:
        response = log_files(client, case.notice, "written_opinion", [("辩护意见.pdf", PDF)],
                             started_at=iso(at(case, days=opinion_day)))
        assert response.status_code == 201, response.json()
    return client


def judgment(world, case, *, adopted="full", reasons="", day=6):
    body = dict(JUDGMENT, pronounced_on=at(case, days=day).date().isoformat(), defense_opinion_adopted=adopted)
    if reasons:
        body["reasons_if_not_adopted"] = reasons
    response = post(token_client(world.court_user), f"/api/v1/notices/{case.notice.pk}/events/", body)
    assert response.status_code in (200, 201), response.json()
    return response


@pytest.fixture
def case(world):
    return designated_case(world)
