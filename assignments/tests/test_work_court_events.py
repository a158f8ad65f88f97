"""POST /api/v1/notices/<id>/events/ — the court's feedback on the lawyer's work: `not_heard` (the
10-day written opinion, M 20), `judgment` (M 18), `procedural_decision` (M 14) and
`evidence_request_decided` (M 16). Each shows on both case pages; an event that does not fit the
notice's state is 409, and changes nothing."""
import datetime as dt

import pytest

from assignments.models import CourtFeedback, WorkLogEntry
from assignments.tests import factories as f
from assignments.tests.work import PDF, at, codes, designated_case, fields, iso, log, log_files, post
from cases.deadlines.models import Deadline
from cases.models import Notice, NoticeEvent
from conftest import token_client
from legalaid import clock
from notifications.models import Message

pytestmark = pytest.mark.usefixtures("uploads")


@pytest.fixture
def case(world):
    return designated_case(world)


def event(client, notice, kind, **body):
    return post(client, f"/api/v1/notices/{notice.pk}/events/", {"type": kind, **body})


JUDGMENT = {"pronounced_on": "2026-11-20", "outcome": "判处有期徒刑二年", "defense_opinion_adopted": "partial",
            "reasons_if_not_adopted": "被告人系累犯，不予减轻处罚。"}


# --- not_heard -----------------------------------------------------------------------------------------

def test_not_heard_starts_the_lawyers_ten_days_and_the_opinion_meets_them(world, case, court_client):
    notified = clock.beijing_date(at(case, days=4))
    response = event(court_client, case.notice, "not_heard", notified_on=notified.isoformat())
    assert response.status_code == 201, response.content
    deadline = Deadline.objects.get(notice=case.notice, rule_code="lawyer_written_opinion_no_hearing")
    assert deadline.status == "open" and deadline.party == "lawyer" and deadline.basis == "M 20"
    assert clock.beijing_date(deadline.due_at) >= notified + dt.timedelta(days=10)
    assert any(d["rule"] == "lawyer_written_opinion_no_hearing" for d in response.json()["deadlines"])
    assert CourtFeedback.objects.get(notice=case.notice).notified_on == notified
    assert Message.objects.filter(recipient=case.user, kind="court_feedback").exists()
    opinion = log_files(token_client(case.user), case.notice, "written_opinion", [("意见.pdf", PDF)],
                        started_at=iso(at(case, days=6)))
    assert opinion.status_code == 201, opinion.content
    deadline.refresh_from_db()
    assert deadline.status == "met"


def test_an_opinion_before_the_not_heard_notice_does_not_meet_the_new_clock(case, court_client):
    log_files(token_client(case.user), case.notice, "written_opinion", [("意见.pdf", PDF)],
              started_at=iso(at(case, days=1)))
    event(court_client, case.notice, "not_heard", notified_on=clock.beijing_date(at(case, days=4)).isoformat())
    assert Deadline.objects.get(notice=case.notice, rule_code="lawyer_written_opinion_no_hearing").status == "open"


def test_not_heard_on_a_notice_without_a_lawyer_is_409(world, court_client):
    notice = f.notice(world)
    response = event(court_client, notice, "not_heard", notified_on="2026-11-01")
    assert response.status_code == 409 and codes(response) == {"notice_not_assigned"}
    assert not CourtFeedback.objects.exists()
    assert not Deadline.objects.filter(rule_code="lawyer_written_opinion_no_hearing").exists()


def test_not_heard_twice_is_409(case, court_client):
    assert event(court_client, case.notice, "not_heard", notified_on="2026-11-15").status_code == 201
    again = event(court_client, case.notice, "not_heard", notified_on="2026-11-16")
    assert again.status_code == 409 and codes(again) == {"already_reported"}
    assert CourtFeedback.objects.filter(notice=case.notice).count() == 1


@pytest.mark.parametrize("body, field, code", [
    ({}, "notified_on", "required"), ({"notified_on": "2099-01-01"}, "notified_on", "future_date"),
    ({"notified_on": "2026-01-01"}, "notified_on", "before_acceptance"),
    ({"notified_on": "2026-11-15", "why": "x"}, "why", "unknown_field")])
def test_a_bad_not_heard_is_400(case, court_client, body, field, code):
    response = event(court_client, case.notice, "not_heard", **body)
    assert response.status_code == 400 and code in codes(response) and field in fields(response)
    assert not CourtFeedback.objects.exists()


