"""Benchmark of the application served the production way (issue 8, "Benchmarks"): gunicorn with the
production settings and a Celery worker on Redis, over a database that already holds the bench data
(bench/statistics_page.py --keep seeds one: 1,000,000 notices with their designations and deadlines).

It prints and returns, as JSON with --json:
- the notice POST (docs/court-api.md: one new notice per request, with its Idempotency-Key) at 1, 8 and 32
  concurrent clients: throughput and p50/p99 latency, beside the same figures for a minimal DRF
  endpoint on the same server (legalaid/api/bench.py: same authentication, throttling and parsers,
  no work) as the ceiling, and their ratio;
- the inbox page and the notice list API: p50/p95 over repeated requests, and the queries each makes;
  the query plans of the lists (EXPLAIN (ANALYZE, BUFFERS)): the plan used, and the plain query's;
- 8 staff sessions at once (logged in, keep-alive), each going round its inbox, a notice page and
  that notice's designation page: p50/p95 per page;
- the queries of one notice POST, counted in-process.

    DATABASE_URL=postgres://…/legalaid_bench_statistics REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/served.py --seconds 10 --json var/bench/served.json

The load generator runs in separate processes (several threads each, one keep-alive connection per
client), so that its own interpreter lock does not cap the figures."""
import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
COURT = "豫0101"  # a basic court of bench/statistics_page.py's province


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per load level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--reads", type=int, default=60, help="requests per page / list measured")
    parser.add_argument("--sessions", type=int, default=8, help="concurrent staff sessions browsing")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--json", help="write the results to this file")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "legalaid.settings.production", "SECRET_KEY": SECRET,
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false", "PYTHONPATH": str(ROOT),
                "BENCH_ENDPOINTS": "true", "API_THROTTLE_TOKEN": "10000000/min", "LOG_LEVEL": "WARNING",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "CONN_MAX_AGE": "600"})
    env.update(extra)
    return env


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "legalaid.settings.local"
    os.environ["DEBUG"] = "false"
    os.environ["BENCH_ENDPOINTS"] = "true"
    os.environ["SECRET_KEY"] = SECRET  # the sessions made here must verify on the server
    os.environ["API_THROTTLE_TOKEN"] = "10000000/min"  # the same budget as the server's (they share Redis)
    import django

    django.setup()


