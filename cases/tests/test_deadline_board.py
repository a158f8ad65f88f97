"""/deadlines/ (the staff board), /deadlines/breaches/ (the breach register) and the waive page:
roles and scope, sections, filters, fixed query counts, and every bad input of the waive form."""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.deadlines.enforcement import sweep
from cases.deadlines.models import Deadline, DeadlineAction
from cases.deadlines.services import deadline_close, deadline_open
from cases.models import NoticeEvent
from cases.tests.factories import UserFactory, receive
from legalaid.clock import BEIJING
from legalaid.models import Role

BOARD, BREACHES = "/deadlines/", "/deadlines/breaches/"
NOW = dt.datetime(2026, 10, 9, 10, 0, tzinfo=BEIJING)  # Friday; Saturday 10 October is a working day


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def received(world, when, court=None, **kwargs):
    kwargs.setdefault("accepted_on", when.date().isoformat())
    with time_machine.travel(when, tick=False):
        if court is None:
            return receive(world, **kwargs)
        from cases.api.serializers import NoticeCreateSerializer
        from cases.services import notice_receive
        from cases.tests.factories import notice_payload

        serializer = NoticeCreateSerializer(data=notice_payload(court=court, **kwargs))
        serializer.is_valid(raise_exception=True)
        user = world.other_court_user
        return notice_receive(court=court, data=serializer.validated_data, actor=user)


def assignment(notice):
    return Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")


@pytest.fixture
def board(world):
    """Designation clocks of the Yicheng agency: overdue (swept: breached), overdue (not swept yet),
    due today, at risk, later; one of the Xiping agency's; and a court-side one at risk."""
    b = type("Board", (), {})()
    b.breached = assignment(received(world, bj(2026, 9, 25, 10, 0)))  # due 30 September
    with time_machine.travel(bj(2026, 10, 1, 0, 5), tick=False):
        sweep()
    b.unswept = assignment(received(world, bj(2026, 9, 28, 10, 0)))  # due 8 October
    b.today = assignment(received(world, bj(2026, 9, 29, 10, 0)))  # due 9 October
    b.at_risk = assignment(received(world, bj(2026, 9, 30, 10, 0)))  # due Saturday 10 October
    b.later = assignment(received(world, bj(2026, 10, 9, 9, 0)))  # due 13 October
    b.elsewhere = assignment(received(world, bj(2026, 10, 8, 9, 0), court=world.other_court))  # due 12 October
    # A hearing on Saturday 24 October: the materials are due 15 days before, Friday 9 October.
    notice = received(world, bj(2026, 9, 30, 11, 0), hearing={"starts_at": "2026-10-24T09:00:00+08:00",
                                                              "place": "第一审判庭"})
    b.court_side = Deadline.objects.get(notice=notice, rule_code="court_supplement_materials")
    deadline_close(notice=notice, code="agency_assign_lawyer", at=bj(2026, 9, 30, 12, 0))
    return b


def login(user):
    client = Client()
    client.force_login(user)
    return client


def ids(response, section):
    return [d.pk for d in response.context["sections"][section]["rows"]]


def test_it_sorts_the_agencys_clocks_into_overdue_due_today_and_at_risk(board, world):
    response = login(world.staff).get(BOARD)
    assert response.status_code == 200
    assert assignment(board.breached.notice).status == "breached"
    assert ids(response, "overdue") == [board.breached.pk, board.unswept.pk]
    assert ids(response, "due_today") == [board.today.pk, board.court_side.pk]
    assert ids(response, "at_risk") == [board.at_risk.pk]
    shown = {pk for s in ("overdue", "due_today", "at_risk") for pk in ids(response, s)}
    assert board.later.pk not in shown and board.elsewhere.pk not in shown
    by_party = {row["party"]: row for row in response.context["by_party"]}
    assert by_party["agency"] == {**by_party["agency"], "overdue": 2, "due_today": 1, "at_risk": 1}
    assert by_party["court"] == {**by_party["court"], "overdue": 0, "due_today": 1, "at_risk": 0}
    body = response.content.decode()
    assert f'data-deadline="{board.breached.pk}"' in body and 'data-status="breached"' in body
    assert board.breached.notice.case.case_number in body and "M 5; N2018; LAL 36" in body


