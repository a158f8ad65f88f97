"""POST /api/v1/notices/<id>/events/ {"type": "defendant_refused"} — every branch of M 6, SPCI 50 and
SPCI 311, each refusal recorded in writing; and retained_counsel ending the designation."""
import datetime as dt

import pytest
import time_machine

from assignments.models import Designation, Refusal
from assignments.tests import factories as f
from cases.deadlines.models import Deadline
from cases.models import Notice
from legalaid import clock
from notifications.models import Message


def event(client, notice, **body):
    return f.post(client, f"/api/v1/notices/{notice.pk}/events/", {"type": "defendant_refused", **body})


@pytest.fixture
def lawyers(world):
    return [f.lawyer(world, name=f"律师{i}", account=True, specialities=["minors"]) for i in range(4)]


def designated(world, lawyers, **notice_kwargs):
    notice = f.notice(world, **notice_kwargs)
    f.designate(world, notice, lawyers[0], reason="首次指派")
    return notice


MANDATORY = {"defendant__may_face_life_or_death": True}


def test_mandatory_with_a_valid_reason_gives_five_days_to_retain_then_redesignation(world, lawyers, court_client,
                                                                                  staff_client):
    notice = designated(world, lawyers, **MANDATORY)
    response = event(court_client, notice, reason="与律师意见不合，希望自行委托", valid_reason=True)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "received" and response.json()["assignment"] is None
    refusal = Refusal.objects.get(notice=notice)
    assert refusal.outcome == "retain_window" and refusal.basis == "M 6(1); SPCI 50"
    assert refusal.reason == "与律师意见不合，希望自行委托"
    ended = Designation.objects.get(notice=notice)
    assert ended.status == "ended" and ended.end_reason == "refused"
    assert Message.objects.filter(recipient=lawyers[0].user, kind="designation_ended").exists()
    retain = Deadline.objects.get(notice=notice, rule_code="retain_after_refusal")
    assert retain.status == "open" and retain.party == "defendant"
    assign = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer", status="open")
    assert assign.due_at > retain.due_at  # the agency's clock counts from the end of the 5 days
    # Within the 5 days the agency waits for the defendant's own counsel.
    early = f.post(staff_client, f"/api/v1/notices/{notice.pk}/designations/", {"lawyer": lawyers[1].pk})
    assert early.status_code == 409 and f.codes(early) == {"awaiting_retained_counsel"}
    with time_machine.travel(retain.due_at + dt.timedelta(hours=1), tick=False):
        late = f.post(staff_client, f"/api/v1/notices/{notice.pk}/designations/",
                      {"lawyer": lawyers[1].pk, "reason": "重新指派"})
    assert late.status_code == 201, late.content
    retain.refresh_from_db()
    assert retain.status == "waived"


def test_mandatory_refusal_then_retained_counsel_withdraws_aid(world, lawyers, court_client):
    notice = designated(world, lawyers, **MANDATORY)
    event(court_client, notice, reason="家属将委托律师", valid_reason=True)
    response = f.post(court_client, f"/api/v1/notices/{notice.pk}/events/",
                      {"type": "retained_counsel", "lawyer_name": "赵律师", "firm": "某某律师事务所"})
    assert response.status_code == 201 and response.json()["status"] == "withdrawn"


def test_mandatory_without_a_valid_reason_is_not_allowed(world, lawyers, court_client):
    notice = designated(world, lawyers, **MANDATORY)
    response = event(court_client, notice, reason="不想要", valid_reason=False)
    assert response.status_code == 201 and response.json()["status"] == "assigned"
    assert Refusal.objects.get(notice=notice).outcome == "not_allowed"
    assert Designation.objects.get(notice=notice).status == "pending"
    assert response.json()["assignment"]["lawyer"]["name"] == lawyers[0].name


def test_full_coverage_self_defence_terminates_aid(world, lawyers, court_client):
    notice = designated(world, lawyers)
    response = event(court_client, notice, reason="坚持自行辩护", valid_reason=False)
    assert response.status_code == 201 and response.json()["status"] == "terminated"
    refusal = Refusal.objects.get(notice=notice)
    assert refusal.outcome == "terminated" and refusal.basis == "M 6(2); LAL 48"
    assert Designation.objects.get(notice=notice).end_reason == "terminated"
    assert not Deadline.objects.filter(notice=notice, status="open").exists()


