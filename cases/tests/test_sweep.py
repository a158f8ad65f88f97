"""The deadline sweep: reminders and escalations, each exactly once per deadline and step, at the
right moment, to the right people; the materials breach drafts the agency's request. Real database,
time frozen. (Real Celery workers: tests/workers/.)"""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.deadlines import enforcement
from cases.deadlines.enforcement import sweep
from cases.deadlines.models import Deadline, DeadlineAction
from cases.models import NoticeEvent, SupplementRequest
from cases.tasks import deadline_sweep
from cases.tests.factories import receive
from legalaid.clock import BEIJING
from legalaid.models import User
from notifications.models import Message


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


def at(moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return sweep(**kwargs)


@pytest.fixture
def notice(world):
    """Received Wednesday 30 September 2026: the designation is due Saturday 10 October (make-up
    working day); reminders Friday 9 October 09:00 and Saturday 10 October 09:00."""
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        return receive(world)


def assign(notice):
    return Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")


def kinds(**filters):
    return sorted(Message.objects.filter(**filters).values_list("kind", "recipient__username"))


def test_nothing_is_sent_before_the_first_reminder(notice):
    assert assign(notice).next_action_at == bj(2026, 10, 9, 9, 0)
    assert at(bj(2026, 10, 9, 8, 59)) == {"reminders": 0, "breaches": 0, "batches": 0, "deadlines": 0}
    assert not Message.objects.filter(kind__startswith="deadline").exists()


def test_the_working_day_before_reminder_goes_to_the_agency_once(notice, world):
    first = at(bj(2026, 10, 9, 9, 30))
    second = at(bj(2026, 10, 9, 9, 31))
    assert first["reminders"] == 1 and second["reminders"] == 0
    assert kinds(kind="deadline_reminder") == [("deadline_reminder", "colleague"), ("deadline_reminder", "staff"),
                                               ("deadline_reminder", "supervisor")]
    assert list(DeadlineAction.objects.values_list("step", flat=True)) == ["remind:working_days:1"]
    message = Message.objects.filter(recipient=world.staff, kind="deadline_reminder").get()
    assert message.params["rule_code"] == "agency_assign_lawyer" and message.params["due"] == "2026-10-10 23:59"
    assert message.params["basis"] == "M 5; N2018; LAL 36" and message.notice_id == notice.pk
    assert assign(notice).next_action_at == bj(2026, 10, 10, 9, 0)


def test_the_due_morning_reminder_follows(notice):
    at(bj(2026, 10, 9, 9, 30))
    assert at(bj(2026, 10, 10, 9, 0))["reminders"] == 1
    assert sorted(DeadlineAction.objects.values_list("step", flat=True)) == ["remind:due_day:0",
                                                                           "remind:working_days:1"]
    assert Message.objects.filter(kind="deadline_reminder").count() == 6


def test_a_reminder_overtaken_by_a_later_one_is_not_sent_late(notice):
    assert at(bj(2026, 10, 10, 10, 0))["reminders"] == 1
    assert list(DeadlineAction.objects.values_list("step", flat=True)) == ["remind:due_day:0"]


def test_the_breach_is_detected_after_the_due_moment_and_not_before(notice, world):
    at(bj(2026, 10, 10, 23, 59, 59))
    assert assign(notice).status == "open"
    assert not Message.objects.filter(kind="deadline_breach").exists()
    assert at(bj(2026, 10, 11, 0, 0, 0))["breaches"] == 1
    deadline = assign(notice)
    assert (deadline.status, deadline.breached_at, deadline.next_action_at) == (
        "breached", bj(2026, 10, 11, 0, 0, 0), None)
    # Escalation: the agency's supervisor.
    assert kinds(kind="deadline_breach") == [("deadline_breach", "supervisor")]
    event = NoticeEvent.objects.get(notice=notice, code="deadline_breached")
    assert event.data["rule"] == "agency_assign_lawyer" and event.data["due_at"] == "2026-10-10T23:59:59+08:00"


def test_sweeping_twice_sends_each_step_once(notice):
    for moment in (bj(2026, 10, 9, 10, 0), bj(2026, 10, 9, 10, 0), bj(2026, 10, 11, 1, 0), bj(2026, 10, 11, 1, 0),
                   bj(2026, 10, 12, 9, 0)):
        at(moment)
    assert Message.objects.filter(kind="deadline_reminder").count() == 3
    assert Message.objects.filter(kind="deadline_breach").count() == 1
    assert DeadlineAction.objects.count() == 2


def test_the_sweep_task_runs_the_sweep(notice):
    with time_machine.travel(bj(2026, 10, 9, 10, 0), tick=False):
        result = deadline_sweep.apply(kwargs={"batch_size": 10}).get()
    assert result["reminders"] == 1


def test_a_record_lost_after_sending_does_not_send_again(notice):
    """As if a worker was killed after its messages were stored but before the step was recorded:
    the next sweep performs the step again, and the messages' unique keys add nothing."""
    at(bj(2026, 10, 9, 9, 30))
    sent = set(Message.objects.values_list("pk", flat=True))
    DeadlineAction.objects.all().delete()
    Deadline.objects.filter(pk=assign(notice).pk).update(next_action_at=bj(2026, 10, 9, 9, 0))
    assert at(bj(2026, 10, 9, 9, 45))["reminders"] == 1
    assert set(Message.objects.values_list("pk", flat=True)) == sent
    assert DeadlineAction.objects.count() == 1


def test_a_sweep_that_dies_mid_batch_leaves_nothing_behind_and_the_next_one_catches_up(notice, monkeypatch):
    def die(deadline, *, now):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(enforcement, "on_breach", die)
    with pytest.raises(RuntimeError):
        at(bj(2026, 10, 11, 8, 0))
    deadline = assign(notice)
    assert deadline.status == "open" and deadline.next_action_at == bj(2026, 10, 9, 9, 0)
    assert not Message.objects.filter(kind__startswith="deadline").exists()
    assert not DeadlineAction.objects.exists()
    assert not NoticeEvent.objects.filter(code="deadline_breached").exists()
    monkeypatch.undo()
    assert at(bj(2026, 10, 11, 8, 5))["breaches"] == 1
    assert Message.objects.filter(kind="deadline_breach").count() == 1


def test_a_court_side_breach_tells_the_court_and_drafts_the_agency_request(world):
    # Hearing Monday 16 November: the materials are due Friday 30 October; the indictment is missing.
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        notice = receive(world, hearing={"starts_at": "2026-11-16T09:00:00+08:00", "place": "第三审判庭"})
    assert notice.missing_materials
    at(bj(2026, 10, 29, 9, 30))
    assert kinds(kind="deadline_reminder", params__rule_code="court_supplement_materials") == [
        ("deadline_reminder", "court-1702")]
    assert at(bj(2026, 10, 31, 0, 10))["breaches"] == 1
    assert kinds(kind="deadline_breach", params__rule_code="court_supplement_materials") == [
        ("deadline_breach", "court-1702"), ("deadline_breach", "supervisor")]
    draft = SupplementRequest.objects.get(notice=notice)
    assert draft.status == "draft" and draft.ask_move_hearing and draft.items == notice.missing_materials
    assert Message.objects.filter(kind="supplement_drafted", recipient=world.staff).exists()
    at(bj(2026, 11, 1, 0, 10))
    assert SupplementRequest.objects.count() == 1


def test_a_deadline_moved_later_is_reminded_again_for_its_new_due_moment(world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        notice = receive(world, hearing={"starts_at": "2026-11-16T09:00:00+08:00", "place": "第三审判庭"})
    at(bj(2026, 10, 30, 9, 30))
    from cases.services import notice_hearing_set

    with time_machine.travel(bj(2026, 10, 30, 11, 0), tick=False):
        notice_hearing_set(notice=notice, starts_at=bj(2026, 11, 23, 9, 0), place="x", actor=world.court_user,
                           code="hearing_changed")
    at(bj(2026, 11, 6, 9, 30))
    actions = DeadlineAction.objects.filter(deadline__rule_code="court_supplement_materials")
    assert sorted((a.step, a.due_at.date()) for a in actions) == [
        ("remind:due_day:0", dt.date(2026, 10, 30)), ("remind:due_day:0", dt.date(2026, 11, 6))]


def test_a_clock_closed_with_a_step_pending_is_dropped_from_the_sweep(notice):
    Deadline.objects.filter(notice=notice, rule_code="agency_assign_lawyer").update(status="met")
    assert at(bj(2026, 10, 9, 10, 0)) == {"reminders": 0, "breaches": 0, "batches": 1, "deadlines": 1}
    assert assign(notice).next_action_at is None
    assert not Message.objects.filter(kind__startswith="deadline").exists()


def test_a_lawyers_duty_without_a_lawyer_account_reminds_the_agency(notice, world):
    from cases.deadlines.services import deadline_open

    with time_machine.travel(bj(2026, 10, 12, 10, 0), tick=False):
        deadline_open(notice=notice, code="lawyer_file_papers", start=bj(2026, 10, 12, 10, 0))
    at(bj(2026, 10, 15, 9, 30))  # due Thursday 15 October
    assert kinds(kind="deadline_reminder", params__rule_code="lawyer_file_papers") == [
        ("deadline_reminder", "colleague"), ("deadline_reminder", "staff"), ("deadline_reminder", "supervisor")]


def _due_notices(world, count):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        for _n in range(count):
            receive(world)


@pytest.mark.parametrize("step_at", [bj(2026, 10, 9, 9, 30), bj(2026, 10, 11, 0, 30)])
def test_a_batch_takes_the_same_number_of_queries_for_5_and_50_deadlines(world, step_at):
    # One recipient per deadline, so that SQLite's limit on the parameters of one INSERT (about a
    # thousand) does not split the messages of 50 deadlines into two statements.
    User.objects.filter(pk__in=[world.staff.pk, world.colleague.pk]).update(is_active=False)
    counts = []
    for size in (5, 50):
        Message.objects.all().delete()
        DeadlineAction.objects.all().delete()
        Deadline.objects.all().delete()
        _due_notices(world, size)
        at(bj(2026, 10, 1, 0, 0))  # warm the calendar: its first load is not the sweep's work
        with CaptureQueriesContext(connection) as queries:
            result = at(step_at, batch_size=100)
        assert result["deadlines"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_batches_are_fixed_in_size_and_queries(world):
    _due_notices(world, 25)
    at(bj(2026, 10, 1, 0, 0))
    sizes = []
    with CaptureQueriesContext(connection) as queries:
        with time_machine.travel(bj(2026, 10, 9, 9, 30), tick=False):
            result = sweep(batch_size=10, on_batch=lambda n: sizes.append((n, len(queries))))
    assert result == {"reminders": 25, "breaches": 0, "batches": 3, "deadlines": 25}
    assert [n for n, _q in sizes] == [10, 10, 5]
    # The second and third batches (the first also checks the calendar's version).
    assert sizes[1][1] - sizes[0][1] == sizes[2][1] - sizes[1][1]


def test_the_sweep_is_declared_as_a_periodic_task(settings):
    from legalaid.celery import app, periodic_schedule

    task, seconds = periodic_schedule()["deadline-sweep"]
    assert task == "cases.tasks.deadline_sweep" and task in app.tasks
    assert seconds == settings.DEADLINE_SWEEP_INTERVAL
