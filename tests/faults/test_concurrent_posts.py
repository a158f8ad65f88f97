"""200 concurrent posts of 50 distinct notices against the production server: exactly 50 notices.
Each notice is posted four times at the same moment: half of them without an Idempotency-Key (one
201, three 409 duplicate_notice naming it), half with one key shared by the four posts (four 201s
with the same notice)."""
import threading
from collections import defaultdict

import requests

from tests.faults.conftest import base_env, run_script
from tests.faults.test_redis_outage import payload

DISTINCT = 50
COPIES = 4


def test_two_hundred_concurrent_posts_of_fifty_notices_make_fifty(database, redis_server, processes, tmp_path):
    seeded = run_script("from tests.faults.seed import world\nprint(json.dumps(world()))", database=database)
    env = base_env(DATABASE_URL=database.url, REDIS_URL=redis_server.url(), CONN_MAX_AGE=60)
    server = processes.server(env=env, log=tmp_path / "gunicorn.log", workers=4, threads=8)
    headers = {"Authorization": f"Token {seeded['court_token']}"}
    bodies = [payload(500 + n) for n in range(DISTINCT)]
    barrier = threading.Barrier(DISTINCT * COPIES)
    results = defaultdict(list)
    lock = threading.Lock()

    def post(n):
        keyed = n % 2 == 1
        extra = {"Idempotency-Key": f"concurrent-{n}"} if keyed else {}
        session = requests.Session()
        barrier.wait(60)
        response = session.post(server.url + "/api/v1/notices/", json=bodies[n], timeout=120,
                                headers={**headers, **extra})
        with lock:
            results[n].append((response.status_code, response.json()))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(DISTINCT) for _copy in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)

    assert sum(len(r) for r in results.values()) == DISTINCT * COPIES
    for n, answers in results.items():
        statuses = sorted(status for status, _body in answers)
        created = {body["id"] for status, body in answers if status == 201}
        assert len(created) == 1, (n, statuses)
        (notice_id,) = created
        if n % 2 == 1:  # one key: every post gets the first response again
            assert statuses == [201] * COPIES, (n, answers)
        else:
            assert statuses == [201] + [409] * (COPIES - 1), (n, answers)
            duplicates = [body for status, body in answers if status == 409]
            assert {d["errors"][0]["code"] for d in duplicates} == {"duplicate_notice"}
            assert {d["existing"] for d in duplicates} == {f"/api/v1/notices/{notice_id}/"}
    assert database.value("SELECT count(*) FROM cases_notice") == DISTINCT
    assert database.value("SELECT count(DISTINCT defendant_id) FROM cases_notice") == DISTINCT
    assert database.value("SELECT count(*) FROM cases_courtcase") == DISTINCT
    assert server.alive()