def test_full_coverage_justified_change_brings_another_lawyer(world, lawyers, court_client, staff_client):
    notice = designated(world, lawyers)
    response = event(court_client, notice, reason="律师未会见，要求更换", valid_reason=True)
    assert response.status_code == 201 and response.json()["status"] == "received"
    assert Refusal.objects.get(notice=notice).outcome == "redesignate"
    assert Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer", status="open")
    candidates = staff_client.get(f"/api/v1/notices/{notice.pk}/recommendation/").json()
    assert lawyers[0].pk not in [c["lawyer"]["id"] for c in candidates["candidates"]]
    again = f.post(staff_client, f"/api/v1/notices/{notice.pk}/designations/",
                   {"lawyer": lawyers[0].pk, "reason": "x"})
    assert again.status_code == 400 and f.codes(again) == {"lawyer_not_eligible"}


def test_full_coverage_explicitly_not_defending_self_without_valid_reason_is_not_allowed(world, lawyers,
                                                                                          court_client):
    notice = designated(world, lawyers)
    response = event(court_client, notice, reason="随口一说", valid_reason=False, defend_self=False)
    assert response.status_code == 201 and response.json()["status"] == "assigned"
    assert Refusal.objects.get(notice=notice).outcome == "not_allowed"


def test_counsel_changes_at_most_twice(world, lawyers, court_client):
    notice = designated(world, lawyers)
    for i in (1, 2):
        assert event(court_client, notice, reason=f"第{i}次更换", valid_reason=True).json()["status"] == "received"
        f.designate(world, notice, lawyers[i], reason="重新指派")
    response = event(court_client, notice, reason="第3次", valid_reason=True)
    assert response.status_code == 201 and response.json()["status"] == "assigned"
    assert list(Refusal.objects.filter(notice=notice).values_list("outcome", flat=True)) == [
        "redesignate", "redesignate", "limit_reached"]
    assert Designation.objects.get(notice=notice, status="pending").lawyer == lawyers[2]


def test_a_refusal_needs_a_designation_and_a_reason(world, lawyers, court_client):
    notice = f.notice(world)
    response = event(court_client, notice, reason="x", valid_reason=True)
    assert response.status_code == 409 and f.codes(response) == {"no_designation"}
    f.designate(world, notice, lawyers[0], reason="首次指派")
    for body, code in [({"reason": "", "valid_reason": True}, "required"), ({"reason": "x"}, "required"),
                       ({"reason": "x", "valid_reason": "maybe"}, "invalid"),
                       ({"reason": "x", "valid_reason": True, "extra": 1}, "unknown_field")]:
        response = event(court_client, notice, **body)
        assert response.status_code == 400 and code in f.codes(response), (body, response.content)
    assert not Refusal.objects.exists()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ASSIGNED


def test_a_refusal_on_a_closed_notice_is_a_conflict(world, lawyers, court_client):
    notice = designated(world, lawyers)
    Notice.objects.filter(pk=notice.pk).update(status="terminated")
    response = event(court_client, notice, reason="x", valid_reason=True)
    assert response.status_code == 409
    assert not Refusal.objects.exists()


def test_retained_counsel_after_designation_withdraws_and_tells_the_lawyer(world, lawyers, court_client):
    notice = designated(world, lawyers)
    response = f.post(court_client, f"/api/v1/notices/{notice.pk}/events/",
                      {"type": "retained_counsel", "lawyer_name": "赵律师", "firm": "某某律师事务所"})
    assert response.status_code == 201 and response.json()["status"] == "withdrawn"
    designation = Designation.objects.get(notice=notice)
    assert designation.status == "ended" and designation.end_reason == "withdrawn"
    assert Message.objects.filter(recipient=lawyers[0].user, kind="designation_ended").exists()
    assert clock.now() >= designation.ended_at
