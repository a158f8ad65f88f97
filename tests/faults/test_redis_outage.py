"""Redis stopped while a court posts notices: the notices are saved and answered 201 at once (the
throttle's cache falls back to memory, task dispatch keeps its calls), and once Redis is back the
held-back work catches up: the duty notice is routed to the lawyer on shift, the staff's messages
are delivered, and the deadline reminders come on time, each once."""
import datetime as dt
import time

import requests

from tests.faults.conftest import base_env, run_script, send_task, wait_for
from tests.faults.services import PrivateRedis


def post_notice(server, token, body, **headers):
    return requests.post(server.url + "/api/v1/notices/", json=body, timeout=30,
                         headers={"Authorization": f"Token {token}", **headers})


def payload(n, procedure="ordinary"):
    from cases.tests.factories import make_id_number

    return {"case_number": f"（2026）豫1702刑初{9000 + n}号", "procedure": procedure, "accepted_on": "2026-09-28",
            "charges": ["盗窃罪"], "judge": {"name": "张某某", "phone": "0396-1234567"},
            "defendant": {"name": f"离线某{n}", "id_number": make_id_number(dt.date(1990, 3, 7), seq=400 + n),
                          "birth_date": "1990-03-07", "gender": "male",
                          "custody": {"status": "detained", "place": "驻马店市看守所"}},
            "documents_attached": ["indictment"]}


def test_notices_posted_while_redis_is_down_are_received_and_their_work_catches_up(
        database, redis_server, processes, tmp_path):
    seeded = run_script("from tests.faults.seed import world\nprint(json.dumps(world(duty_shift=True)))",
                        database=database)
    env = base_env(DATABASE_URL=database.url, REDIS_URL=redis_server.url())
    server = processes.server(env=env, log=tmp_path / "gunicorn.log")
    token = seeded["court_token"]
    assert post_notice(server, token, payload(0)).status_code == 201  # Redis up: as usual

    redis_server.stop()
    timings, notices = [], {}
    for n, procedure in ((1, "ordinary"), (2, "summary"), (3, "ordinary")):
        started = time.monotonic()
        response = post_notice(server, token, payload(n, procedure), **{"Idempotency-Key": f"outage-{n}"})
        timings.append(time.monotonic() - started)
        assert response.status_code == 201, response.text
        notices[procedure if n < 3 else "second"] = response.json()["id"]
    assert max(timings) < 10, timings  # no request waits on the broker for long
    # Read back, still without Redis: saved, with their deadlines, and the court's replay works.
    read = requests.get(f"{server.url}/api/v1/notices/{notices['ordinary']}/", timeout=30,
                        headers={"Authorization": f"Token {token}"})
    assert read.status_code == 200 and read.json()["deadlines"]
    replay = post_notice(server, token, payload(1), **{"Idempotency-Key": "outage-1"})
    assert replay.status_code == 201 and replay.json()["id"] == notices["ordinary"]
    # What could not be queued is kept: the duty routing as a pending task, the emails as deliveries.
    assert database.query("SELECT task, args FROM legalaid_pendingdispatch") == [
        ("assignments.tasks.duty_route", [notices["summary"]])]
    waiting = database.value("SELECT count(*) FROM notifications_delivery WHERE status = 'pending' AND notice_id = ANY(%s::uuid[])",
                             [list(notices.values())])
    assert waiting > 0
    assert "Could not queue" in server.text() or "Redis cache unavailable" in server.text()

    # Redis is back (a new server on the same port: nothing of the old queue survives).
    back = PrivateRedis(tmp_path / "redis-again")
    back.port = redis_server.port
    back.start()
    try:
        worker = processes.worker(env=env, log=tmp_path / "worker.log", name="catch-up")
        send_task(back.url(), "legalaid.tasks.dispatch_catch_up")  # beat's tick, every minute
        send_task(back.url(), "notifications.tasks.deliveries_sweep")
        wait_for(lambda: database.value(
            "SELECT count(*) FROM assignments_designation WHERE notice_id = %s::uuid", [notices["summary"]]) == 1,
            what="the duty notice to be routed")
        assert database.value("SELECT count(*) FROM legalaid_pendingdispatch") == 0
        assert database.value("SELECT lawyer_id FROM assignments_designation WHERE notice_id = %s::uuid",
                              [notices["summary"]]) == seeded["duty_lawyer"]
        wait_for(lambda: database.value(
            "SELECT count(*) FROM notifications_delivery WHERE status <> 'sent' AND notice_id = ANY(%s::uuid[])",
            [list(notices.values())]) == 0, what="the held-back deliveries to be sent")
        worker.stop()

        # The deadlines catch up too: at the first reminder of the designation clock of a notice
        # received during the outage, the sweep reminds the staff, once.
        (deadline_id, reminder_at), = database.query(
            "SELECT id, next_action_at FROM cases_deadline WHERE notice_id = %s::uuid AND rule_code = "
            "'agency_assign_lawyer'", [notices["ordinary"]])
        frozen = (reminder_at + dt.timedelta(minutes=1)).isoformat()
        later = processes.worker(env=env, log=tmp_path / "worker-later.log", name="sweeper", frozen_at=frozen)
        for _tick in range(2):  # two ticks of beat: the second finds nothing new
            send_task(back.url(), "cases.tasks.deadline_sweep")
        wait_for(lambda: database.value(
            "SELECT count(*) FROM cases_deadlineaction WHERE deadline_id = %s", [deadline_id]) == 1,
            what="the reminder of the outage's notice")
        wait_for(lambda: "deadline_sweep" in later.text() and later.text().count("succeeded") >= 2,
                 what="both sweeps")
        reminders = database.query(
            "SELECT key FROM notifications_message WHERE kind = 'deadline_reminder' AND notice_id = %s::uuid",
            [notices["ordinary"]])
        assert len(reminders) == 3 and len({k for (k,) in reminders}) == 3  # staff, colleague, supervisor
        send_task(back.url(), "notifications.tasks.deliveries_sweep")
        wait_for(lambda: database.value(
            "SELECT count(*) FROM notifications_delivery d JOIN notifications_message m ON m.id = d.message_id "
            "WHERE m.kind = 'deadline_reminder' AND m.notice_id = %s::uuid AND d.status = 'sent'",
            [notices["ordinary"]]) == 6, what="the reminders' email and text to be sent")
    finally:
        back.stop()