def accounts() -> dict:
    """A court account with an API token, and staff sessions: a county's staff and a prefecture's
    supervisor (bench/statistics_page.py's users)."""
    from django.contrib.sessions.backends.db import SessionStore

    from cases.models import Court
    from legalaid.models import ApiToken, Role, User

    court = Court.objects.get(code=COURT)
    user, _ = User.objects.get_or_create(username="bench-court", defaults={"role": Role.COURT, "court": court})
    keys = {}
    for who, account in (("court", user), ("county", User.objects.get(username="bench-county")),
                         ("city", User.objects.get(username="bench-city"))):
        token = ApiToken(user=account, name="bench")
        raw = ApiToken.new_key()
        token.set_key(raw)
        token.save()
        session = SessionStore()
        session["_auth_user_id"] = str(account.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = account.get_session_auth_hash()
        session.create()
        keys[who] = {"token": raw, "session": session.session_key, "username": account.username}
    return keys


def session_for(user) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def staff_sessions(count: int) -> list:
    """`count` staff accounts, each of a county agency of another prefecture, logged in, each with
    notices of its agency waiting for a designation: [{cookie, username, paths: {page: [path]}}]."""
    from cases.models import Agency, Notice
    from legalaid.models import Role, User

    agencies = list(Agency.objects.filter(region__level="county").order_by("region__code"))
    chosen = [agencies[(i * len(agencies)) // count] for i in range(count)]
    out = []
    for i, agency in enumerate(chosen):
        user, _ = User.objects.get_or_create(username=f"bench-staff-{i}", defaults={
            "role": Role.AGENCY_STAFF, "agency": agency, "full_name": f"基准工作人员{i}"})
        notices = list(Notice.objects.filter(agency=agency, status=Notice.Status.RECEIVED)
                       .order_by("-received_at").values_list("pk", flat=True)[:5])
        out.append({"cookie": f"sessionid={session_for(user)}", "username": user.username, "paths": {
            "inbox": ["/notices/"], "notice": [f"/notices/{pk}/" for pk in notices],
            "designation": [f"/notices/{pk}/designation/" for pk in notices]}})
    return out


def payload(n: int) -> dict:
    """A new notice (a new case, a new defendant) for request number n."""
    from cases.tests.factories import make_id_number

    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n % 12000)
    return {"case_number": f"（2026）豫0101刑初B{n}号", "procedure": "ordinary", "accepted_on": "2026-11-30",
            "charges": ["盗窃罪"], "judge": {"name": "张某某", "phone": "0396-1234567"},
            "defendant": {"name": f"基准某{n}", "id_number": make_id_number(birth, seq=100 + (n // 12000) % 800),
                          "birth_date": birth.isoformat(), "gender": "male",
                          "custody": {"status": "detained", "place": "驻马店市看守所"}},
            "documents_attached": ["indictment"]}


# --- Load ------------------------------------------------------------------------------------------

def _timed(conn, port, method, path, headers, body=None, expect=200):
    """One request on a keep-alive connection: (the connection for the next one, whether it got the
    status expected, its seconds). A broken connection is replaced."""
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        ok = response.status == expect
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        ok = False
    return conn, ok, time.perf_counter() - started


def _client_process(port, path, token, bodies, threads, start_at, stop_at, queue):
    """One load process: `threads` clients, each with its own keep-alive connection, posting in a loop
    from start_at to stop_at; it returns the latencies of the requests that began after start_at."""
    results = []
    lock = threading.Lock()

    def client(mine):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, errors, i = [], 0, 0
        while True:
            now = time.time()
            if now >= stop_at:
                break
            body, key = mine[i % len(mine)] if mine else ("{}", None)
            i += 1
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                       "Host": "127.0.0.1"}
            if key:
                headers["Idempotency-Key"] = key
            conn, ok, seconds = _timed(conn, port, "POST", path, headers, body.encode(), expect=201)
            if now >= start_at:
                latencies.append(seconds)
                errors += not ok
        conn.close()
        with lock:
            results.append((latencies, errors))

    workers = [threading.Thread(target=client, args=(bodies[t::threads] if bodies else [],)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(results)


def load(port, path, token, clients, seconds, bodies=None, warmup=1.0) -> dict:
    """`clients` concurrent clients for `seconds` (after a warm-up): requests per second and latency."""
    processes = min(clients, os.cpu_count() or 1, 4)
    per = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    start_at = time.time() + warmup + 0.5
    stop_at = start_at + seconds
    queue = multiprocessing.Queue()
    procs, offset = [], 0
    for count in per:
        mine = bodies[offset::processes] if bodies else None
        offset += 1
        p = multiprocessing.Process(target=_client_process,
                                    args=(port, path, token, mine, count, start_at, stop_at, queue))
        p.start()
        procs.append(p)
    latencies, errors = [], 0
    for _ in procs:
        for lat, err in queue.get():
            latencies.extend(lat)
            errors += err
    for p in procs:
        p.join()
    latencies.sort()
    n = len(latencies)

    def pct(q):
        return 1000 * latencies[min(n - 1, int(q * n))] if n else None

    return {"clients": clients, "requests": n, "errors": errors, "rps": n / seconds, "p50_ms": pct(0.50),
            "p99_ms": pct(0.99)}


def _browse_process(port, sessions, start_at, stop_at, queue):
    """Staff sessions, one thread and one keep-alive connection each, going round their inbox, a
    notice page and its designation page until stop_at; the latencies of requests begun after
    start_at, by page."""
    results = []
    lock = threading.Lock()

    def client(session):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, i = {"inbox": [], "notice": [], "designation": []}, 0
        errors = 0
        while time.time() < stop_at:
            for page in ("inbox", "notice", "designation"):
                paths = session["paths"][page]
                path = paths[i % len(paths)]
                began = time.time()
                conn, ok, seconds = _timed(conn, port, "GET", path,
                                           {"Host": "127.0.0.1", "Cookie": session["cookie"]})
                if began >= start_at:
                    mine[page].append(seconds)
                    errors += not ok
            i += 1
        conn.close()
        with lock:
            results.append((mine, errors))

    workers = [threading.Thread(target=client, args=(session,)) for session in sessions]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(results)


def browse(port, sessions, seconds, warmup=2.0) -> dict:
    """The staff sessions at once for `seconds` (after a warm-up): p50/p95 by page."""
    processes = min(len(sessions), os.cpu_count() or 1, 4)
    start_at = time.time() + warmup + 0.5
    stop_at = start_at + seconds
    queue = multiprocessing.Queue()
    procs = []
    for k in range(processes):
        p = multiprocessing.Process(target=_browse_process,
                                    args=(port, sessions[k::processes], start_at, stop_at, queue))
        p.start()
        procs.append(p)
    by_page, errors = {"inbox": [], "notice": [], "designation": []}, 0
    for _ in procs:
        for mine, err in queue.get():
            for page, latencies in mine.items():
                by_page[page].extend(latencies)
            errors += err
    for p in procs:
        p.join()
    out = {"sessions": len(sessions), "seconds": seconds, "errors": errors, "pages": {}}
    for page, latencies in by_page.items():
        latencies.sort()
        n = len(latencies)
        out["pages"][page] = {"requests": n, "p50_ms": 1000 * latencies[n // 2] if n else None,
                              "p95_ms": 1000 * latencies[max(0, int(0.95 * n) - 1)] if n else None}
    out["rps"] = sum(p["requests"] for p in out["pages"].values()) / seconds
    return out


def reads(port, path, header, count) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for i in range(count + 2):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Host": "127.0.0.1", **header})
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, (path, response.status, body[:300])
        if i >= 2:  # the first two warm the worker's caches
            times.append(time.perf_counter() - started)
    conn.close()
    times.sort()
    return {"p50_ms": 1000 * times[len(times) // 2], "p95_ms": 1000 * times[int(0.95 * len(times)) - 1],
            "bytes": len(body)}


def queries_of(path, username, api_token=None) -> int:
    """The queries one request makes, counted in-process on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from legalaid.models import User

    client = Client(HTTP_HOST="localhost")
    extra = {}
    if api_token:
        extra["HTTP_AUTHORIZATION"] = f"Token {api_token}"
    else:
        client.force_login(User.objects.get(username=username))
    client.get(path, **extra)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200, response.status_code
    return len(captured)


def time_split(path, username, api_token=None, runs=10) -> dict:
    """Where one request's time goes, in-process: the median of its total and of its SQL time."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from legalaid.models import User

    client = Client(HTTP_HOST="localhost")
    extra = {"HTTP_AUTHORIZATION": f"Token {api_token}"} if api_token else {}
    if not api_token:
        client.force_login(User.objects.get(username=username))
    client.get(path, **extra)
    totals, sql = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(path, **extra)
            totals.append(1000 * (time.perf_counter() - started))
        sql.append(1000 * sum(float(q["time"]) for q in captured.captured_queries))
    return {"total_ms": sorted(totals)[runs // 2], "sql_ms": sorted(sql)[runs // 2]}


def plans(username, api: bool) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of a list's main query (the one reading the page of notices), as
    the request makes it, and of the plain query (the user's notices in the list's order, without
    cases.selectors.notices_first_by_agency): {"used": [lines], "plain": [lines]}, each reduced to
    its plan nodes' key lines."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from cases.selectors import notice_list_for_user
    from legalaid.models import User

    user = User.objects.get(username=username)
    client = APIClient(HTTP_HOST="localhost") if api else Client(HTTP_HOST="localhost")
    if api:
        client.force_authenticate(user)
    else:
        client.force_login(user)
    path = "/api/v1/notices/" if api else "/notices/"
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    main = next(q["sql"] for q in captured.captured_queries
                if q["sql"].startswith('SELECT "cases_notice"."id"') and "LIMIT" in q["sql"])
    ordering = ("-updated_at", "-id") if api else ("-received_at", "-pk")
    plain = str(notice_list_for_user(user=user).prefetch_related(None).order_by(*ordering)[:51].query)

    def explain(sql):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [row[0] for row in cursor.fetchall()]
        keep = ("Limit", "Sort", "Index", "Seq Scan", "Nested Loop", "Bitmap", "HashAggregate", "ProjectSet",
                "SubPlan", "Rows Removed", "Execution Time", "Hash Join")
        return [line.rstrip() for line in lines if line.strip().startswith(tuple(f"-> {k}" for k in keep))
                or line.strip().startswith(keep)][:24]

    return {"used": explain(main), "plain": explain(plain)}


def post_queries(token: str) -> int:
    """The queries of one notice POST (after a first one: the process's calendar and the token's
    last use are then read), counted in-process as the test that keeps the count does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    counts = []
    for n in (990_001, 990_002):
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/api/v1/notices/", data=json.dumps(payload(n), ensure_ascii=False),
                                   content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"bench-queries-{n}")
        assert response.status_code == 201, response.content[:300]
        counts.append(len(captured))
    return counts[-1]


def drain(redis_url, timeout=300) -> float:
    """Wait until the Celery worker has taken every queued task, so that the reads below are not
    measured against the posts' follow-up work."""
    import redis

    client = redis.Redis.from_url(redis_url)
    started = time.perf_counter()
    while client.llen("celery") and time.perf_counter() - started < timeout:
        time.sleep(0.5)
    time.sleep(2)  # the tasks the worker holds
    return time.perf_counter() - started


# --- Processes ---------------------------------------------------------------------------------------

class Served:
    def __init__(self, args, log_dir: Path):
        self.port = free_port()
        env = server_env()
        log_dir.mkdir(parents=True, exist_ok=True)
        self.logs = [open(log_dir / "gunicorn.log", "w"), open(log_dir / "celery.log", "w")]
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "legalaid.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(args.workers), "--worker-class", "gthread", "--threads", "2", "--backlog", "1024",
             "--timeout", "60"], cwd=ROOT, env=env, stdout=self.logs[0], stderr=subprocess.STDOUT)
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "legalaid", "worker", "-l", "WARNING", "--concurrency", "2",
             "-Q", "celery"], cwd=ROOT, env=env, stdout=self.logs[1], stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start; see {log_dir / 'gunicorn.log'}")

    def stop(self):
        for process in (self.server, self.worker):
            process.send_signal(signal.SIGTERM)
        for process in (self.server, self.worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self.logs:
            log.close()


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench/served.py needs PostgreSQL: DATABASE_URL=postgres://… (a database seeded by bench/statistics_page.py)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench/served.py needs Redis for its Celery worker: REDIS_URL=redis://…")
    setup_django()
    from django.db import connections

    from cases.models import Notice

    keys = accounts()
    sessions = staff_sessions(args.sessions)
    before = Notice.objects.count()
    connections.close_all()  # before the load processes fork
    served = Served(args, ROOT / "var" / "bench")
    results = {"notices_before": before, "workers": args.workers, "post": [], "echo": [], "reads": {}, "plans": {}}
    try:
        court = keys["court"]["token"]
        posted = 0
        for clients in args.clients:
            echo = load(served.port, "/api/v1/bench/echo", court, clients, args.seconds,
                        bodies=[(json.dumps(payload(n), ensure_ascii=False), None) for n in range(64)])
            # More bodies than the level can post: every request is a new notice with a new key.
            budget = int(max(400, 150 * clients) * args.seconds)
            bodies = [(json.dumps(payload(posted + n), ensure_ascii=False), f"bench-{posted + n}")
                      for n in range(budget)]
            post = load(served.port, "/api/v1/notices/", court, clients, args.seconds, bodies=bodies)
            posted += budget
            post["ratio"] = post["rps"] / echo["rps"] if echo["rps"] else None
            results["echo"].append(echo)
            results["post"].append(post)
            print(f"  {clients:>2} clients: notice POST {post['rps']:7.1f}/s p50 {post['p50_ms']:6.1f} ms "
                  f"p99 {post['p99_ms']:7.1f} ms ({post['errors']} errors) | minimal endpoint {echo['rps']:7.1f}/s "
                  f"p50 {echo['p50_ms']:5.1f} ms p99 {echo['p99_ms']:6.1f} ms | ratio {post['ratio']:.2f}", flush=True)
        drained = drain(os.environ["REDIS_URL"])
        print(f"  the worker finished the posts' follow-up tasks in {drained:.0f}s", flush=True)
        pages = [
            ("inbox page, county staff", "/notices/", {"Cookie": f"sessionid={keys['county']['session']}"},
             keys["county"]["username"], None),
            ("inbox page, prefecture supervisor", "/notices/", {"Cookie": f"sessionid={keys['city']['session']}"},
             keys["city"]["username"], None),
            ("notice list API, court", "/api/v1/notices/", {"Authorization": f"Token {court}"}, None, court),
            ("notice list API, prefecture supervisor", "/api/v1/notices/",
             {"Authorization": f"Token {keys['city']['token']}"}, None, keys["city"]["token"]),
        ]
        for label, path, header, username, token in pages:
            timing = reads(served.port, path, header, args.reads)
            timing["queries"] = queries_of(path, username, api_token=token)
            timing.update(time_split(path, username, api_token=token))
            results["reads"][label] = timing
            print(f"  {label:<40} p50 {timing['p50_ms']:6.1f} ms p95 {timing['p95_ms']:6.1f} ms "
                  f"{timing['queries']:>3} queries", flush=True)
        results["browse"] = browse(served.port, sessions, args.seconds * 2)
        for page, row in results["browse"]["pages"].items():
            path = sessions[0]["paths"][page][0]
            row["queries"] = queries_of(path, sessions[0]["username"])
            print(f"  {args.sessions} staff sessions at once, {page:<12} p50 {row['p50_ms']:6.1f} ms "
                  f"p95 {row['p95_ms']:6.1f} ms ({row['requests']} requests, {row['queries']} queries)", flush=True)
        print(f"  ({results['browse']['rps']:.1f} pages/s, {results['browse']['errors']} errors)", flush=True)
    finally:
        served.stop()
    for label, username, api in (("notice list API, prefecture supervisor", "bench-city", True),
                                 ("inbox page, prefecture supervisor", "bench-city", False)):
        results["plans"][label] = plans(username, api)
        print(f"  plan of the {label}:\n    " + "\n    ".join(results["plans"][label]["used"]), flush=True)
    results["post_queries"] = post_queries(keys["court"]["token"])
    print(f"  queries of one notice POST: {results['post_queries']}", flush=True)
    created = Notice.objects.count() - before
    accepted = sum(p["requests"] - p["errors"] for p in results["post"])
    results["notices_created"] = created
    print(f"  notices created {created:,} (201 answers counted in the measured windows: {accepted:,}; the "
          f"warm-up's are created too)")
    if args.json:
        from results import write_json

        write_json(args.json, results)


if __name__ == "__main__":
    main()
