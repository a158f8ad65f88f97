"""Each lawyer's load (assignments.load): every service that opens or ends a designation keeps it equal
to a recomputation from the designations; the recent designations slide with time without a write;
the check finds drift written around the services and repairs it; two designations of one lawyer at
once both count (PostgreSQL). (Every other test of the suite also ends with the loads compared to a
recomputation: conftest.py.)"""
import datetime as dt
import logging
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from assignments import load
from assignments.models import Designation, LawyerLoad, LoadCheck, RecommendationWeights
from assignments.recommendation import recommend
from assignments.services import (
    designation_accept,
    designation_decline,
    designation_refused,
    designation_replace,
    duty_route_notice,
    duty_shift_add,
    lawyer_designate,
    notice_aid_terminate,
)
from assignments.tests import factories as f
from assignments.tests.work import designated_case
from legalaid import clock


def row(lawyer) -> dict:
    stored = LawyerLoad.objects.filter(pk=lawyer.pk).first() or LawyerLoad(lawyer=lawyer)
    return {"open_cases": stored.open_cases, "recent": len(stored.recent),
            "last_designated_at": stored.last_designated_at}


def matches():
    assert load.load_differences() == []
    return True


@pytest.fixture
def lawyers(world):
    return [f.lawyer(world, name=f"律师{i}", account=True) for i in range(3)]


def test_designating_accepting_and_declining(world, lawyers):
    first, second, _ = lawyers
    one, two = f.notice(world), f.notice(world)
    d1 = f.designate(world, one, first, reason="测试")
    assert row(first) == {"open_cases": 1, "recent": 1, "last_designated_at": d1.designated_at} and matches()
    designation_accept(designation=d1, actor=first.user)
    assert row(first)["open_cases"] == 1 and matches()
    d2 = f.designate(world, two, first, reason="测试")
    assert row(first)["open_cases"] == 2 and row(first)["recent"] == 2 and matches()
    designation_decline(designation=d2, actor=first.user, reason="时间冲突")
    # Declined: no longer open, not a turn in the rotation, but still the last designation made.
    assert row(first) == {"open_cases": 1, "recent": 1, "last_designated_at": d2.designated_at} and matches()
    f.designate(world, two, second, reason="测试")
    assert row(second)["open_cases"] == 1 and matches()


def test_replacing_and_terminating(world, lawyers):
    first, second, third = lawyers
    notice = f.notice(world)
    f.designate(world, notice, first, reason="测试")
    designation_replace(notice=notice, lawyer=second, ground="lawyer_unable", note="律师住院", actor=world.staff)
    assert row(first)["open_cases"] == 0 and row(first)["recent"] == 1
    assert row(second)["open_cases"] == 1 and matches()
    notice_aid_terminate(notice=notice, ground="proceedings_ended", note="检察院撤回起诉", actor=world.staff)
    assert row(second)["open_cases"] == 0 and row(second)["recent"] == 1 and matches()
    assert row(third) == {"open_cases": 0, "recent": 0, "last_designated_at": None}


def test_the_defendants_refusal_and_retained_counsel(world, lawyers, court_client):
    first, second, _ = lawyers
    notice = f.notice(world)
    f.designate(world, notice, first, reason="测试")
    designation_refused(notice=notice, reason="被告人要求更换", valid_reason=True, defend_self=False,
                        actor=world.court_user)
    assert row(first)["open_cases"] == 0 and matches()
    other = f.notice(world)
    f.designate(world, other, second, reason="测试")
    response = f.post(court_client, f"/api/v1/notices/{other.pk}/events/",
                      {"type": "retained_counsel", "lawyer_name": "王律师", "firm": "某律师事务所"})
    assert response.status_code == 201, response.content
    assert Designation.objects.get(notice=other).end_reason == "withdrawn"
    assert row(second)["open_cases"] == 0 and matches()


def test_the_closing_accepted(world, court_client):
    from assignments.tests.test_work_closing import JUDGMENT, do_the_work, submit
    from assignments.work import services
    from assignments.work.models import Closing
    from conftest import token_client

    case = designated_case(world)
    client = token_client(case.user)
    do_the_work(case, client)
    f.post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    assert submit(client, case.notice).status_code == 201
    assert row(case.lawyer)["open_cases"] == 1
    services.closing_accept(closing=Closing.objects.get(notice=case.notice), actor=world.staff)
    assert row(case.lawyer)["open_cases"] == 0 and row(case.lawyer)["recent"] == 1 and matches()


def test_the_upheld_complaint_replaces(world):
    from quality.services import complaint_decide, complaint_receive

    case = designated_case(world)
    other = f.lawyer(world)
    complaint = complaint_receive(notice=case.notice, complainant="李母", relation="family",
                                  summary="律师从未会见被告人。", actor=world.staff)
    complaint_decide(complaint=complaint, outcome="upheld", decision="更换律师。", replace_with=other,
                     actor=world.staff)
    assert row(case.lawyer)["open_cases"] == 0 and row(other)["open_cases"] == 1 and matches()


