"""Benchmark: the recommendation for one notice among 50,000 lawyers and 1,000,000 past designations,
on PostgreSQL. Reports p50/p95 and the number of queries per recommendation for each pool (the
largest: one prefecture pooling 12,353 lawyers), the designation page (recommendation included) as
a whole request, and the lawyer-load check (assignments.load) over those designations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalaid_assign_bench .venv/bin/python bench/recommend.py

It migrates the database it is given, fills it once with generated data (INSERT ... SELECT
generate_series: a province of 17 prefectures × 10 counties, lawyers spread over them and a few
large pools, 1,000,000 designations of which ~3% are open), builds the lawyers' loads from them with
the load check (the rows were written around the services), then times `recommend()` and the
designation page for notices in several counties. Options: --lawyers, --designations, --runs,
--refill."""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings.local")


def setup_django():
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/recommend.py needs PostgreSQL: set DATABASE_URL")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


FILL_SQL = """
INSERT INTO cases_region (code, name, level, parent_id)
  SELECT '990000', '基准省', 'province', NULL WHERE NOT EXISTS (SELECT 1 FROM cases_region WHERE code='990000');
INSERT INTO cases_region (code, name, level, parent_id)
  SELECT '99' || lpad(p::text, 2, '0') || '00', '基准市' || p, 'prefecture', (SELECT id FROM cases_region WHERE code='990000')
  FROM generate_series(1, 17) p;
INSERT INTO cases_region (code, name, level, parent_id)
  SELECT '99' || lpad(p::text, 2, '0') || lpad(c::text, 2, '0'), '基准县' || p || '-' || c, 'county',
         (SELECT id FROM cases_region WHERE code = '99' || lpad(p::text, 2, '0') || '00')
  FROM generate_series(1, 17) p, generate_series(1, 10) c;
INSERT INTO cases_agency (name, region_id, phone, address)
  SELECT '基准法律援助中心' || r.code, r.id, '', '' FROM cases_region r WHERE r.code LIKE '99%%' AND r.level = 'county';
INSERT INTO cases_court (code, name, level, region_id, agency_id, liaison_name, liaison_phone)
  SELECT 'B' || r.code, '基准法院' || r.code, 'basic', r.id, a.id, '', ''
  FROM cases_region r JOIN cases_agency a ON a.region_id = r.id WHERE r.code LIKE '99%%' AND r.level = 'county';
INSERT INTO assignments_lawfirm (name, licence_number, region_id, address, phone)
  SELECT '基准律师事务所' || g, '', (SELECT id FROM cases_region WHERE code = '990101'), '', '' FROM generate_series(1, 500) g;
-- Lawyers: 50,000 over 170 counties, but the first prefecture holds a fifth of them (a big pool).
INSERT INTO assignments_lawyer (name, name_key, licence_number, id_number, gender, firm_id, region_id, phone, email,
                                criminal_defence_since, specialities, languages, status, created_at)
  SELECT '律师' || g, 'lvshi' || g, '199' || lpad(g::text, 14, '0'), '', 'male',
         (SELECT min(id) FROM assignments_lawfirm) + (g %% 500),
         (SELECT id FROM cases_region WHERE code = '99' ||
             CASE WHEN g %% 5 = 0 THEN '01' ELSE lpad((1 + g %% 17)::text, 2, '0') END || lpad((1 + (g / 17) %% 10)::text, 2, '0')),
         '1390000' || lpad((g %% 10000)::text, 4, '0'), '',
         date '2000-01-01' + (g %% 8000),
         CASE g %% 4 WHEN 0 THEN '["minors"]'::jsonb WHEN 1 THEN '["drugs", "death_penalty"]'::jsonb
                      WHEN 2 THEN '["economic_crime"]'::jsonb ELSE '[]'::jsonb END,
         CASE WHEN g %% 50 = 0 THEN '["csl"]'::jsonb ELSE '[]'::jsonb END,
         CASE WHEN g %% 40 = 0 THEN 'inactive' ELSE 'active' END, now()
  FROM generate_series(1, %(lawyers)s) g;
INSERT INTO assignments_leaveperiod (lawyer_id, starts_on, ends_on, note)
  SELECT id, current_date - 2, current_date + 10, '' FROM assignments_lawyer WHERE id %% 30 = 0;
INSERT INTO assignments_suspension (lawyer_id, starts_on, ends_on, reason, lifted_at)
  SELECT id, current_date - 30, NULL, 'bench', NULL FROM assignments_lawyer WHERE id %% 45 = 0;
"""

