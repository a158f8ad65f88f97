"""Benchmark of the statistics page (issue 7, "Performance"): on PostgreSQL, seed 1,000,000 notices
(one province: 17 prefectures, 136 counties, 153 courts, 50,000 lawyers; five years of notices with
their designations, deadlines and event history), bring the summary tables up to date, then render the statistics
page and print the time and the number of queries of each render.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalaid make bench-statistics
    .venv/bin/python bench/statistics_page.py --notices 1000000 --repeat 3 [--keep] [--reuse]

It works in a database of its own, `<name of DATABASE_URL's database>_bench_statistics`, created
afresh (and dropped again unless --keep; --reuse renders again over a database kept before), so the
development data is never touched. Rows are generated inside PostgreSQL (INSERT … SELECT
generate_series: bulk inserts, a few minutes for 1M notices)."""
import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BEIJING = dt.timezone(dt.timedelta(hours=8))
FIRST = dt.datetime(2021, 11, 1, 8, 0, tzinfo=BEIJING)  # five years of notices, to the end of October 2026
LAST = dt.datetime(2026, 10, 31, 18, 0, tzinfo=BEIJING)
PREFECTURES, COUNTIES, LAWYERS = 17, 8, 50_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="renders of each page (the first is cold)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", action="store_true", help="render over a bench database kept before")
    parser.add_argument("--refresh", action="store_true", help="with --reuse: rebuild the summary tables first")
    parser.add_argument("--json", help="write the results to this file (make bench reads it)")
    parser.add_argument("--database-suffix", default="bench_statistics",
                        help="the bench database is <DATABASE_URL's name>_<this>")
    return parser.parse_args()