def test_duty_routing(world):
    station = f.court_station(world)
    on_shift = f.lawyer(world, name="值班律师", region=world.xiping)
    duty_shift_add(station=station, date=clock.today(), lawyer=on_shift, actor=world.staff)
    designation = duty_route_notice(notice=f.notice(world, procedure="summary"), actor=world.staff)
    assert designation.lawyer == on_shift and row(on_shift)["open_cases"] == 1 and matches()


@pytest.mark.load_drift  # time goes back to the present at its end, after the check dropped a moment
def test_recent_designations_slide_out_of_the_window_without_a_write(world, lawyers):
    first = lawyers[0]
    window = RecommendationWeights().rotation_window_days
    start = clock.now()
    f.designate(world, f.notice(world), first, reason="测试")
    notice = f.notice(world)

    def recent():
        return next(c.recent for c in recommend(notice=notice).candidates if c.lawyer == first)

    assert recent() == 1
    with time_machine.travel(start + dt.timedelta(days=window - 1), tick=False):
        assert recent() == 1
    with time_machine.travel(start + dt.timedelta(days=window + 1), tick=False):
        assert recent() == 0 and matches()
    # Beyond the horizon the moment is dropped by the check (which is not drift).
    with time_machine.travel(start + dt.timedelta(days=load.RECENT_HORIZON_DAYS + 2), tick=False):
        assert load.load_check().drifted == 0
    assert LawyerLoad.objects.get(pk=first.pk).recent == []


def test_the_ranking_reads_the_load_rows_not_the_designations(world, lawyers):
    notice = f.notice(world)
    f.designate(world, f.notice(world), lawyers[0], reason="测试")
    with CaptureQueriesContext(connection) as ctx:
        rec = recommend(notice=notice)
    ranking = [q["sql"] for q in ctx.captured_queries if "assignments_lawyerload" in q["sql"]]
    assert ranking and not any("assignments_designation" in sql for sql in ranking)
    assert rec.position(lawyers[0].pk).open_cases == 1


@pytest.mark.load_drift
def test_the_check_finds_drift_written_around_the_services_and_repairs_it(world, lawyers, caplog):
    first, second, _ = lawyers
    f.designate(world, f.notice(world), first, reason="测试")
    f.designate(world, f.notice(world), second, reason="测试")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assignments_lawyerload SET open_cases = 7 WHERE lawyer_id = %s", [first.pk])
        cursor.execute("DELETE FROM assignments_lawyerload WHERE lawyer_id = %s", [second.pk])
    assert {d["lawyer"] for d in load.load_differences()} == {first.pk, second.pk}
    with caplog.at_level(logging.WARNING, logger="assignments.load"):
        check = load.load_check()
    assert check.drifted == 2 and check.lawyers == 3
    assert {"lawyer": first.pk, "open_cases": [7, 1]} in check.details
    assert "differed from their designations" in caplog.text
    assert row(first)["open_cases"] == 1 and row(second)["open_cases"] == 1 and matches()
    assert LoadCheck.objects.get() == check
    assert load.load_check().drifted == 0


@pytest.mark.load_drift
def test_the_command_and_the_periodic_task_run_the_check(world, lawyers, capsys):
    from assignments.tasks import load_check
    from legalaid.celery import periodic_schedule

    f.designate(world, f.notice(world), lawyers[0], reason="测试")
    LawyerLoad.objects.filter(pk=lawyers[0].pk).update(recent=[])
    call_command("load_check")
    assert "3 lawyers checked, 1 loads repaired" in capsys.readouterr().out
    assert load_check.delay().get() == {"lawyers": 3, "drifted": 0}
    assert periodic_schedule()["lawyer-load-check"] == ("assignments.tasks.load_check", 3600)


def test_two_designations_of_one_lawyer_at_once_both_count(postgres_only):
    from cases.tests.factories import build_world

    world = build_world()
    lawyer = f.lawyer(world)
    notices = [f.notice(world) for _ in range(4)]
    barrier = threading.Barrier(len(notices))
    errors = []

    def designate(notice):
        try:
            barrier.wait()
            lawyer_designate(notice=notice, lawyer=lawyer, actor=world.staff, reason="同时指派")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=designate, args=(n,)) for n in notices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Designation.objects.filter(lawyer=lawyer).count() == 4
    assert row(lawyer)["open_cases"] == 4 and row(lawyer)["recent"] == 4 and matches()


@pytest.mark.load_drift  # loads written by hand, with no designations behind them
def test_the_ranking_counts_the_moments_inside_the_window(world, lawyers):
    from assignments.models import Lawyer

    since = 1_800_000_000
    moments = {lawyers[0].pk: [since - 1, since, since, since + 5], lawyers[1].pk: [since - 10, since - 1],
               lawyers[2].pk: []}
    for pk, recent in moments.items():
        LawyerLoad.objects.update_or_create(lawyer_id=pk, defaults={"recent": recent})
    without_row = f.lawyer(world)
    counted = dict(Lawyer.objects.annotate(n=load.RecentCount("load__recent", since)).values_list("pk", "n"))
    assert counted == {**{pk: sum(1 for m in recent if m >= since) for pk, recent in moments.items()},
                       without_row.pk: 0}
    assert counted[lawyers[0].pk] == 3
