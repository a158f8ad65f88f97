"""GET /notices/ — the staff inbox: scope by role, filters, search, masking, order, pagination and a
fixed number of queries whatever the number of notices."""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import views
from cases.api.serializers import NoticeCreateSerializer
from cases.deadlines.models import Deadline
from cases.deadlines.services import deadline_close
from cases.models import Notice
from cases.services import notice_receive, supplement_request_create
from cases.tests.factories import UserFactory, notice_payload, receive
from cases.validators import mask_id_number
from legalaid import clock
from legalaid.models import Role

URL = "/notices/"


def receive_at(court, actor, **overrides):
    serializer = NoticeCreateSerializer(data=notice_payload(court=court, **overrides))
    serializer.is_valid(raise_exception=True)
    return notice_receive(court=court, data=serializer.validated_data, actor=actor)


def listed(response):
    return [row["notice"].pk for row in response.context["rows"]]


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


# --- Scope ---------------------------------------------------------------------------------------------------

@pytest.fixture
def two_counties(world):
    """A notice in each county: 豫1702 (Yicheng, the staff's agency) and 豫1721 (Xiping)."""
    mine = receive(world)
    theirs = receive_at(world.other_court, world.other_court_user)
    return mine, theirs


def test_it_shows_the_owner_and_colleague_their_agency_only(client, world, two_counties):
    mine, theirs = two_counties
    for user in (world.staff, world.colleague, world.supervisor):
        response = get(client, user)
        assert response.status_code == 200
        assert listed(response) == [mine.pk]


def test_it_hides_another_county_from_an_outsider(client, world, two_counties):
    mine, theirs = two_counties
    assert listed(get(client, world.outsider)) == [theirs.pk]


def test_a_city_agency_sees_its_prefecture(client, world, two_counties):
    mine, theirs = two_counties
    assert set(listed(get(client, world.city_staff))) == {mine.pk, theirs.pk}


def test_the_auditor_reads_the_inbox_of_its_region(client, world, two_counties):
    response = get(client, world.auditor)
    assert response.status_code == 200
    assert set(listed(response)) == {n.pk for n in two_counties}
    assert response.context["can_write"] is False


def test_an_administrator_sees_everything(client, world, two_counties):
    assert set(listed(get(client, world.admin))) == {n.pk for n in two_counties}


@pytest.mark.parametrize("role", [Role.COURT, Role.LAWYER, Role.DETENTION_CENTRE])
def test_other_roles_get_403(client, world, role):
    user = UserFactory(role=role, court=world.court if role == Role.COURT else None)
    assert get(client, user).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- What a row shows ----------------------------------------------------------------------------------------

def test_it_masks_id_numbers_and_residence(client, world):
    notice = receive(world, defendant__residence="河南省驻马店市驿城区解放路100号3单元")
    response = get(client, world.staff)
    html = response.content.decode()
    id_number = notice.defendant.id_number
    assert id_number not in html
    assert mask_id_number(id_number) in html
    assert "解放路100号" not in html
    assert response.context["rows"][0]["residence"] == "河南省驻马店…"


def test_it_sorts_newest_first(client, world):
    first, second, third = (receive(world) for _ in range(3))
    assert listed(get(client, world.staff)) == [third.pk, second.pk, first.pk]


def test_it_shows_the_designation_deadline_and_marks_it_overdue(client, world):
    notice = receive(world)
    deadline = notice.deadlines.get(rule_code="agency_assign_lawyer")
    with time_machine.travel(deadline.due_at - dt.timedelta(hours=1), tick=False):
        row = get(client, world.staff).context["rows"][0]
        assert row["designation"].pk == deadline.pk and row["overdue"] is False
    with time_machine.travel(deadline.due_at + dt.timedelta(seconds=1), tick=False):
        row = get(client, world.staff).context["rows"][0]
        assert row["overdue"] is True


# --- Filters and search --------------------------------------------------------------------------------------

def test_it_filters_by_status(client, world):
    received = receive(world)
    incomplete = receive(world)
    supplement_request_create(notice=incomplete, items=["indictment_copy"], note="", actor=world.staff)
    assert listed(get(client, world.staff, status="incomplete")) == [incomplete.pk]
    assert listed(get(client, world.staff, status="received")) == [received.pk]


def test_it_filters_by_court(client, world, two_counties):
    mine, theirs = two_counties
    assert listed(get(client, world.city_staff, court=world.other_court.pk)) == [theirs.pk]


def test_it_filters_by_category(client, world):
    full = receive(world)
    mandatory = receive(world, defendant__may_face_life_or_death=True)
    duty = receive(world, procedure="summary")
    assert listed(get(client, world.staff, category="mandatory")) == [mandatory.pk]
    assert listed(get(client, world.staff, category="duty_lawyer")) == [duty.pk]
    assert listed(get(client, world.staff, category="full_coverage")) == [full.pk]


def test_it_searches_by_case_number_or_defendant_name(client, world):
    by_number = receive(world, case_number="（2026）豫1702刑初4711号")
    by_name = receive(world, defendant__name="欧阳某某")
    receive(world)
    assert listed(get(client, world.staff, q="刑初4711")) == [by_number.pk]
    assert listed(get(client, world.staff, q="欧阳")) == [by_name.pk]
    assert listed(get(client, world.staff, q="  ")) != []  # blank search: everything