# --- judgment ------------------------------------------------------------------------------------------

def test_the_judgment_with_its_reasons_shows_on_both_case_pages(world, case, court_client, client):
    response = event(court_client, case.notice, "judgment", **JUDGMENT)
    assert response.status_code == 201, response.content
    judgment = CourtFeedback.objects.get(notice=case.notice, kind="judgment")
    assert judgment.opinion_adopted == "partial" and judgment.reasons_not_adopted.startswith("被告人系累犯")
    event_row = NoticeEvent.objects.get(notice=case.notice, code="judgment")
    assert event_row.data["defense_opinion_adopted"] == "partial" and event_row.actor == world.court_user
    assert Message.objects.filter(recipient=case.user, kind="court_feedback").exists()
    assert Message.objects.filter(recipient=world.staff, kind="court_feedback").exists()
    for user, url in ((case.user, f"/lawyer/cases/{case.notice.pk}/"), (world.staff, f"/notices/{case.notice.pk}/")):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert 'data-feedback="judgment"' in html and "判处有期徒刑二年" in html and 'data-adopted="partial"' in html
        assert "被告人系累犯" in html
    api = token_client(case.user).get(f"/api/v1/notices/{case.notice.pk}/feedback/").json()
    assert api[0]["kind"] == "judgment" and api[0]["basis"] == "M 18"


@pytest.mark.parametrize("adopted", ["partial", "none"])
def test_a_judgment_not_adopting_the_opinion_needs_reasons(case, court_client, adopted):
    response = event(court_client, case.notice, "judgment", **{**JUDGMENT, "defense_opinion_adopted": adopted,
                                                                "reasons_if_not_adopted": ""})
    assert response.status_code == 400 and codes(response) == {"required"}
    assert fields(response) == {"reasons_if_not_adopted"}
    assert not CourtFeedback.objects.exists() and not NoticeEvent.objects.filter(code="judgment").exists()


def test_a_judgment_adopting_the_opinion_in_full_needs_no_reasons(case, court_client):
    response = event(court_client, case.notice, "judgment", **{**JUDGMENT, "defense_opinion_adopted": "full",
                                                                "reasons_if_not_adopted": ""})
    assert response.status_code == 201


@pytest.mark.parametrize("change, field, code", [
    ({"defense_opinion_adopted": "mostly"}, "defense_opinion_adopted", "invalid_choice"),
    ({"pronounced_on": "2099-01-01"}, "pronounced_on", "future_date"),
    ({"outcome": ""}, "outcome", "required")])
def test_a_bad_judgment_is_400(case, court_client, change, field, code):
    response = event(court_client, case.notice, "judgment", **{**JUDGMENT, **change})
    assert response.status_code == 400 and code in codes(response) and field in fields(response)
    assert not CourtFeedback.objects.exists()


def test_a_judgment_for_a_notice_in_the_wrong_state_is_409(world, case, court_client):
    fresh = f.notice(world)
    response = event(court_client, fresh, "judgment", **JUDGMENT)
    assert response.status_code == 409 and codes(response) == {"notice_not_assigned"}
    Notice.objects.filter(pk=case.notice.pk).update(status="closed")
    closed = event(court_client, case.notice, "judgment", **JUDGMENT)
    assert closed.status_code == 409 and codes(closed) == {"notice_not_open"}
    assert not CourtFeedback.objects.exists()


def test_a_second_judgment_is_409(case, court_client):
    assert event(court_client, case.notice, "judgment", **JUDGMENT).status_code == 201
    again = event(court_client, case.notice, "judgment", **JUDGMENT)
    assert again.status_code == 409 and codes(again) == {"judgment_already_reported"}


def test_another_courts_event_is_404(case, other_court_client):
    response = event(other_court_client, case.notice, "judgment", **JUDGMENT)
    assert response.status_code == 404 and not CourtFeedback.objects.exists()


# --- procedural_decision -----------------------------------------------------------------------------

def test_a_major_procedural_decision_is_told_to_the_lawyer(world, case, court_client, client):
    response = event(court_client, case.notice, "procedural_decision", decision="trial_postponed",
                     decided_on="2026-11-18", summary="因公诉人申请补充侦查，延期审理。")
    assert response.status_code == 201, response.content
    item = CourtFeedback.objects.get(notice=case.notice)
    assert item.kind == "procedural_decision" and item.decision == "trial_postponed"
    assert Message.objects.filter(recipient=case.user, kind="court_feedback").exists()
    client.force_login(case.user)
    html = client.get(f"/lawyer/cases/{case.notice.pk}/").content.decode()
    assert 'data-decision="trial_postponed"' in html and "延期审理" in html