def test_the_scope_follows_the_notices(board, world):
    outsider = login(world.outsider).get(BOARD)  # Xiping's agency: only its own court's notice
    assert ids(outsider, "due_today") == [] and ids(outsider, "overdue") == []
    assert ids(outsider, "at_risk") == [board.elsewhere.pk]
    city = login(world.city_staff).get(BOARD)  # the prefecture's agency sees its counties
    assert ids(city, "overdue") == [board.breached.pk, board.unswept.pk]
    admin = login(world.admin).get(BOARD)
    assert ids(admin, "due_today") == [board.today.pk, board.court_side.pk]
    auditor = login(world.auditor).get(BOARD)
    assert auditor.status_code == 200 and f"/deadlines/{board.today.pk}/waive/" not in auditor.content.decode()


@pytest.mark.parametrize("role", [Role.COURT, Role.LAWYER, Role.DETENTION_CENTRE])
def test_other_roles_are_refused(world, role):
    user = world.court_user if role == Role.COURT else UserFactory(role=role)
    for url in (BOARD, BREACHES):
        assert login(user).get(url).status_code == 403


def test_it_asks_to_sign_in(db):
    response = Client().get(BOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query, expected", [
    ({"party": "court"}, {"due_today": ["court_side"]}),
    ({"party": "agency", "status": "breached"}, {"overdue": ["breached"]}),
    ({"rule": "court_supplement_materials"}, {"due_today": ["court_side"]}),
    ({"court": "COURT"}, {"overdue": ["breached", "unswept"], "due_today": ["today", "court_side"],
                          "at_risk": ["at_risk"]}),
    ({"q": "CASE"}, {"due_today": ["today"]}),
    ({"q": "DEFENDANT"}, {"due_today": ["today"]}),
])
def test_filters(board, world, query, expected):
    query = {k: {"COURT": world.court.pk, "CASE": board.today.notice.case.case_number,
                 "DEFENDANT": board.today.notice.defendant.name}.get(v, v) for k, v in query.items()}
    response = login(world.staff).get(BOARD, query)
    for section in ("overdue", "due_today", "at_risk"):
        assert ids(response, section) == [getattr(board, name).pk for name in expected.get(section, [])], section


def test_a_court_outside_the_scope_is_not_a_filter_choice(board, world):
    response = login(world.staff).get(BOARD, {"court": world.other_court.pk})
    assert response.status_code == 200
    assert "court" in response.context["filter"].form.errors


def _clocks(world, count):
    for n in range(count):
        received(world, bj(2026, 9, 29, 10, 0) if n % 2 else bj(2026, 9, 25, 10, 0))


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_board_takes_the_same_number_of_queries_for_5_and_50_rows(world):
    client = login(world.staff)
    _clocks(world, 5)
    client.get(BOARD)  # the calendar's first load is not the page's work
    small, response = _queries(client, BOARD)
    assert len(ids(response, "overdue")) + len(ids(response, "due_today")) == 5
    _clocks(world, 45)
    large, response = _queries(client, BOARD)
    assert len(ids(response, "overdue")) + len(ids(response, "due_today")) == 50
    assert small == large


def test_the_breach_register_keeps_every_breach(board, world):
    # The at-risk clock is breached later and then met late; the unswept one is waived after its breach.
    with time_machine.travel(bj(2026, 10, 11, 0, 5), tick=False):
        sweep()
    deadline_close(notice=board.at_risk.notice, code="agency_assign_lawyer", at=bj(2026, 10, 12, 9, 0))
    response = login(world.staff).get(BREACHES)
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert {a.deadline_id for a in rows} == {board.breached.pk, board.unswept.pk, board.today.pk, board.at_risk.pk,
                                             board.court_side.pk}
    statuses = {a.deadline_id: a.deadline.status for a in rows}
    assert statuses[board.at_risk.pk] == "met_late" and statuses[board.breached.pk] == "breached"
    assert all(a.step == "breach" for a in rows)
    assert login(world.outsider).get(BREACHES).context["page"].paginator.count == 0
    only_court = login(world.staff).get(BREACHES, {"party": "court"}).context["page"]
    assert [a.deadline_id for a in only_court] == [board.court_side.pk]


