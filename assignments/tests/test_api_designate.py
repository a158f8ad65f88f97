"""POST /api/v1/notices/<id>/designations/ — designating, its bad inputs, concurrency, and what the
court then sees (the `assignment` block and the letter)."""
import datetime as dt
import threading

import pytest
from django.db import connection

from assignments.models import Designation, Lawyer
from assignments.services import lawyer_suspend
from assignments.tests import factories as f
from cases.deadlines.models import Deadline
from cases.models import Notice, NoticeEvent
from conftest import token_client
from legalaid import clock
from notifications.models import Message


def url(notice, tail="designations/"):
    return f"/api/v1/notices/{notice.pk}/{tail}"


def assert_unchanged(notice):
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED
    assert not Designation.objects.filter(notice=notice).exists()
    assert Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer").status == "open"


@pytest.fixture
def setup(world):
    first = f.lawyer(world, name="王律师", account=True)
    second = f.lawyer(world, name="李律师", region=world.xiping)
    return first, second, f.notice(world)


def test_it_designates_the_first_candidate_and_the_court_sees_the_assignment(world, setup, staff_client,
                                                                            court_client):
    first, _second, notice = setup
    candidates = staff_client.get(url(notice, "recommendation/")).json()["candidates"]
    assert candidates[0]["lawyer"]["id"] == first.pk and candidates[0]["reasons"] and candidates[0]["summary"]
    response = f.post(staff_client, url(notice), {"lawyer": first.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rank"] == 1 and body["status"] == "pending" and body["lawyer"]["name"] == "王律师"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ASSIGNED
    assert Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer").status == "met"
    assert NoticeEvent.objects.filter(notice=notice, code="lawyer_designated", to_status="assigned").exists()
    assert Message.objects.filter(recipient=first.user, kind="designation_made").count() == 1
    assert Message.objects.filter(recipient=world.court_user, kind="designation_to_court").count() == 1
    court_view = court_client.get(f"/api/v1/notices/{notice.pk}/").json()
    assert court_view["status"] == "assigned"
    assert court_view["assignment"]["lawyer"] == {"name": "王律师", "firm": first.firm.name, "phone": first.phone}
    assert court_view["assignment"]["letter"] == f"/api/v1/notices/{notice.pk}/letter.pdf"
    assert court_view["assignment"]["assigned_at"].endswith("+08:00")


def test_a_late_designation_closes_the_deadline_as_met_late(world, setup):
    first, _second, notice = setup
    deadline = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")
    f.designate(world, notice, first, now=deadline.due_at + dt.timedelta(hours=1))
    deadline.refresh_from_db()
    assert deadline.status == "met_late"


def test_another_lawyer_needs_a_reason(world, setup, staff_client):
    _first, second, notice = setup
    response = f.post(staff_client, url(notice), {"lawyer": second.pk})
    assert response.status_code == 400 and f.codes(response) == {"reason_required"}
    assert_unchanged(notice)
    response = f.post(staff_client, url(notice), {"lawyer": second.pk, "reason": "熟悉该类案件"})
    assert response.status_code == 201 and response.json()["rank"] == 2


@pytest.mark.parametrize("make_ineligible", ["suspended", "on_leave"])
def test_an_excluded_lawyer_is_refused_with_the_reason_unless_a_supervisor_overrides(world, setup, staff_client,
                                                                                    make_ineligible):
    first, _second, notice = setup
    today = clock.today()
    if make_ineligible == "suspended":
        lawyer_suspend(lawyer=first, starts_on=today, reason="投诉调查中", actor=world.staff)
    else:
        from assignments.services import lawyer_leave_add

        lawyer_leave_add(lawyer=first, starts_on=today, ends_on=today + dt.timedelta(days=3), actor=world.staff)
    response = f.post(staff_client, url(notice), {"lawyer": first.pk, "reason": "当事人点名"})
    assert response.status_code == 400 and f.codes(response) == {"lawyer_not_eligible"}
    assert [x["code"] for x in response.json()["excluded_by"]] == [make_ineligible]
    assert_unchanged(notice)
    response = f.post(staff_client, url(notice), {"lawyer": first.pk, "override_reason": "特殊情况"})
    assert response.status_code == 403 and f.codes(response) == {"override_needs_supervisor"}
    assert_unchanged(notice)
    supervisor = token_client(world.supervisor)
    response = f.post(supervisor, url(notice), {"lawyer": first.pk})
    assert response.status_code == 400 and f.codes(response) == {"lawyer_not_eligible"}
    response = f.post(supervisor, url(notice), {"lawyer": first.pk, "override_reason": "唯一懂当地方言的律师"})
    assert response.status_code == 201, response.content
    assert response.json()["overridden_filters"] == [make_ineligible]
    assert response.json()["override_by"] == world.supervisor.display_name


def test_an_unqualified_lawyer_is_refused(world, staff_client):
    junior = f.lawyer(world, name="新律师", since=clock.today() - dt.timedelta(days=400))
    f.lawyer(world, name="资深律师", region=world.xiping)
    notice = f.notice(world, defendant__may_face_life_or_death=True)
    response = f.post(staff_client, url(notice), {"lawyer": junior.pk, "reason": "x"})
    assert response.status_code == 400 and f.codes(response) == {"lawyer_not_eligible"}
    assert response.json()["excluded_by"][0]["code"] == "needs_senior"
    assert response.json()["excluded_by"][0]["basis"] == "LAL 26; PR2023 Art. 26"


@pytest.mark.parametrize("status", ["withdrawn", "terminated", "closed"])
def test_designating_on_a_notice_that_is_not_open_is_a_conflict(world, setup, staff_client, status):
    first, _second, notice = setup
    Notice.objects.filter(pk=notice.pk).update(status=status)
    response = f.post(staff_client, url(notice), {"lawyer": first.pk})
    assert response.status_code == 409 and f.codes(response) == {"notice_not_open"}
    assert not Designation.objects.exists()


def test_designating_twice_is_a_conflict(world, setup, staff_client):
    first, second, notice = setup
    assert f.post(staff_client, url(notice), {"lawyer": first.pk}).status_code == 201
    response = f.post(token_client(world.colleague), url(notice), {"lawyer": second.pk, "reason": "x"})
    assert response.status_code == 409 and f.codes(response) == {"already_designated"}
    assert Designation.objects.filter(notice=notice).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_designating_at_once_one_wins_the_other_gets_409(world, setup):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first, second, notice = setup
    clients = [token_client(world.staff), token_client(world.colleague)]
    barrier = threading.Barrier(2)
    results = []

    def go(client, lawyer):
        barrier.wait()
        results.append(f.post(client, url(notice), {"lawyer": lawyer.pk, "reason": "并发"}).status_code)
        connection.close()

    threads = [threading.Thread(target=go, args=(c, l)) for c, l in zip(clients, [first, second])]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [201, 409]
    assert Designation.objects.filter(notice=notice).count() == 1


def test_bad_bodies_are_refused(world, setup, staff_client):
    _first, _second, notice = setup
    assert f.codes(f.post(staff_client, url(notice), {})) == {"required"}
    assert f.codes(f.post(staff_client, url(notice), {"lawyer": 999999})) == {"does_not_exist"}
    assert f.codes(f.post(staff_client, url(notice), {"lawyer": 1, "colour": "red"})) >= {"unknown_field"}
    assert_unchanged(notice)


def test_roles_and_scope(world, setup, court_client):
    first, _second, notice = setup
    assert f.post(court_client, url(notice), {"lawyer": first.pk}).status_code == 403
    assert court_client.get(url(notice, "recommendation/")).status_code == 403
    outsider = token_client(world.outsider)  # another county's agency
    assert f.post(outsider, url(notice), {"lawyer": first.pk}).status_code == 404
    auditor = token_client(world.auditor)  # reads, does not act
    assert auditor.get(url(notice, "recommendation/")).status_code == 200
    assert f.post(auditor, url(notice), {"lawyer": first.pk}).status_code == 403
    assert_unchanged(notice)


def test_an_idempotency_key_replays_the_designation(world, setup, staff_client):
    first, _second, notice = setup
    one = f.post(staff_client, url(notice), {"lawyer": first.pk}, HTTP_IDEMPOTENCY_KEY="designate-1")
    two = f.post(staff_client, url(notice), {"lawyer": first.pk}, HTTP_IDEMPOTENCY_KEY="designate-1")
    assert one.status_code == two.status_code == 201 and one.json() == two.json()
    assert two["Idempotent-Replayed"] == "true"
    other = f.post(staff_client, url(notice), {"lawyer": first.pk, "reason": "x"}, HTTP_IDEMPOTENCY_KEY="designate-1")
    assert other.status_code == 422
    assert Designation.objects.filter(notice=notice).count() == 1


def test_the_court_list_reads_the_assignment_without_a_query_per_notice(world, court_client):
    from django.test.utils import CaptureQueriesContext

    court_client.get("/api/v1/notices/")  # the token's last use is recorded once a minute: not per list

    def count(n):
        lawyer = f.lawyer(world)
        for _ in range(n):
            f.designate(world, f.notice(world), lawyer, reason="load", override_reason="")
        with CaptureQueriesContext(connection) as ctx:
            response = court_client.get("/api/v1/notices/?page_size=200")
        assert all(r["assignment"] for r in response.json()["results"])
        return len(ctx)

    assert count(5) == count(20)


def test_history_lists_every_designation(world, setup, staff_client):
    first, _second, notice = setup
    f.designate(world, notice, first)
    body = staff_client.get(url(notice)).json()
    assert [d["lawyer"]["name"] for d in body] == ["王律师"]
    assert Lawyer.objects.count() == 2