def test_another_decision_needs_its_summary(case, court_client):
    response = event(court_client, case.notice, "procedural_decision", decision="other", decided_on="2026-11-18")
    assert response.status_code == 400 and fields(response) == {"summary"}
    assert not CourtFeedback.objects.exists()


# --- evidence_request_decided --------------------------------------------------------------------------

def file_request(case, kind="evidence_request", days=8, subject="调取监控录像"):
    response = log(token_client(case.user), case.notice, kind, started_at=iso(at(case, days=days)), subject=subject)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_the_court_decides_the_request_and_meets_its_clock(case, court_client):
    request_id = file_request(case)
    listed = court_client.get(f"/api/v1/notices/{case.notice.pk}/court-requests/").json()
    assert [r["id"] for r in listed] == [request_id] and listed[0]["status"] == "awaiting"
    assert "notes" in listed[0] and "verification" not in listed[0]  # the request, nothing else of the log
    decided_on = clock.beijing_date(at(case, days=9)).isoformat()
    response = event(court_client, case.notice, "evidence_request_decided", request=request_id, decision="refused",
                     decided_on=decided_on, reasons="与本案无关")
    assert response.status_code == 201, response.content
    entry = WorkLogEntry.objects.get(pk=request_id)
    assert entry.status == "answered" and entry.decision == "refused" and entry.decision_reasons == "与本案无关"
    assert Deadline.objects.get(notice=case.notice, rule_code="court_decide_evidence_request").status == "met"
    assert Message.objects.filter(recipient=case.user, kind="court_request_decided").exists()


def test_the_request_may_be_left_out_when_one_awaits(case, court_client):
    request_id = file_request(case, kind="witness_request")
    response = event(court_client, case.notice, "evidence_request_decided", decision="granted",
                     decided_on=clock.beijing_date(at(case, days=9)).isoformat())
    assert response.status_code == 201
    assert WorkLogEntry.objects.get(pk=request_id).decision == "granted"


def test_the_clock_follows_the_oldest_undecided_request(case, court_client):
    first = file_request(case, days=7)
    second = file_request(case, kind="witness_request", days=8, subject="证人王某出庭")
    ambiguous = event(court_client, case.notice, "evidence_request_decided", decision="granted",
                      decided_on=clock.beijing_date(at(case, days=9)).isoformat())
    assert ambiguous.status_code == 400 and fields(ambiguous) == {"request"}
    event(court_client, case.notice, "evidence_request_decided", request=first, decision="granted",
          decided_on=clock.beijing_date(at(case, days=9)).isoformat())
    clocks = Deadline.objects.filter(notice=case.notice, rule_code="court_decide_evidence_request").order_by("id")
    assert [c.status for c in clocks] == ["met", "open"]
    assert clocks[1].trigger_at == WorkLogEntry.objects.get(pk=second).started_at


def test_decided_twice_or_nothing_to_decide_is_409(case, court_client):
    nothing = event(court_client, case.notice, "evidence_request_decided", decision="granted", decided_on="2026-11-20")
    assert nothing.status_code == 409 and codes(nothing) == {"no_pending_request"}
    request_id = file_request(case)
    day = clock.beijing_date(at(case, days=9)).isoformat()
    assert event(court_client, case.notice, "evidence_request_decided", request=request_id, decision="granted",
                 decided_on=day).status_code == 201
    again = event(court_client, case.notice, "evidence_request_decided", request=request_id, decision="refused",
                  decided_on=day)
    assert again.status_code == 409 and codes(again) == {"request_already_decided"}
    assert WorkLogEntry.objects.get(pk=request_id).decision == "granted"


def test_a_decision_before_the_request_or_for_an_unknown_request_is_400(case, court_client):
    request_id = file_request(case, days=8)
    early = event(court_client, case.notice, "evidence_request_decided", request=request_id, decision="granted",
                  decided_on=clock.beijing_date(at(case, days=7)).isoformat())
    assert early.status_code == 400 and codes(early) == {"before_request"}
    unknown = event(court_client, case.notice, "evidence_request_decided", request=999999, decision="granted",
                    decided_on="2026-11-20")
    assert unknown.status_code == 400 and codes(unknown) == {"unknown_request"}
    assert WorkLogEntry.objects.get(pk=request_id).status == "awaiting"
