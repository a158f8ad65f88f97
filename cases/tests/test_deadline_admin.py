"""The admin: entering a year's calendar with its days inline (and the recount it starts), the
jurisdiction rules, and waiving deadlines with a reason."""
import datetime as dt

import pytest
import time_machine
from django.test import Client

from cases.deadlines.models import CalendarDay, CalendarYear, Deadline, JurisdictionRule
from cases.tests.factories import receive
from legalaid.clock import BEIJING
from notifications.models import Message


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def admin_client(world):
    client = Client()
    client.force_login(world.admin)
    return client


def days_formset(rows, initial=0, existing=()):
    data = {"days-TOTAL_FORMS": str(len(existing) + len(rows)), "days-INITIAL_FORMS": str(initial),
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000"}
    for n, (pk, date, kind, name) in enumerate([*existing, *[(None, *r) for r in rows]]):
        data.update({f"days-{n}-date": date, f"days-{n}-kind": kind, f"days-{n}-name": name})
        if pk:
            data.update({f"days-{n}-id": str(pk), f"days-{n}-year": ""})
    return data


@pytest.fixture
def provisional(world):
    with time_machine.travel(bj(2026, 12, 30, 10, 0), tick=False):
        notice = receive(world)
    return Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")


def test_an_administrator_enters_2027_with_its_days(admin_client, provisional):
    response = admin_client.post("/admin/cases/calendaryear/add/", {
        "year": "2027", "announcement": "国办发明电（测试）", "_save": "Save",
        **days_formset([("2027-01-01", "holiday", "元旦"), ("2027-02-20", "workday", "补班")])})
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.source == "admin" and year.days.count() == 2
    provisional.refresh_from_db()
    assert (provisional.due_at, provisional.provisional) == (bj(2027, 1, 5, 23, 59, 59), False)
    assert Message.objects.filter(kind="deadline_moved").count() == 3
    assert admin_client.get("/admin/cases/calendaryear/").status_code == 200
    assert admin_client.get(f"/admin/cases/calendaryear/{year.pk}/change/").status_code == 200


@pytest.mark.parametrize("rows", [
    [("2027-02-17", "workday", "a Wednesday")],
    [("2028-01-01", "holiday", "next year")],
    [("2027-02-20", "workday", ""), ("2027-02-20", "holiday", "")],
])
def test_days_that_break_the_rules_are_refused(admin_client, provisional, rows):
    response = admin_client.post("/admin/cases/calendaryear/add/", {
        "year": "2027", "announcement": "", "_save": "Save", **days_formset(rows)})
    assert response.status_code == 200  # the form again, with its errors
    assert not CalendarYear.objects.filter(year=2027).exists()
    provisional.refresh_from_db()
    assert provisional.provisional is True


def test_editing_an_entered_year_recounts_the_deadlines_it_touches(admin_client, world):
    with time_machine.travel(bj(2026, 11, 11, 10, 0), tick=False):
        notice = receive(world, accepted_on="2026-11-11")
    deadline = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")
    assert deadline.due_at == bj(2026, 11, 16, 23, 59, 59)
    year = CalendarYear.objects.get(year=2026)
    existing = [(d.pk, d.date.isoformat(), d.kind, d.name) for d in year.days.order_by("date")]
    response = admin_client.post(f"/admin/cases/calendaryear/{year.pk}/change/", {
        "announcement": year.announcement, "_save": "Save",
        **days_formset([("2026-11-13", "holiday", "test")], initial=len(existing), existing=existing)})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CalendarDay.objects.get(date=dt.date(2026, 11, 13)).kind == "holiday"
    deadline.refresh_from_db()
    assert deadline.due_at == bj(2026, 11, 17, 23, 59, 59)


def test_a_calendar_year_cannot_be_deleted(admin_client):
    year = CalendarYear.objects.get(year=2026)
    assert admin_client.post(f"/admin/cases/calendaryear/{year.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CalendarYear.objects.filter(year=2026).exists()


def test_jurisdiction_rules_are_validated(admin_client, world):
    base = {"region": world.city.pk, "period": "24", "unit": "hours", "basis": "local", "active": "on",
            "rolls_over": "on", "trigger": "", "title_en": "", "party": "", "_save": "Save"}
    response = admin_client.post("/admin/cases/jurisdictionrule/add/", {**base, "code": "local_file", "title_zh": ""})
    assert response.status_code == 200 and not JurisdictionRule.objects.exists()
    response = admin_client.post("/admin/cases/jurisdictionrule/add/", {
        **base, "code": "local_file", "title_zh": "提供案卷", "party": "court"})
    assert response.status_code == 302
    assert JurisdictionRule.objects.get().code == "local_file"


def test_the_waive_action_asks_for_a_reason(admin_client, world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        notice = receive(world)
    deadline = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")
    url = "/admin/cases/deadline/"
    assert admin_client.get(url).status_code == 200
    asked = admin_client.post(url, {"action": "waive_selected", "_selected_action": [deadline.pk]})
    assert asked.status_code == 200 and Deadline.objects.get(pk=deadline.pk).status == "open"
    refused = admin_client.post(url, {"action": "waive_selected", "_selected_action": [deadline.pk],
                                      "apply": "1", "reason": "  "})
    assert refused.status_code == 400 and Deadline.objects.get(pk=deadline.pk).status == "open"
    done = admin_client.post(url, {"action": "waive_selected", "_selected_action": [deadline.pk],
                                   "apply": "1", "reason": "通知错发"})
    assert done.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.status, deadline.waive_reason, deadline.closed_by) == ("waived", "通知错发", world.admin)
    # A second waive of the same (now closed) deadline is refused and changes nothing.
    admin_client.post(url, {"action": "waive_selected", "_selected_action": [deadline.pk], "apply": "1",
                            "reason": "again"})
    deadline.refresh_from_db()
    assert deadline.waive_reason == "通知错发"