# One past case per designation: a case, a defendant and a notice each (the designation needs them).
HISTORY_SQL = """
INSERT INTO cases_courtcase (court_id, case_number, procedure, stage, accepted_on, judge_name, judge_phone, hearing_place,
                             created_at)
  SELECT (SELECT min(id) FROM cases_court WHERE code LIKE 'B99%%') + (g %% 170), '（2020）基准刑初' || g || '号',
         'ordinary', 'first_instance', date '2020-01-01' + (g %% 2000), '法官', '0396-1', '', now()
  FROM generate_series(1, %(n)s) g;
INSERT INTO cases_defendant (case_id, name, id_number, gender, birth_date, ethnicity, custody_status, custody_place,
                             residence, conditions, may_face_life_or_death, charges, identity_key)
  SELECT c.id, '被告' || c.id, '', 'male', date '1980-01-01', '', '', '', '', '[]'::jsonb, false, '["盗窃罪"]'::jsonb,
         'nb:' || c.id
  FROM cases_courtcase c WHERE c.case_number LIKE '（2020）基准%%';
INSERT INTO cases_notice (id, court_id, agency_id, case_id, defendant_id, status, source, received_at, court_reason,
                          category, grounds, category_differs, documents_promised, missing_materials, updated_at)
  SELECT md5(d.id::text)::uuid, c.court_id, ct.agency_id, c.id, d.id,
         CASE WHEN d.id %% 33 = 0 THEN 'assigned' ELSE 'closed' END, 'api', now() - ((d.id %% 2000) || ' days')::interval,
         '', 'full_coverage', '["ordinary_first_instance"]'::jsonb, false, '[]'::jsonb, '[]'::jsonb, now()
  FROM cases_defendant d JOIN cases_courtcase c ON c.id = d.case_id JOIN cases_court ct ON ct.id = c.court_id
  WHERE d.identity_key LIKE 'nb:%%' AND c.case_number LIKE '（2020）基准%%';
INSERT INTO assignments_designation (notice_id, lawyer_id, kind, status, designated_at, rank, ranking, reason,
                                     overridden_filters, override_reason, letter_number, letter, decline_reason,
                                     end_reason, end_ground, end_note)
  SELECT n.id, (SELECT min(id) FROM assignments_lawyer) + (abs(hashtext(n.id::text)) %% %(lawyers)s),
         'defence', CASE WHEN n.status = 'assigned' THEN 'accepted' ELSE 'ended' END,
         n.received_at + interval '1 day', 1, '{}'::jsonb, '', '[]'::jsonb, '', '', '{}'::jsonb, '', '', '', ''
  FROM cases_notice n JOIN cases_court ct ON ct.id = n.court_id WHERE ct.code LIKE 'B99%%';
ANALYZE;
"""


def fill(lawyers, designations):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assignments_lawyer WHERE licence_number LIKE '199%%'")
        if cursor.fetchone()[0]:
            print("data already present (use --refill to rebuild)")
            return
        started = time.perf_counter()
        cursor.execute(FILL_SQL % {"lawyers": lawyers})
        print(f"roster filled in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        cursor.execute(HISTORY_SQL % {"n": designations, "lawyers": lawyers})
        print(f"{designations} past designations filled in {time.perf_counter() - started:.1f}s")
    # What autovacuum does to a table of this age in production: statistics for the planner and a
    # visibility map, so that the per-lawyer index-only scans need no heap fetches.
    for table in ("assignments_designation", "assignments_lawyer", "assignments_leaveperiod", "assignments_suspension"):
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")


def wipe():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            DELETE FROM assignments_designation WHERE lawyer_id IN (SELECT id FROM assignments_lawyer WHERE licence_number LIKE '199%%');
            DELETE FROM cases_notice WHERE court_id IN (SELECT id FROM cases_court WHERE code LIKE 'B99%%');
            DELETE FROM cases_defendant WHERE identity_key LIKE 'nb:%%' AND case_id IN (SELECT id FROM cases_courtcase WHERE case_number LIKE '（2020）基准%%');
            DELETE FROM cases_courtcase WHERE case_number LIKE '（%%）基准%%';
            DELETE FROM assignments_leaveperiod WHERE lawyer_id IN (SELECT id FROM assignments_lawyer WHERE licence_number LIKE '199%%');
            DELETE FROM assignments_suspension WHERE lawyer_id IN (SELECT id FROM assignments_lawyer WHERE licence_number LIKE '199%%');
            DELETE FROM assignments_lawyer WHERE licence_number LIKE '199%%';
            DELETE FROM assignments_lawfirm WHERE name LIKE '基准律师事务所%%';
            DELETE FROM cases_court WHERE code LIKE 'B99%%';
            DELETE FROM cases_agency WHERE name LIKE '基准法律援助中心%%';
            DELETE FROM cases_region WHERE code LIKE '99%%' AND level = 'county';
            DELETE FROM cases_region WHERE code LIKE '99%%' AND level = 'prefecture';
            DELETE FROM cases_region WHERE code = '990000';
        """)


def loads_build() -> dict:
    """The lawyers' loads, built by the check from the designations the fill wrote directly (every
    lawyer with designations shows as repaired), then the check again over unchanged loads: what the
    hourly task costs at this size."""
    from django.db import connection

    from assignments.load import load_check

    started = time.perf_counter()
    built = load_check()
    build_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE assignments_lawyerload")
    started = time.perf_counter()
    again = load_check()
    check_s = time.perf_counter() - started
    print(f"lawyer loads built by the check in {build_s:.1f}s ({built.drifted:,} of {built.lawyers:,} repaired); "
          f"the check over unchanged loads {check_s:.1f}s ({again.drifted} repaired)")
    return {"build_s": build_s, "built": built.drifted, "check_s": check_s, "lawyers": again.lawyers,
            "drifted": again.drifted}


def page_timer(notice, runs: int) -> dict:
    """The designation page of the notice (recommendation, history, forms, template) as a whole
    request through the middleware, for a member of the notice's agency: p50/p95 and queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from legalaid.models import Role, User

    user, _ = User.objects.get_or_create(username=f"bench-staff-{notice.agency_id}", defaults={
        "role": Role.AGENCY_STAFF, "agency": notice.agency, "full_name": "基准工作人员"})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    path = f"/notices/{notice.pk}/designation/"
    assert client.get(path).status_code == 200  # warm-up
    timings, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(ctx))
    return summary(timings) | {"queries": sorted(queries)}


