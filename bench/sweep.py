"""Benchmark of the deadline sweep (issue 3, "Performance"): on PostgreSQL, seed 100,000 and then
1,000,000 deadlines of which 1% are due, run one sweep over each, and print the time and the
queries per batch. The sweep's search is an indexed range scan of `next_action_at`, so its time
should grow with the number due, not with the table: the ratio of the time per due deadline at
1M to the one at 100k should stay near 1, and the queries per batch should not change.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalaid make bench-sweep
    .venv/bin/python bench/sweep.py --sizes 100000 1000000 --batch-size 500

It works in a database of its own, `<name of DATABASE_URL's database>_bench_sweep`, created afresh
(and dropped again unless --keep), so the development data is never touched. Rows are generated
inside PostgreSQL with INSERT ... SELECT generate_series (bulk inserts: a minute or so for 1M)."""
import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BEIJING = dt.timezone(dt.timedelta(hours=8))
# The sweep runs "at" Friday 9 October 2026, 09:30 in Beijing: the due clocks (due Saturday 10
# October, a make-up working day) are owed their "one working day before" reminder.
NOW = dt.datetime(2026, 10, 9, 9, 30, tzinfo=BEIJING)
RULES_PER_NOTICE = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--due-percent", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--json", help="write the results to this file (make bench reads it)")
    return parser.parse_args()


def bench_database():
    """Create the bench database next to DATABASE_URL's and point Django at it."""
    import environ
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/sweep.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name")
    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_bench_sweep"
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                             host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return admin, name


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ["CONN_MAX_AGE"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(size, due_percent, world):
    """`size` deadlines on size/10 notices (10 rules each): `due_percent` % open and owed a step at
    NOW; half of the rest open with their next step later; the others met (no next step)."""
    from django.db import connection

    from cases.deadlines.rules import REGISTRY

    notices = size // RULES_PER_NOTICE
    due_every = round(100 / due_percent)
    rules = list(REGISTRY.values())[:RULES_PER_NOTICE]
    # One in `due_every`, spread over the rules: in each run of `due_every` numbers the due one shifts.
    is_due = f"(g + g / {due_every}) %% {due_every} = 0"
    values = ", ".join(f"({i}, '{r.code}', '{r.party}', '{r.unit}', {r.period})" for i, r in enumerate(rules))
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("""
            INSERT INTO cases_courtcase (court_id, case_number, procedure, stage, accepted_on, hearing_place,
                                         judge_name, judge_phone, created_at)
            SELECT %s, '（2026）豫1702刑初' || g || '号', 'ordinary', 'first_instance', DATE '2026-09-28', '',
                   '张某某', '0396-1234567', now()
            FROM generate_series(1, %s) g""", [world.court.pk, notices])
        c.execute("""
            INSERT INTO cases_defendant (case_id, name, id_number, gender, birth_date, ethnicity, custody_status,
                                         custody_place, residence, conditions, may_face_life_or_death, charges,
                                         identity_key)
            SELECT c.id, '被告人' || c.id, '', 'male', DATE '1990-03-07', '汉族', 'detained', '驻马店市看守所', '',
                   '[]', false, '["盗窃罪"]', 'nb:' || c.id
            FROM cases_courtcase c WHERE c.court_id = %s""", [world.court.pk])
        c.execute("""
            INSERT INTO cases_notice (id, court_id, agency_id, case_id, defendant_id, status, source, received_at,
                                      court_reason, category, grounds, category_differs, documents_promised,
                                      missing_materials, updated_at)
            SELECT gen_random_uuid(), %s, %s, d.case_id, d.id, 'received', 'api', %s, '', 'full_coverage', '[]',
                   false, '["indictment"]', '[]', %s
            FROM cases_defendant d""", [world.court.pk, world.agency.pk, NOW - dt.timedelta(days=9),
                                        NOW - dt.timedelta(days=9)])
        c.execute("CREATE TEMP TABLE bench_notice AS "
                  "SELECT row_number() OVER (ORDER BY id) AS seq, id FROM cases_notice")
        c.execute(f"""
            INSERT INTO cases_deadline (notice_id, rule_code, party, basis, period, unit, trigger_at, due_at,
                                        provisional, status, closed_at, waive_reason, next_action_at, created_at)
            SELECT n.id, r.code, r.party, 'bench', r.period, r.unit, %(trigger)s,
                   CASE WHEN {is_due} THEN %(due)s ELSE %(later)s END, false,
                   CASE WHEN {is_due} OR g %% 2 = 0 THEN 'open' ELSE 'met' END,
                   CASE WHEN {is_due} OR g %% 2 = 0 THEN NULL ELSE %(trigger)s END, '',
                   CASE WHEN {is_due} THEN %(step)s WHEN g %% 2 = 0 THEN %(later_step)s END, now()
            FROM generate_series(1, %(size)s) g
            JOIN bench_notice n ON n.seq = (g - 1) / {RULES_PER_NOTICE} + 1
            JOIN (VALUES {values}) AS r(i, code, party, unit, period) ON r.i = (g - 1) %% {RULES_PER_NOTICE}
        """, {"trigger": NOW - dt.timedelta(days=9), "due": dt.datetime(2026, 10, 10, 23, 59, 59, tzinfo=BEIJING),
              "later": dt.datetime(2026, 10, 30, 23, 59, 59, tzinfo=BEIJING),
              "step": dt.datetime(2026, 10, 9, 9, 0, tzinfo=BEIJING),
              "later_step": dt.datetime(2026, 10, 29, 9, 0, tzinfo=BEIJING), "size": notices * RULES_PER_NOTICE})
        c.execute("DROP TABLE bench_notice")
        c.execute("VACUUM ANALYZE cases_deadline")
        c.execute("ANALYZE cases_notice")
        c.execute("SELECT count(*), count(*) FILTER (WHERE next_action_at <= %s) FROM cases_deadline", [NOW])
        total, due = c.fetchone()
    return total, due, time.perf_counter() - started


def claim_plan():
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN SELECT id FROM cases_deadline WHERE next_action_at <= %s ORDER BY next_action_at "
                  "LIMIT 500 FOR UPDATE SKIP LOCKED", [NOW])
        return [row[0] for row in c.fetchall()]


