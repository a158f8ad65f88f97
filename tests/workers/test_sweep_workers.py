"""The deadline sweep in real Celery worker processes on PostgreSQL and Redis: two workers sweeping
at once send each reminder once; a worker killed after storing its messages but before recording
the step leaves nothing behind, and the next sweep sends each message exactly once."""
import ast
import datetime as dt
import re
import time

import psycopg2
import pytest
import time_machine
from django.db import connection
from django.db.models import Count

from cases.deadlines.models import Deadline, DeadlineAction
from cases.tests.factories import receive
from legalaid.clock import BEIJING
from notifications.models import Message

pytestmark = [pytest.mark.workers, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Friday 9 October 2026, 09:30 in Beijing: the reminder "one working day before" of every clock
# due on Saturday 10 October (a make-up working day) has come.
FROZEN_AT = "2026-10-09T09:30:00+08:00"
TASK = "cases.tasks.deadline_sweep"
RESULT = re.compile(r"Task cases\.tasks\.deadline_sweep\[[^\]]+\] succeeded in [0-9.]+s: (\{.*\})")


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


def wait_for(condition, timeout=60, what="the workers"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def results(worker) -> list:
    return [ast.literal_eval(m) for m in RESULT.findall(worker.text())]


def clocks_due(world, *, notices, per_notice) -> int:
    """`notices` notices received on 30 September (each with its designation clock due 10 October)
    and `per_notice - 1` more clocks of a local rule on each, all due for their first reminder."""
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        received = [receive(world) for _n in range(notices)]
        Deadline.objects.bulk_create([
            Deadline(notice=notice, rule_code=f"local_rule_{k}", party="agency", basis="local", period=3,
                     unit="working_days", trigger_at=bj(2026, 9, 30, 10, 0), due_at=bj(2026, 10, 10, 23, 59, 59),
                     next_action_at=bj(2026, 10, 9, 9, 0))
            for notice in received for k in range(per_notice - 1)])
    return Deadline.objects.filter(next_action_at__lte=bj(2026, 10, 9, 9, 30)).count()


def assert_each_reminded_once(total, recipients=3):
    assert DeadlineAction.objects.count() == total
    assert set(DeadlineAction.objects.values_list("step", flat=True)) == {"remind:working_days:1"}
    assert not DeadlineAction.objects.values("deadline").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Message.objects.filter(kind="deadline_reminder").count() == total * recipients
    per_deadline = Message.objects.filter(kind="deadline_reminder").values("key").annotate(n=Count("pk"))
    assert not per_deadline.filter(n__gt=1).exists()


def test_two_workers_sweeping_at_once_send_each_reminder_once(workers, world):
    total = clocks_due(world, notices=10, per_notice=30)
    assert total == 300
    first, second = workers.start(2, frozen_at=FROZEN_AT)
    workers.send(TASK, batch_size=5)
    workers.send(TASK, batch_size=5)
    wait_for(lambda: len(results(first)) + len(results(second)) == 2)
    done = results(first) + results(second)
    assert sum(r["reminders"] for r in done) == total
    # Both swept at the same time, each on rows the other had not locked.
    assert all(r["reminders"] > 0 for r in done), done
    assert_each_reminded_once(total)
    # A later sweep (beat's next tick) finds nothing left to do.
    workers.send(TASK)
    wait_for(lambda: len(results(first)) + len(results(second)) == 3)
    assert sum(r["reminders"] for r in results(first) + results(second)) == total
    assert_each_reminded_once(total)


def _own_connection():
    s = connection.settings_dict
    conn = psycopg2.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                            host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432)
    conn.autocommit = False
    return conn


def _waiting_on_the_record(conn):
    with conn.cursor() as cursor:
        cursor.execute("SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchall()


def test_a_worker_killed_after_sending_and_before_recording_sends_nothing_twice(workers, world):
    total = clocks_due(world, notices=4, per_notice=1)
    # Hold the step records' table so that the worker stops right after storing its messages.
    blocker = _own_connection()
    watcher = _own_connection()
    watcher.autocommit = True
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE cases_deadlineaction IN EXCLUSIVE MODE")
        (doomed,) = workers.start(1, frozen_at=FROZEN_AT)
        workers.send(TASK)
        wait_for(lambda: _waiting_on_the_record(watcher), what="the worker to block on recording the step")
        ((pid, query),) = _waiting_on_the_record(watcher)
        assert query.startswith('INSERT INTO "cases_deadlineaction"')
        doomed.kill()
        with watcher.cursor() as cursor:  # what PostgreSQL does once it notices its client is gone
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        blocker.rollback()
    finally:
        blocker.close()
        watcher.close()
    # Nothing the killed worker did is left: no message, no record, the clocks unchanged.
    assert not Message.objects.filter(kind__startswith="deadline").exists()
    assert not DeadlineAction.objects.exists()
    assert Deadline.objects.filter(next_action_at=bj(2026, 10, 9, 9, 0)).count() == total
    # The next sweep (another worker) catches up, once.
    (survivor,) = workers.start(1, frozen_at=FROZEN_AT)
    workers.send(TASK)
    wait_for(lambda: len(results(survivor)) == 1)
    assert results(survivor)[0]["reminders"] == total
    assert_each_reminded_once(total)