def summary(timings: list) -> dict:
    timings = sorted(timings)
    return {"runs": len(timings), "p50_ms": statistics.median(timings),
            "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)], "max_ms": timings[-1]}


def bench_notices():
    """A fresh notice in each of a few counties (one in the big pool), received through the service."""
    from cases.api.serializers import NoticeCreateSerializer
    from cases.models import Court, Notice
    from cases.services import notice_receive
    from cases.tests.factories import notice_payload

    notices = []
    for code in ["B990101", "B990305", "B990910", "B991702"]:
        court = Court.objects.get(code=code)
        existing = Notice.objects.filter(court=court, status="received", case__case_number__startswith="（2026）基准")
        notice = existing.first()
        if notice is None:
            body = notice_payload(case_number=f"（2026）基准刑初{code}号", charges=["贩卖毒品罪"])
            serializer = NoticeCreateSerializer(data=body)
            serializer.is_valid(raise_exception=True)
            notice = notice_receive(court=court, data=serializer.validated_data, actor=None)
        notices.append(Notice.objects.select_related("case", "defendant", "court__region", "agency").get(pk=notice.pk))
    return notices


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lawyers", type=int, default=50_000)
    parser.add_argument("--designations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--json", help="write the results to this file (make bench reads it)")
    args = parser.parse_args()
    setup_django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from assignments.models import Designation, Lawyer
    from assignments.recommendation import recommend

    if args.refill:
        wipe()
    fill(args.lawyers, args.designations)
    print(f"lawyers: {Lawyer.objects.count()}, designations: {Designation.objects.count()}")
    loads = loads_build()
    notices = bench_notices()
    pools = {n.court.code: Lawyer.objects.filter(region__code__startswith=n.court.region.code[:4]).count()
             for n in notices}
    print(f"pool sizes by court: {pools}")
    for notice in notices:  # warm up
        recommend(notice=notice)
    by_pool = []
    for notice in notices:
        timings, queries, ranking = [], set(), []
        for _ in range(args.runs):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                rec = recommend(notice=notice)
                [c.as_dict() for c in rec.candidates + rec.excluded]
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(ctx))
            ranking.append(max(float(q["time"]) for q in ctx.captured_queries) * 1000)
        row = {"court": notice.court.code, "pool": pools[notice.court.code], **summary(timings),
               "queries": sorted(queries), "slowest_query_p50_ms": statistics.median(ranking)}
        by_pool.append(row)
        print(f"recommendation, pool of {row['pool']:,} lawyers ({row['court']}): runs={row['runs']} "
              f"p50={row['p50_ms']:.1f} ms p95={row['p95_ms']:.1f} ms max={row['max_ms']:.1f} ms "
              f"queries={row['queries']} (the ranking query alone: p50 {row['slowest_query_p50_ms']:.1f} ms)")
    largest = max(by_pool, key=lambda r: r["pool"])
    page = page_timer(next(n for n in notices if n.court.code == largest["court"]), max(20, args.runs // 4))
    print(f"designation page, pool of {largest['pool']:,}: p50={page['p50_ms']:.1f} ms p95={page['p95_ms']:.1f} ms "
          f"queries={page['queries']}")
    if args.json:
        from results import write_json

        write_json(args.json, {
            "lawyers": Lawyer.objects.count(), "designations": Designation.objects.count(), "runs": args.runs,
            "by_pool": by_pool, "largest": largest, "page": page, "loads": loads,
            # The figures of the largest pool, under the names earlier pages used.
            "p50_ms": largest["p50_ms"], "p95_ms": largest["p95_ms"], "max_ms": largest["max_ms"],
            "queries": largest["queries"], "pools": pools})


if __name__ == "__main__":
    main()