def test_the_breach_register_takes_the_same_number_of_queries_for_5_and_50_rows(world):
    client = login(world.staff)
    counts = []
    for count in (5, 45):
        _clocks(world, count)
        with time_machine.travel(bj(2026, 10, 10, 0, 5), tick=False):
            sweep()
        queries, response = _queries(client, BREACHES)
        counts.append(queries)
    assert response.context["page"].paginator.count == 50
    assert counts[0] == counts[1]


def test_the_breach_register_pages(world):
    _clocks(world, 55)
    with time_machine.travel(bj(2026, 10, 10, 0, 5), tick=False):
        sweep()
    client = login(world.staff)
    first, second = client.get(BREACHES), client.get(BREACHES, {"page": 2})
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 5
    assert DeadlineAction.objects.filter(step="breach").count() == 55


# --- Waiving ------------------------------------------------------------------------------------

def waive_url(deadline):
    return f"/deadlines/{deadline.pk}/waive/"


def test_staff_waive_a_clock_with_a_reason(board, world):
    client = login(world.staff)
    assert client.get(waive_url(board.today)).status_code == 200
    response = client.post(waive_url(board.today), {"reason": "法院书面撤回通知", "next": "/deadlines/?party=agency"})
    assert response.status_code == 302 and response["Location"] == "/deadlines/?party=agency"
    deadline = Deadline.objects.get(pk=board.today.pk)
    assert (deadline.status, deadline.waive_reason, deadline.closed_by) == ("waived", "法院书面撤回通知", world.staff)
    assert NoticeEvent.objects.filter(notice=deadline.notice, code="deadline_waived", actor=world.staff).exists()


def test_a_breached_clock_can_be_waived_and_an_outside_next_is_ignored(board, world):
    response = login(world.supervisor).post(waive_url(board.breached), {"reason": "x", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == BOARD
    assert Deadline.objects.get(pk=board.breached.pk).status == "waived"


@pytest.mark.parametrize("data, status", [
    ({}, 400), ({"reason": ""}, 400), ({"reason": "   "}, 400), ({"reason": "x" * 1001}, 400),
])
def test_a_waive_without_a_proper_reason_changes_nothing(board, world, data, status):
    response = login(world.staff).post(waive_url(board.today), data)
    assert response.status_code == status
    assert "reason" in response.context["form"].errors
    deadline = Deadline.objects.get(pk=board.today.pk)
    assert (deadline.status, deadline.waive_reason, deadline.closed_by) == ("open", "", None)
    assert not NoticeEvent.objects.filter(code="deadline_waived").exists()


def test_a_closed_clock_cannot_be_waived(board, world):
    deadline_close(notice=board.today.notice, code="agency_assign_lawyer", at=bj(2026, 10, 9, 9, 0))
    response = login(world.staff).post(waive_url(board.today), {"reason": "late"})
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    assert Deadline.objects.get(pk=board.today.pk).status == "met"


@pytest.mark.parametrize("who, status", [("auditor", 403), ("outsider", 404), ("court_user", 403)])
def test_only_writers_who_see_the_notice_may_waive(board, world, who, status):
    client = login(getattr(world, who))
    assert client.post(waive_url(board.today), {"reason": "no"}).status_code == status
    assert client.get(waive_url(board.today)).status_code == status
    assert Deadline.objects.get(pk=board.today.pk).status == "open"


def test_an_unknown_deadline_is_404(world):
    assert login(world.staff).get("/deadlines/999999/waive/").status_code == 404


def test_the_materials_clock_opened_by_a_late_hearing_shows_up(world):
    """A clock opened today for a hearing 15 days away is due today."""
    notice = received(world, bj(2026, 10, 9, 9, 0))
    deadline_open(notice=notice, code="court_supplement_materials", start=bj(2026, 10, 24, 9, 0))
    response = login(world.staff).get(BOARD, {"rule": "court_supplement_materials"})
    assert len(ids(response, "due_today")) == 1