def test_due_soon_finds_running_designation_clocks_due_within_n_days_or_overdue(client, world):
    soon = receive(world)
    met = receive(world)
    deadline = soon.deadlines.get(rule_code="agency_assign_lawyer")
    deadline_close(notice=met, code="agency_assign_lawyer", at=met.received_at, actor=world.staff)
    assert met.deadlines.get(rule_code="agency_assign_lawyer").status == Deadline.Status.MET

    two_days_before = clock.start_of_day(clock.beijing_date(deadline.due_at) - dt.timedelta(days=2))
    with time_machine.travel(two_days_before + dt.timedelta(hours=9), tick=False):
        assert listed(get(client, world.staff, due_soon="3")) == [soon.pk]
        assert listed(get(client, world.staff, due_soon="1")) == []
    with time_machine.travel(deadline.due_at + dt.timedelta(days=1), tick=False):
        assert listed(get(client, world.staff, due_soon="0")) == [soon.pk]  # overdue


def test_due_soon_counts_a_breached_but_unmet_clock_as_overdue(client, world):
    notice = receive(world)
    deadline = notice.deadlines.get(rule_code="agency_assign_lawyer")
    Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.BREACHED)
    with time_machine.travel(deadline.due_at + dt.timedelta(days=2), tick=False):
        assert listed(get(client, world.staff, due_soon="0")) == [notice.pk]


def test_filters_combine_with_search(client, world):
    target = receive(world, defendant__name="司马某", defendant__may_face_life_or_death=True)
    receive(world, defendant__name="司马某某")
    assert listed(get(client, world.staff, q="司马", category="mandatory", status="received")) == [target.pk]


@pytest.mark.parametrize("param,value,code", [
    ("status", "bogus", "invalid_choice"), ("category", "martial", "invalid_choice"),
    ("due_soon", "5", "invalid_choice"), ("court", "999999", "invalid_choice"), ("q", "李" * 65, "max_length")])
def test_a_bad_filter_value_is_an_error_on_the_form_and_filters_nothing(client, world, param, value, code):
    notice = receive(world)
    response = get(client, world.staff, **{param: value})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors.as_data()
    assert [e.code for e in errors[param]] == [code]
    assert listed(response) == [notice.pk]


def test_a_court_out_of_scope_is_not_a_choice(client, world, two_counties):
    response = get(client, world.staff, court=world.other_court.pk)
    assert [e.code for e in response.context["filter"].form.errors.as_data()["court"]] == ["invalid_choice"]
    choices = [c for c, _label in response.context["filter"].form.fields["court"].choices if c]
    assert [c.value for c in choices] == [world.court.pk]


# --- Pagination and queries ----------------------------------------------------------------------------------

def test_it_paginates_and_keeps_the_filters(client, world, monkeypatch):
    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 2)
    notices = [receive(world) for _ in range(5)]
    first = get(client, world.staff, status="received")
    assert listed(first) == [notices[4].pk, notices[3].pk]
    assert first.context["page"].paginator.num_pages == 3
    assert 'href="?status=received&amp;page=2"' in first.content.decode()
    last = get(client, world.staff, status="received", page="3")
    assert listed(last) == [notices[0].pk]
    assert listed(get(client, world.staff, page="99")) == [notices[0].pk]  # out of range: the last page


def test_a_regions_inbox_pages_follow_the_order_of_the_whole_list(client, world, monkeypatch):
    """The city's staff see three agencies' notices: each page holds the next notices of the whole
    list, newest first, whatever agency they belong to (each agency's first notices are read apart
    and sorted together: cases.selectors.notices_first_by_agency)."""
    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 3)
    courts = [(world.court, world.court_user), (world.other_court, world.other_court_user),
              (world.city_court, world.court_user)]
    for i in range(10):
        receive_at(*courts[i % 3], case_number=f"（2026）{courts[i % 3][0].code}刑初{700 + i}号")
    Notice.objects.filter(pk__in=list(Notice.objects.values_list("pk", flat=True)[2:6])).update(
        received_at=Notice.objects.order_by("received_at")[3].received_at)
    expected = list(Notice.objects.order_by("-received_at", "-pk").values_list("pk", flat=True))
    pages = [listed(get(client, world.city_staff, page=str(n))) for n in (1, 2, 3, 4)]
    assert [pk for page in pages for pk in page] == expected
    assert listed(get(client, world.city_staff, page="2", court=str(world.court.pk))) == [
        pk for pk in expected if Notice.objects.get(pk=pk).court == world.court][3:6]


def _count_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


@pytest.mark.parametrize("params", [{}, {"q": "李某", "status": "received", "category": "full_coverage",
                                         "due_soon": "7"}])
def test_the_number_of_queries_is_the_same_for_5_and_50_notices(client, world, params):
    client.force_login(world.staff)
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=clock.BEIJING), tick=True):
        for _ in range(5):
            receive(world)
        few, rows_few = _count_queries(client, **params)
        for _ in range(45):
            receive(world)
        many, rows_many = _count_queries(client, **params)
    assert (rows_few, rows_many) == (5, 50)
    assert few == many
    assert Notice.objects.count() == 50
