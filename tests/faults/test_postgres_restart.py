"""PostgreSQL restarted under a stream of notice posts: clients that retry with their Idempotency-Key
(on a refused connection, a reset, a timeout or a 5xx) end with exactly one notice each. The server
is gunicorn with the production settings (persistent connections, health-checked); the database is
this test's private PostgreSQL, restarted twice while the clients post."""
import threading
import time
import uuid

import requests

from tests.faults.conftest import base_env, run_script
from tests.faults.test_redis_outage import payload

CLIENTS = 6
NOTICES_EACH = 12
GIVE_UP_AFTER = 90  # seconds of retrying one notice


def test_clients_retrying_with_their_key_end_with_exactly_one_notice_each(
        database, redis_server, processes, tmp_path):
    seeded = run_script("from tests.faults.seed import world\nprint(json.dumps(world()))", database=database)
    env = base_env(DATABASE_URL=database.url, REDIS_URL=redis_server.url(), CONN_MAX_AGE=60)
    server = processes.server(env=env, log=tmp_path / "gunicorn.log", workers=2, threads=4)
    headers = {"Authorization": f"Token {seeded['court_token']}"}
    outcomes, errors, retried = {}, [], []
    progress = threading.Semaphore(0)

    def client(c):
        session = requests.Session()
        for i in range(NOTICES_EACH):
            n = c * NOTICES_EACH + i
            key = f"stream-{uuid.uuid4().hex}"
            body = payload(100 + n)
            give_up = time.monotonic() + GIVE_UP_AFTER
            attempts = 0
            while True:
                attempts += 1
                try:
                    response = session.post(server.url + "/api/v1/notices/", json=body, timeout=15,
                                            headers={**headers, "Idempotency-Key": key})
                    if response.status_code == 201:
                        outcomes[key] = (response.json()["id"], body["defendant"]["id_number"])
                        break
                    if response.status_code < 500:
                        errors.append((key, response.status_code, response.text[:300]))
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > give_up:
                    errors.append((key, "gave up", attempts))
                    break
                session = requests.Session()  # a fresh connection, as a client library would
                time.sleep(0.2)
            if attempts > 1:
                retried.append(key)
            progress.release()

    threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
    for thread in threads:
        thread.start()
    total = CLIENTS * NOTICES_EACH
    for _restart in range(2):  # after a quarter of the notices, and again after half
        for _n in range(total // 4):
            progress.acquire(timeout=120)
        # Down for a second: every connection dropped in the middle of requests, new ones refused.
        database.pg.stop("fast")
        time.sleep(1.0)
        database.pg.start()
    for thread in threads:
        thread.join(300)

    assert not errors, errors[:5]
    assert len(outcomes) == total
    assert retried, "no client had to retry: the restarts did not fall inside the stream"
    ids = [notice_id for notice_id, _number in outcomes.values()]
    assert len(set(ids)) == total  # one notice per key
    rows = database.query("SELECT n.id::text, d.id_number FROM cases_notice n JOIN cases_defendant d "
                          "ON d.id = n.defendant_id")
    assert len(rows) == total and set(rows) == set(outcomes.values())
    assert database.value("SELECT count(*) FROM legalaid_idempotencykey") == total
    # The server saw the outage (answered 5xx or dropped connections) and served through it.
    assert server.alive()
