"""A Celery worker killed (SIGKILL) in the middle of sending the reminders of a sweep: after a new
worker starts and the sweeps run again, every due reminder has been sent, and the provider accepted
each exactly once. The text in flight when the worker died was never answered: it is sent again
(same key, so a provider that deduplicates could tell), and accepted once.

(tests/workers proves the deadline sweep itself: a worker killed between storing the messages and
recording the step leaves nothing, and the next sweep sends once.)"""
from collections import Counter

from tests.faults.conftest import base_env, run_script, send_task, wait_for

# Notices received on Wednesday 30 September 2026 at 10:00 Beijing time: their designation clocks
# are due on Saturday 10 October (a make-up working day) and remind "one working day before", on
# Friday 9 October at 09:00.
RECEIVED_AT = "2026-09-30T10:00:00+08:00"
REMINDER_AT = "2026-10-09T09:30:00+08:00"
AFTER_THE_LEASE = "2026-10-09T09:45:00+08:00"  # a claim of a dead worker has expired (lease: 80 s)
NOTICES = 6
RECIPIENTS = 3  # the agency's staff, colleague and supervisor, by text only


def test_a_worker_killed_mid_sweep_leaves_every_reminder_sent_exactly_once(
        database, redis_server, processes, gateway, tmp_path):
    run_script("from tests.faults.seed import world\nprint(json.dumps(world(staff_email=False)))", database=database)
    run_script(f"from tests.faults.seed import notices_received_at\n"
               f"print(json.dumps(notices_received_at('{RECEIVED_AT}', {NOTICES})))", database=database)
    env = base_env(DATABASE_URL=database.url, REDIS_URL=redis_server.url(),
                   SMS_BACKEND="tests.faults.sms_gateway.HttpGatewayBackend", SMS_GATEWAY_URL=gateway.url)
    expected = NOTICES * RECIPIENTS
    held = expected // 2
    gateway.hold_at(held)

    doomed = processes.worker(env=env, log=tmp_path / "doomed.log", name="doomed", frozen_at=REMINDER_AT)
    send_task(redis_server.url(), "cases.tasks.deadline_sweep")
    assert gateway.holding.wait(90), doomed.text()
    doomed.kill()  # in the middle: half the texts sent, one in flight, the rest queued
    gateway.release()

    sent = database.value("SELECT count(*) FROM notifications_delivery WHERE channel = 'sms' AND status = 'sent'")
    states = dict(database.query("SELECT status, count(*) FROM notifications_delivery WHERE channel = 'sms' "
                                 "GROUP BY status"))
    assert sent == held - 1 and states.get("sending") == 1, states
    assert sum(states.values()) == expected
    # The sweep's own work was committed before the sends: each step recorded once.
    assert database.value("SELECT count(*) FROM cases_deadlineaction") == NOTICES

    survivor = processes.worker(env=env, log=tmp_path / "survivor.log", name="survivor", frozen_at=AFTER_THE_LEASE)
    send_task(redis_server.url(), "cases.tasks.deadline_sweep")  # beat's next ticks
    send_task(redis_server.url(), "notifications.tasks.deliveries_sweep")
    wait_for(lambda: database.value("SELECT count(*) FROM notifications_delivery WHERE channel = 'sms' "
                                    "AND status = 'sent'") == expected, what="every text to be sent",
             timeout=120)
    send_task(redis_server.url(), "notifications.tasks.deliveries_sweep")  # and once more: nothing left
    wait_for(lambda: survivor.text().count("deliveries_sweep") >= 4, what="the last sweep")

    keys = [k for (k,) in database.query(
        "SELECT d.key FROM notifications_delivery d JOIN notifications_message m ON m.id = d.message_id "
        "WHERE m.kind = 'deadline_reminder'")]
    assert len(keys) == expected
    accepted = Counter(gateway.accepted)
    assert set(accepted) == set(keys) and set(accepted.values()) == {1}, accepted
    # The one held when the worker died arrived twice (the dead attempt and its retry), accepted once.
    arrived = Counter(gateway.arrived)
    assert sorted(arrived.values()) == [1] * (expected - 1) + [2]
    assert database.value("SELECT count(*) FROM cases_deadlineaction") == NOTICES
    assert database.value("SELECT count(*) FROM notifications_message WHERE kind = 'deadline_reminder'") == expected