def run_sweep(batch_size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.deadlines.enforcement import sweep
    from cases.deadlines.services import current_calendar

    current_calendar()  # load the calendar once, as a running worker has it
    marks = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = sweep(now=NOW, batch_size=batch_size,
                       on_batch=lambda n: marks.append((time.perf_counter(), len(queries), n)))
        elapsed = time.perf_counter() - started
    per_batch, times, previous = [], [], (started, 1)  # the first batch also checks the calendar (1 query)
    for moment, count, _n in marks:
        per_batch.append(count - previous[1])
        times.append(moment - previous[0])
        previous = (moment, count)
    return result, elapsed, per_batch, times


def truncate():
    from django.db import connection

    with connection.cursor() as c:
        c.execute("TRUNCATE cases_deadlineaction, cases_deadline, cases_noticeevent, notifications_message, "
                  "cases_supplementrequest, cases_notice, cases_defendant, cases_courtcase CASCADE")


def main():
    args = parse_args()
    admin, name = bench_database()
    try:
        setup_django()
        from cases.tests.factories import build_world

        world = build_world()
        # A first, untimed sweep over a small table: the process's one-off costs (imports, message
        # catalogues, the calendar's first load) would otherwise fall on the first size measured.
        truncate()
        seed(10_000, args.due_percent, world)
        run_sweep(args.batch_size)
        rows = []
        for size in args.sizes:
            truncate()
            total, due, seeded = seed(size, args.due_percent, world)
            result, elapsed, per_batch, times = run_sweep(args.batch_size)
            assert result["deadlines"] == due, (result, due)
            rows.append((total, due, result, elapsed, per_batch, times, seeded))
            print(f"  seeded {total:,} deadlines ({due:,} due) in {seeded:.1f}s; swept in {elapsed:.2f}s", flush=True)
        print()
        print("Claim query plan (1M):" if args.sizes[-1] >= 1_000_000 else "Claim query plan:")
        for line in claim_plan():
            print("   ", line)
        print()
        print(f"{'deadlines':>11} {'due':>8} {'batches':>8} {'queries/batch':>14} {'ms/batch':>9} "
              f"{'sweep s':>8} {'ms/due':>7} {'reminders':>10}")
        for total, due, result, elapsed, per_batch, times, _s in rows:
            full = per_batch[1:] or per_batch  # later batches: the first also checks the calendar
            print(f"{total:>11,} {due:>8,} {result['batches']:>8} {min(full):>6}–{max(full):<7} "
                  f"{1000 * sum(times) / len(times):>9.1f} {elapsed:>8.2f} {1000 * elapsed / due:>7.3f} "
                  f"{result['reminders']:>10,}")
        out = {"batch_size": args.batch_size, "rows": [
            {"deadlines": total, "due": due, "batches": result["batches"], "sweep_s": elapsed,
             "ms_per_due": 1000 * elapsed / due, "queries_per_batch": sorted(set(per_batch[1:] or per_batch)),
             "reminders": result["reminders"], "seed_s": seeded}
            for total, due, result, elapsed, per_batch, times, seeded in rows]}
        if len(rows) >= 2:
            (small, big) = rows[0], rows[-1]
            ratio = (big[3] / big[1]) / (small[3] / small[1])
            print(f"\nTime per due deadline, {big[0]:,} vs {small[0]:,} rows: ratio {ratio:.2f} (near 1: the sweep "
                  f"scales with the number due, not the table); queries per batch "
                  f"{sorted(set(small[4][1:] + big[4][1:]))}.")
            out["ratio"] = ratio
        if args.json:
            from results import write_json

            write_json(args.json, out)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


if __name__ == "__main__":
    main()