def bench_database(reuse: bool, suffix: str = "bench_statistics"):
    import environ
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/statistics_page.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name")
    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_{suffix}"
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                             host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432)
    admin.autocommit = True
    if not reuse:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return admin, name


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ["CONN_MAX_AGE"] = "0"
    os.environ.pop("REDIS_URL", None)  # the page does not use the cache; keep Redis out of the figures
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def geography():
    """The province, its prefectures and counties, an agency for each and a court for each (an
    intermediate court per prefecture, a basic court per county); users in three roles."""
    from cases.models import Agency, Court, Region
    from cases.tests.factories import UserFactory
    from legalaid.models import Role

    province = Region.objects.create(code="410000", name="河南省", level=Region.Level.PROVINCE)
    province_agency = Agency.objects.create(name="河南省法律援助中心", region=province)
    first_county = city_agency = None
    for p in range(1, PREFECTURES + 1):
        city = Region.objects.create(code=f"41{p:02d}00", name=f"第{p}市", level=Region.Level.PREFECTURE,
                                     parent=province)
        agency = Agency.objects.create(name=f"第{p}市法律援助中心", region=city, parent=province_agency)
        city_agency = city_agency or agency
        Court.objects.create(code=f"豫{p:02d}", name=f"第{p}市中级人民法院", level=Court.Level.INTERMEDIATE,
                             region=city, agency=agency)
        for c in range(1, COUNTIES + 1):
            county = Region.objects.create(code=f"41{p:02d}{c:02d}", name=f"第{p}市第{c}县",
                                           level=Region.Level.COUNTY, parent=city)
            county_agency = Agency.objects.create(name=f"第{p}市第{c}县法律援助中心", region=county, parent=agency)
            first_county = first_county or county_agency
            Court.objects.create(code=f"豫{p:02d}{c:02d}", name=f"第{p}市第{c}县人民法院", level=Court.Level.BASIC,
                                 region=county, agency=county_agency)
    UserFactory(username="bench-admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    UserFactory(username="bench-city", role=Role.SUPERVISOR, agency=city_agency)
    UserFactory(username="bench-county", role=Role.AGENCY_STAFF, agency=first_county)


def seed(notices: int) -> float:
    """Cases, defendants and notices spread evenly over five years and the 153 courts; 8% withdrawn
    (counsel retained), 62% designated (2% after a declined designation), 30% not (yet) designated;
    every notice with its agency_assign_lawyer and court_inform_rights clocks."""
    from django.db import connection

    started = time.perf_counter()
    span = (LAST - FIRST).total_seconds()
    with connection.cursor() as c:
        c.execute("CREATE TEMP TABLE bench_court AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, agency_id "
                  "FROM cases_court")
        c.execute("SELECT count(*) FROM bench_court")
        courts = c.fetchone()[0]
        c.execute("""
            INSERT INTO assignments_lawfirm (name, licence_number, address, phone, region_id)
            SELECT '律师事务所' || r.code, '', '', '', r.id FROM cases_region r WHERE r.level = 'prefecture'""")
        c.execute("""
            INSERT INTO assignments_lawyer (name, name_key, licence_number, id_number, phone, email, specialities,
                                            languages, status, firm_id, region_id, created_at,
                                            criminal_defence_since, gender)
            SELECT '律师' || g, 'lvshi' || g, lpad(g::text, 17, '0'), '', '13800000000', '', '[]', '[]', 'active',
                   f.id, f.region_id, now(), DATE '2010-01-01', 'male'
            FROM generate_series(1, %s) g
            JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, region_id FROM assignments_lawfirm) f
              ON f.i = g %% (SELECT count(*) FROM assignments_lawfirm)""", [LAWYERS])
        c.execute("""
            INSERT INTO cases_courtcase (court_id, case_number, procedure, stage, accepted_on, hearing_place,
                                         judge_name, judge_phone, created_at)
            SELECT b.id, '（2026）豫刑初' || g || '号',
                   CASE WHEN g %% 10 >= 8 THEN 'summary' WHEN g %% 10 = 7 THEN 'second_instance' ELSE 'ordinary' END,
                   CASE WHEN g %% 10 = 7 THEN 'second_instance' ELSE 'first_instance' END,
                   (%(first)s + (g * %(step)s) * interval '1 second')::date - 2, '', '张某某', '0396-1234567', now()
            FROM generate_series(1, %(n)s) g JOIN bench_court b ON b.i = g %% %(courts)s""",
                  {"first": FIRST, "step": span / notices, "n": notices, "courts": courts})
        c.execute("""
            INSERT INTO cases_defendant (case_id, name, id_number, gender, birth_date, ethnicity, custody_status,
                                         custody_place, residence, conditions, may_face_life_or_death, charges,
                                         identity_key)
            SELECT c.id, '被告人' || c.id, '', 'male', DATE '1990-03-07', '汉族', 'detained', '', '', '[]', false,
                   '["盗窃罪"]', 'nb:' || c.id
            FROM cases_courtcase c""")
        # g: the notice's number; o = (g * 7) % 100 decides its outcome.
        c.execute("""
            CREATE TEMP TABLE bench_notice AS
            SELECT d.id AS defendant_id, d.case_id, cc.court_id, b.agency_id, g, (g * 7) %% 100 AS o,
                   %(first)s + (g * %(step)s) * interval '1 second' AS received_at
            FROM (SELECT row_number() OVER (ORDER BY id) AS g, id, case_id FROM cases_defendant) d
            JOIN cases_courtcase cc ON cc.id = d.case_id
            JOIN bench_court b ON b.id = cc.court_id""", {"first": FIRST, "step": span / notices})
        c.execute("""
            INSERT INTO cases_notice (id, court_id, agency_id, case_id, defendant_id, status, source, received_at,
                                      court_reason, category, grounds, category_differs, documents_promised,
                                      missing_materials, updated_at, closed_at)
            SELECT gen_random_uuid(), court_id, agency_id, case_id, defendant_id,
                   CASE WHEN o < 8 THEN 'withdrawn' WHEN o < 70 THEN 'assigned' ELSE 'received' END, 'api',
                   received_at, '',
                   CASE WHEN g % 10 < 2 THEN 'mandatory' WHEN g % 10 >= 8 THEN 'duty_lawyer'
                        ELSE 'full_coverage' END,
                   (CASE WHEN g % 10 = 0 THEN '["minor", "ordinary_first_instance"]'
                         WHEN g % 10 = 1 THEN '["life_or_death", "ordinary_first_instance"]'
                         WHEN g % 10 >= 8 THEN '["summary_or_fast_track"]'
                         WHEN g % 10 = 7 THEN '["second_instance"]'
                         ELSE '["ordinary_first_instance"]' END)::jsonb,
                   false, '["indictment"]', '[]', received_at,
                   CASE WHEN o < 8 THEN received_at + interval '1 day' END
            FROM bench_notice""")
        c.execute("CREATE TEMP TABLE bench_n AS SELECT n.id, n.received_at, b.g, b.o FROM cases_notice n "
                  "JOIN bench_notice b ON b.defendant_id = n.defendant_id")
        c.execute("CREATE INDEX ON bench_n (g)")
        # Designated after (g * 37) % 130 hours: some beyond the 3 working days (about 96 hours here).
        designation = """
            INSERT INTO assignments_designation (notice_id, lawyer_id, kind, status, designated_at, ranking, reason,
                overridden_filters, override_reason, letter_number, letter, decline_reason, end_reason, end_ground,
                end_note, rank)
            SELECT n.id, l.id, 'defence', %(status)s, n.received_at + %(offset)s * interval '1 hour', '{}', '', '[]',
                   '', '', '{}', '', '', '', '', 1
            FROM bench_n n JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM assignments_lawyer) l
              ON l.i = n.g %% %(lawyers)s
            WHERE n.o >= 8 AND n.o < 70 AND %(where)s"""
        c.execute(designation % {"status": "'declined'", "offset": "1", "lawyers": LAWYERS, "where": "n.g % 50 = 0"})
        c.execute(designation % {"status": "CASE WHEN n.g % 5 = 0 THEN 'pending' ELSE 'accepted' END",
                                 "offset": "(2 + (n.g * 37) % 130)", "lawyers": LAWYERS, "where": "true"})
        c.execute("""
            INSERT INTO cases_deadline (notice_id, rule_code, party, basis, period, unit, trigger_at, due_at,
                                        provisional, status, closed_at, breached_at, waive_reason, created_at)
            SELECT n.id, 'agency_assign_lawyer', 'agency', 'M 5; N2018; LAL 36', 3, 'working_days', n.received_at,
                   n.received_at + interval '96 hours', false,
                   CASE WHEN n.o < 8 THEN 'waived'
                        WHEN n.o < 70 AND 2 + (n.g * 37) %% 130 <= 96 THEN 'met'
                        WHEN n.o < 70 THEN 'met_late'
                        WHEN n.received_at + interval '96 hours' < %(now)s THEN 'breached' ELSE 'open' END,
                   CASE WHEN n.o < 70 THEN n.received_at + (2 + (n.g * 37) %% 130) * interval '1 hour' END,
                   CASE WHEN n.o >= 70 AND n.received_at + interval '96 hours' < %(now)s
                        THEN n.received_at + interval '97 hours' END, '', now()
            FROM bench_n n""", {"now": LAST})
        c.execute("""
            INSERT INTO cases_deadline (notice_id, rule_code, party, basis, period, unit, trigger_at, due_at,
                                        provisional, status, closed_at, waive_reason, created_at)
            SELECT n.id, 'court_inform_rights', 'court', 'M 3; N2018; CPL 34; SPCI 44', 3, 'calendar_days',
                   n.received_at - interval '2 days', n.received_at + interval '1 day', false,
                   CASE WHEN n.g % 20 = 0 THEN 'met_late' ELSE 'met' END, n.received_at, '', now()
            FROM bench_n n""")
        # The history each notice carries: its receipt and, when designated, the designation.
        c.execute("""
            INSERT INTO cases_noticeevent (notice_id, code, from_status, to_status, data, created_at)
            SELECT n.id, 'received', '', 'received', '{}', n.received_at FROM bench_n n""")
        c.execute("""
            INSERT INTO cases_noticeevent (notice_id, code, from_status, to_status, data, created_at)
            SELECT n.id, 'designated', 'received', 'assigned', '{}',
                   n.received_at + (2 + (n.g * 37) % 130) * interval '1 hour'
            FROM bench_n n WHERE n.o >= 8 AND n.o < 70""")
        c.execute("DROP TABLE bench_n, bench_notice, bench_court")
    for table in ("cases_notice", "cases_deadline", "assignments_designation", "cases_defendant", "cases_courtcase",
                  "assignments_lawyer", "cases_noticeevent"):
        with connection.cursor() as c:
            c.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def refresh() -> tuple[float, dict]:
    from django.db import connection

    from cases.statistics.services import figures_refresh

    started = time.perf_counter()
    result = figures_refresh(full=True)
    elapsed = time.perf_counter() - started
    for table in ("statistics_noticefigure", "statistics_breachfigure", "statistics_monthfigure",
                  "statistics_delayfigure", "statistics_breachmonthfigure"):
        with connection.cursor() as c:
            c.execute(f"VACUUM ANALYZE {table}")
    return elapsed, result


def loads() -> float:
    """The lawyers' loads (what the caseload and the designation page read), built by the load
    check from the designations the seed wrote directly."""
    from django.db import connection

    from assignments.load import load_check

    started = time.perf_counter()
    load_check()
    elapsed = time.perf_counter() - started
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE assignments_lawyerload")
    return elapsed


def incremental(changes: int = 1000) -> float:
    """A refresh after `changes` notices got an event (as designations or breaches write)."""
    from django.db import connection

    from cases.statistics.services import figures_refresh

    with connection.cursor() as c:
        c.execute("INSERT INTO cases_noticeevent (notice_id, code, from_status, to_status, data, created_at) "
                  "SELECT id, 'bench_touch', '', '', '{}', now() FROM cases_notice ORDER BY received_at DESC "
                  "LIMIT %s", [changes])
    started = time.perf_counter()
    figures_refresh()
    return time.perf_counter() - started


def render(username: str, query: str, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from legalaid.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    times, counts, slowest = [], [], []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(f"/statistics/?{query}")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        counts.append(len(queries))
        slowest = sorted(((float(q["time"]), q["sql"][:90]) for q in queries.captured_queries), reverse=True)[:4]
    return {"times": times, "queries": counts, "slowest": slowest, "bytes": len(response.content)}


def main():
    args = parse_args()
    admin, name = bench_database(args.reuse, args.database_suffix)
    out = {"database": name, "notices": args.notices, "lawyers": LAWYERS, "pages": []}
    try:
        setup_django()
        if not args.reuse:
            geography()
            seeded = seed(args.notices)
            print(f"  seeded {args.notices:,} notices (with designations and deadlines) in {seeded:.0f}s", flush=True)
            out["loads_s"] = loads()
            print(f"  lawyers' loads built from the designations in {out['loads_s']:.1f}s", flush=True)
            rebuilt, result = refresh()
            print(f"  summary tables rebuilt ({result['notices']:,} notices) in {rebuilt:.1f}s", flush=True)
            out.update(seed_s=seeded, rebuild_s=rebuilt, incremental_s=incremental())
            print(f"  incremental refresh after 1,000 changed notices: {out['incremental_s']:.2f}s", flush=True)
        elif args.refresh:
            rebuilt, result = refresh()
            print(f"  summary tables rebuilt ({result['notices']:,} notices) in {rebuilt:.1f}s", flush=True)
            print(f"  incremental refresh after 1,000 changed notices: {incremental():.2f}s", flush=True)
        from django.db import connection

        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM statistics_noticefigure")
            figures = c.fetchone()[0]
        pages = [
            ("bench-admin", "", "national, last 12 months"),
            ("bench-admin", "start=2021-11-01&end=2026-10-31", "national, 5 years"),
            ("bench-city", "start=2021-11-01&end=2026-10-31", "a prefecture, 5 years"),
            ("bench-county", "start=2021-11-01&end=2026-10-31", "a county, 5 years"),
        ]
        print(f"\nStatistics page over {figures:,} notices ({args.repeat} renders each; first cold):")
        print(f"{'page':<28} {'first s':>8} {'median s':>9} {'queries':>8}")
        for username, query, label in pages:
            result = render(username, query, args.repeat)
            print(f"{label:<28} {result['times'][0]:>8.3f} {sorted(result['times'])[len(result['times']) // 2]:>9.3f} "
                  f"{'/'.join(map(str, sorted(set(result['queries'])))):>8}", flush=True)
            for seconds, sql in result["slowest"]:
                print(f"      {1000 * seconds:7.1f} ms  {sql}")
            out["pages"].append({"label": label, "first_s": result["times"][0],
                                 "median_s": sorted(result["times"])[len(result["times"]) // 2],
                                 "queries": sorted(set(result["queries"])),
                                 "slowest": [[1000 * seconds, sql] for seconds, sql in result["slowest"]]})
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
