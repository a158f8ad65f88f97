"""Deadline instances through the domain events that open, recount and close them (court API and
services), each on a fixed date with time frozen."""
import datetime as dt
import json

import pytest
import time_machine

from cases.deadlines.enforcement import sweep
from cases.deadlines.models import Deadline, DeadlineAction
from cases.deadlines.services import deadline_close, deadline_waive
from cases.models import NoticeEvent
from cases.tests.factories import notice_payload, receive
from legalaid.clock import BEIJING
from legalaid.errors import IllegalTransition, InvalidInput

UTC = dt.UTC


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


def post(client, url, body):
    return client.post(url, data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def deadlines(body):
    return {d["rule"]: d for d in body["deadlines"]}


def test_a_notice_received_on_30_september_is_due_on_the_make_up_saturday(court_client, world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        response = post(court_client, "/api/v1/notices/", notice_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["received_at"] == "2026-09-30T10:00:00+08:00"
    assign = deadlines(body)["agency_assign_lawyer"]
    assert assign == {**assign, "due_at": "2026-10-10T23:59:59+08:00", "status": "open", "provisional": False,
                      "basis": "M 5; N2018; LAL 36"}
    stored = Deadline.objects.get(rule_code="agency_assign_lawyer")
    # Stored in UTC: the end of the Beijing day is 15:59:59 UTC.
    assert stored.due_at == dt.datetime(2026, 10, 10, 15, 59, 59, tzinfo=UTC)
    assert Deadline.objects.filter(due_at=dt.datetime(2026, 10, 10, 15, 59, 59, tzinfo=UTC)).count() == 1
    # The court's rights notice counts from acceptance and is taken as done by the notice itself.
    inform = deadlines(body)["court_inform_rights"]
    assert inform["due_at"] == "2026-10-08T23:59:59+08:00" and inform["status"] == "met"


@pytest.mark.parametrize("received, due_at", [
    (bj(2026, 10, 9, 20, 0), "2026-10-13T23:59:59+08:00"),  # Friday evening; Saturday the 10th is worked
    (bj(2026, 9, 11, 21, 0), "2026-09-16T23:59:59+08:00"),  # an ordinary Friday evening
    (bj(2026, 2, 14, 17, 0), "2026-02-26T23:59:59+08:00"),  # the make-up Saturday before Spring Festival
    (bj(2026, 2, 13, 17, 0), "2026-02-25T23:59:59+08:00"),  # the Friday before it
])
def test_the_designation_clock_on_awkward_days(court_client, world, received, due_at):
    with time_machine.travel(received, tick=False):
        body = post(court_client, "/api/v1/notices/",
                    notice_payload(accepted_on=received.date().isoformat())).json()
    assert deadlines(body)["agency_assign_lawyer"]["due_at"] == due_at


def test_the_materials_clock_follows_the_hearing_when_it_moves_later(court_client, world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        body = post(court_client, "/api/v1/notices/", notice_payload(
            hearing={"starts_at": "2026-11-16T09:00:00+08:00", "place": "第三审判庭"})).json()
    assert deadlines(body)["court_supplement_materials"]["due_at"] == "2026-10-30T23:59:59+08:00"
    with time_machine.travel(bj(2026, 10, 12, 15, 0), tick=False):
        response = post(court_client, f"/api/v1/notices/{body['id']}/events/",
                        {"type": "hearing_changed", "starts_at": "2026-11-23T09:00:00+08:00", "place": "第一审判庭"})
    assert response.status_code == 201, response.content
    moved = deadlines(response.json())["court_supplement_materials"]
    assert moved["due_at"] == "2026-11-06T23:59:59+08:00" and moved["status"] == "open"
    assert Deadline.objects.filter(rule_code="court_supplement_materials").count() == 1
    assert NoticeEvent.objects.filter(notice_id=body["id"], code="hearing_changed").exists()


def test_a_breached_materials_clock_runs_again_when_the_hearing_moves_later(court_client, world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        body = post(court_client, "/api/v1/notices/", notice_payload(
            hearing={"starts_at": "2026-11-16T09:00:00+08:00", "place": "第三审判庭"})).json()
    with time_machine.travel(bj(2026, 10, 31, 8, 0), tick=False):
        sweep()
    deadline = Deadline.objects.get(rule_code="court_supplement_materials")
    assert deadline.status == "breached"
    with time_machine.travel(bj(2026, 11, 2, 9, 0), tick=False):
        response = post(court_client, f"/api/v1/notices/{body['id']}/events/",
                        {"type": "hearing_changed", "starts_at": "2026-12-07T09:00:00+08:00", "place": "第一审判庭"})
    assert deadlines(response.json())["court_supplement_materials"] == {
        **deadlines(response.json())["court_supplement_materials"], "status": "open",
        "due_at": "2026-11-20T23:59:59+08:00"}
    # The breach stays in the register.
    assert DeadlineAction.objects.filter(deadline=deadline, step="breach").count() == 1


def test_closing_a_clock_is_met_until_the_due_second_has_passed(world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        first, second = receive(world), receive(world)
    met = deadline_close(notice=first, code="agency_assign_lawyer", at=bj(2026, 10, 10, 23, 59, 59, 900000),
                         actor=world.staff)
    assert (met.status, met.closed_by) == ("met", world.staff)
    late = deadline_close(notice=second, code="agency_assign_lawyer", at=bj(2026, 10, 11, 0, 0, 0))
    assert late.status == "met_late"
    assert deadline_close(notice=second, code="agency_assign_lawyer") is None  # nothing running any more


def test_a_breached_clock_closed_later_is_met_late(world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        notice = receive(world)
    with time_machine.travel(bj(2026, 10, 11, 0, 5), tick=False):
        sweep()
    assert Deadline.objects.get(rule_code="agency_assign_lawyer").status == "breached"
    closed = deadline_close(notice=notice, code="agency_assign_lawyer", at=bj(2026, 10, 12, 9, 0))
    assert closed.status == "met_late" and closed.breached_at is not None


@pytest.fixture
def running(world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        notice = receive(world)
    return Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")


def test_waiving_records_the_reason_and_who(running, world):
    with time_machine.travel(bj(2026, 10, 2, 11, 0), tick=False):
        waived = deadline_waive(deadline=running, actor=world.supervisor, reason="  法院撤回通知  ")
    assert (waived.status, waived.waive_reason, waived.closed_by) == ("waived", "法院撤回通知", world.supervisor)
    assert waived.closed_at == bj(2026, 10, 2, 11, 0) and waived.next_action_at is None
    event = NoticeEvent.objects.get(notice=running.notice, code="deadline_waived")
    assert event.actor == world.supervisor and event.data["reason"] == "法院撤回通知"
    assert event.data["rule"] == "agency_assign_lawyer"


@pytest.mark.parametrize("reason, code", [("", "reason_required"), ("   ", "reason_required"),
                                          (None, "reason_required"), ("x" * 1001, "reason_too_long")])
def test_waiving_without_a_proper_reason_is_refused(running, world, reason, code):
    with pytest.raises(InvalidInput) as info:
        deadline_waive(deadline=running, actor=world.staff, reason=reason)
    assert info.value.code == code and info.value.field == "reason"
    running.refresh_from_db()
    assert running.status == "open" and running.waive_reason == "" and running.closed_by is None
    assert not NoticeEvent.objects.filter(code="deadline_waived").exists()


def test_a_closed_clock_cannot_be_waived(running, world):
    deadline_close(notice=running.notice, code="agency_assign_lawyer", at=bj(2026, 10, 9, 9, 0))
    running.refresh_from_db()
    with pytest.raises(IllegalTransition):
        deadline_waive(deadline=running, actor=world.staff, reason="too late")
    running.refresh_from_db()
    assert running.status == "met" and running.waive_reason == ""


def test_a_stale_copy_cannot_waive_a_clock_closed_meanwhile(running, world):
    stale = Deadline.objects.get(pk=running.pk)
    deadline_close(notice=running.notice, code="agency_assign_lawyer", at=bj(2026, 10, 9, 9, 0))
    with pytest.raises(IllegalTransition):
        deadline_waive(deadline=stale, actor=world.staff, reason="reason")
    assert Deadline.objects.get(pk=running.pk).status == "met"


def test_retained_counsel_waives_every_running_clock(court_client, world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        body = post(court_client, "/api/v1/notices/", notice_payload(
            hearing={"starts_at": "2026-11-16T09:00:00+08:00", "place": "第三审判庭"})).json()
        response = post(court_client, f"/api/v1/notices/{body['id']}/events/",
                        {"type": "retained_counsel", "lawyer_name": "王律师", "firm": "某律师事务所"})
    assert response.status_code == 201
    statuses = {d["rule"]: d["status"] for d in response.json()["deadlines"]}
    assert statuses == {"agency_assign_lawyer": "waived", "court_supplement_materials": "waived",
                        "court_inform_rights": "met"}
    assert Deadline.objects.filter(status="waived", closed_by=world.court_user).count() == 2
