"""`make bench`: every benchmark of the system on PostgreSQL and Redis, one after the other, and the
table of results written to docs/benchmarks.md with the date, the machine and the command.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalaid REDIS_URL=redis://127.0.0.1:6379/14 make bench

1. bench/statistics_page.py: seeds 1,000,000 notices (50,000 lawyers, designations, deadlines, event
   history) in `<db>_bench_statistics` by bulk inserts, rebuilds the summary tables, times the
   statistics page;
2. bench/served.py: over that database, the application served the production way (gunicorn and a
   Celery worker): notice POST against a minimal endpoint at 1, 8 and 32 clients; inbox and notice
   list p95 and queries;
3. bench/sweep.py: the deadline sweep over 100,000 and 1,000,000 deadlines (`<db>_bench_sweep`);
4. bench/recommend.py: the recommendation among 50,000 lawyers and 1,000,000 past designations
   (`<db>_bench_recommend`).
The bench databases are dropped at the end; the development database is never touched. Options:
--seconds (per load level), --notices, --skip (any of statistics served sweep recommend: the page then
keeps that step's figures from the last run), --no-write."""
import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "benchmarks.md"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["statistics", "served", "sweep", "recommend"])
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    return parser.parse_args()


def database_url(suffix: str) -> str:
    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    return f"{base}/{name}_{suffix}"


def admin_run(sql: str):
    import environ
    import psycopg2

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                            host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall() if cursor.description else None
    conn.close()
    return rows


def step(title: str, argv: list, env: dict | None = None) -> float:
    print(f"\n== {title}\n   {' '.join(argv)}", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, *argv], cwd=ROOT, env={**os.environ, **(env or {})}, check=True)
    return time.perf_counter() - started


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    postgres = admin_run("SHOW server_version")[0][0]
    try:
        redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2]
    except (OSError, IndexError):
        redis = "?"
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        load = ["?"]
    return {"load": " ".join(load), "cpu": cpu, "cpus": os.cpu_count(), "memory": memory, "postgres": postgres,
            "redis": redis.removeprefix("v="), "python": platform.python_version(), "os": platform.platform()}


def load(name):
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def targets(stats, served, sweep, rec) -> list:
    """The aims the issues set, each beside the figure measured and whether it is met."""
    rows = []
    if served:
        eight = next((p for p in served["post"] if p["clients"] == 8), None)
        if eight:
            rows.append(("Notice POST throughput ÷ minimal endpoint, 8 clients (issue 8)", "≥ 0.50",
                         f"{eight['ratio']:.2f}", eight["ratio"] >= 0.5))
        worst = max(served["reads"].values(), key=lambda t: t["p95_ms"])
        rows.append(("Inbox page and notice list: queries per request (issue 2; the tests assert the same "
                     "count for 5 and 50 rows)", "fixed",
                     f"{min(t['queries'] for t in served['reads'].values())}–"
                     f"{max(t['queries'] for t in served['reads'].values())} over {served['notices_before']:,} notices",
                     None))
        rows.append(("Inbox page and notice list p95", "—", f"{worst['p95_ms']:.0f} ms (slowest)", None))
    if sweep and "ratio" in sweep:
        rows.append(("Sweep: time per due deadline, 1M ÷ 100k rows (issue 3)", "near 1", f"{sweep['ratio']:.2f}",
                     0.8 <= sweep["ratio"] <= 1.25))
    if rec:
        rows.append(("Recommendation p95, 50,000 lawyers (issue 4)", "< 50 ms", f"{rec['p95_ms']:.0f} ms",
                     rec["p95_ms"] < 50))
    if stats and stats["pages"]:
        slowest = max(stats["pages"], key=lambda p: p["median_s"])
        rows.append(("Statistics page over 1,000,000 notices (issue 7)", "< 1 s",
                     f"{slowest['median_s']:.2f} s ({slowest['label']})", slowest["median_s"] < 1))
    if not rows:
        return []
    out = ["## Against the aims", "", "| measure | aim | measured | met |", "|---|---|---|---|"]
    for label, aim, value, met in rows:
        out.append(f"| {label} | {aim} | {value} | {'—' if met is None else ('yes' if met else '**no**')} |")
    out += ["", "Why the aims not met are not met, and what would meet them, is in *Analysis* at the end.", ""]
    return out


ANALYSIS = """## Analysis

**Notice POST against the ceiling.** The minimal endpoint costs a few milliseconds of CPU: token
authentication (one indexed query), throttling, JSON parsing. A notice POST does what the contract
requires before it answers 201: it validates the body, checks the Idempotency-Key and the duplicate
rule, classifies the notice, writes the case, the defendant and the notice with a history row each
(the audit trail), the `received` event, its statutory clocks on the working-day calendar, the inbox
messages of the agency's staff, and the response kept for replay. Since the first run of this page
that costs 23 queries instead of 49: the clocks are computed against one read of the calendar and
the region's rules and stored in one insert, the 201 body is built from the objects just saved
instead of being read back, the Idempotency-Key is inserted without a savepoint, and the staff's
messages are stored without looking for earlier copies (a new notice has none). The POST went from
about 0.11 to about 0.25 of the ceiling (the test `test_receiving_a_notice_does_a_fixed_number_of_queries`
keeps the count). What is left is CPU in Django's ORM, simple-history, DRF's serializers and
psycopg2, spread over many small steps (measured with cProfile and per-phase timers: the clocks,
the staff's messages and the three history rows are each about a sixth of the work; no query plan
is at fault, every query is an index lookup or an insert). On this 2-CPU machine the web workers,
PostgreSQL, the Celery worker and the load generator share the same two cores, so at 8 clients both
endpoints are CPU-bound and the ratio is the ratio of their CPU costs. Half the ceiling would mean a
notice POST costing twice the minimal endpoint, ~3 ms of work beyond authentication — less than
validating the body and writing the three history rows take. That needs a different design
(accepting the notice with one insert, answering 202 and doing the rest in a worker), and the
contract fixes a synchronous 201 with the classification and the clocks; deferring the work to the
Celery worker on the same two cores would only move the CPU, not save it. What the figures do show:
throughput holds flat from 8 to 32 clients, no request fails, and every accepted POST is exactly one
notice.

**This machine's speed varies between runs.** The same code measured on 2026-12-05 at 07:00–07:20
UTC (the previous version of this page, in the repository's history) gave the minimal endpoint 575
requests/s at 8 clients, the national 5-year statistics page 0.74 s and the 1M sweep 4.2 s; this run
gives 266 requests/s, 1.67 s and 6.6–8.6 s: the virtual machine does about half the work per second it
did then, with nothing else running. Ratios (POST ÷ ceiling, sweep 1M ÷ 100k) compare like with like
within one run; absolute times do not carry from one run to the next.

**Statistics page.** Its time is three statements over the summary tables: the delay percentiles
(percentile_cont needs a sort of every delay in the range — about a million values for the country
over five years), the caseload histogram and the overall percentiles; every other figure is an
aggregate over the summary rows in a few milliseconds. A prefecture's page takes 0.2 s and a
county's 0.08 s. Under 1 s for the national five-year page on this slower host would need the
percentiles read from per-day delay counts kept in the summary tables (exact to the day, which is the
unit the page shows) instead of from the rows.

**Recommendation.** The ranking is one query over the lawyers of the prefecture pool, each lawyer's
open caseload, recent designations and last designation read by index-only probes (about 6 µs a
lawyer), plus one query for the best-scored excluded lawyers. In the seeded province one prefecture
pools 12,353 lawyers (a fifth of all) and its notices take about 130 ms; the other pools (~2,350
lawyers) take about 50 ms. Below 50 ms for a pool of 12,000 would need a maintained per-lawyer load
summary (open and recent counts, last designation) updated in the designation's transaction, so that
the ranking reads one row a lawyer instead of probing the designations.
"""


def report(results: dict, info: dict, command: str, elapsed: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); run it again to refresh this page. Every figure comes from one",
        "run on the machine below: PostgreSQL and Redis on the same host as the application and the load",
        "generator, so the client's own CPU use is inside the figures.",
        "",
        f"- **Date**: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- **Machine**: {info['cpu']}, {info['cpus']} CPUs, {info['memory']} RAM; {info['os']}",
        f"- **Software**: Python {info['python']}, PostgreSQL {info['postgres']}, Redis {info['redis']}",
        f"- **Command**: `{command}` ({elapsed / 60:.0f} minutes in all)",
        f"- **Load average** at the end of the run (other work on the machine shows here): {info['load']}",
        "",
    ]
    stats, served, sweep, rec = (results.get(k) for k in ("statistics", "served", "sweep", "recommend"))
    lines += targets(stats, served, sweep, rec)
    if served:
        lines += [
            "## Notice POST against the ceiling",
            "",
            f"The application served the production way: gunicorn ({served['workers']} gthread workers × 2 threads, "
            "production settings) and a Celery worker on Redis, over the seeded database "
            f"({served['notices_before']:,} notices). Each notice POST is a new notice from a court's token with its",
            "own Idempotency-Key (docs/court-api.md): validation, classification, case, defendant, notice, documents,",
            "deadlines, events and history rows, and the follow-up tasks queued after commit. The minimal endpoint",
            "(legalaid/api/bench.py, mounted only with BENCH_ENDPOINTS) has the same authentication, throttling and",
            "JSON parsing, and does no work: the ceiling of this stack on this machine.",
            "",
            "| clients | notice POST /s | p50 ms | p99 ms | errors | minimal /s | p50 ms | p99 ms | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for post, echo in zip(served["post"], served["echo"]):
            lines.append(f"| {post['clients']} | {post['rps']:.1f} | {post['p50_ms']:.1f} | {post['p99_ms']:.1f} | "
                         f"{post['errors']} | {echo['rps']:.1f} | {echo['p50_ms']:.1f} | {echo['p99_ms']:.1f} | "
                         f"{post['ratio']:.2f} |")
        lines += ["", f"Notices created during the run: {served['notices_created']:,} (warm-up included).", "",
                  "## Inbox and notice list", "",
                  "Repeated GETs of the first page over the seeded database; queries counted in-process for the "
                  "same request.", "",
                  "| request | p50 ms | p95 ms | queries |", "|---|---:|---:|---:|"]
        for label, timing in served["reads"].items():
            lines.append(f"| {label} | {timing['p50_ms']:.1f} | {timing['p95_ms']:.1f} | {timing['queries']} |")
        lines.append("")
    if sweep:
        lines += ["## Deadline sweep", "",
                  f"One sweep (batches of {sweep['batch_size']}) over a table of deadlines of which 1% are due: the "
                  "time should follow the number due, not the table.", "",
                  "| deadlines | due | batches | queries/batch | sweep s | ms per due | reminders |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for row in sweep["rows"]:
            q = row["queries_per_batch"]
            lines.append(f"| {row['deadlines']:,} | {row['due']:,} | {row['batches']} | "
                         f"{q[0] if len(q) == 1 else f'{q[0]}–{q[-1]}'} | {row['sweep_s']:.2f} | "
                         f"{row['ms_per_due']:.3f} | {row['reminders']:,} |")
        if "ratio" in sweep:
            lines += ["", f"Time per due deadline, largest vs smallest table: **{sweep['ratio']:.2f}**."]
        lines.append("")
    if rec:
        lines += ["## Recommendation", "",
                  f"`recommend()` for notices in four counties among {rec['lawyers']:,} lawyers and "
                  f"{rec['designations']:,} past designations ({rec['runs']} runs).", "",
                  "| p50 ms | p95 ms | max ms | queries |", "|---:|---:|---:|---:|",
                  f"| {rec['p50_ms']:.1f} | {rec['p95_ms']:.1f} | {rec['max_ms']:.1f} | "
                  f"{', '.join(map(str, rec['queries']))} |", ""]
    if stats:
        lines += ["## Statistics page", "",
                  f"{stats['notices']:,} notices over five years ({stats['lawyers']:,} lawyers). "
                  + (f"Seeded in {stats['seed_s']:.0f} s; summary tables rebuilt in {stats['rebuild_s']:.0f} s; "
                     f"an incremental refresh after 1,000 changed notices {stats['incremental_s']:.2f} s."
                     if "seed_s" in stats else ""), "",
                  "| page | first render s | median s | queries |", "|---|---:|---:|---:|"]
        for page in stats["pages"]:
            lines.append(f"| {page['label']} | {page['first_s']:.3f} | {page['median_s']:.3f} | "
                         f"{'/'.join(map(str, page['queries']))} |")
        lines.append("")
    if served or rec:
        lines += [ANALYSIS]
    return "\n".join(lines)


def main():
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs PostgreSQL: DATABASE_URL=postgres://user@host:port/name "
                 "(bench databases are created beside it and dropped at the end)")
    redis = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {}
    statistics_db = database_url("bench_statistics")
    try:
        if "statistics" not in args.skip or "served" not in args.skip:
            (OUT / "statistics.json").unlink(missing_ok=True)
            step("Seed 1,000,000 notices and time the statistics page",
                 ["bench/statistics_page.py", "--keep", "--notices", str(args.notices), "--json", str(OUT / "statistics.json")])
            results["statistics"] = load("statistics")
        if "served" not in args.skip:
            (OUT / "served.json").unlink(missing_ok=True)
            step("The application served the production way",
                 ["bench/served.py", "--seconds", str(args.seconds), "--json", str(OUT / "served.json")],
                 env={"DATABASE_URL": statistics_db, "REDIS_URL": redis})
            results["served"] = load("served")
    finally:
        admin_run(f'DROP DATABASE IF EXISTS "{statistics_db.rsplit("/", 1)[1]}"')
    if "sweep" not in args.skip:
        (OUT / "sweep.json").unlink(missing_ok=True)
        step("The deadline sweep", ["bench/sweep.py", "--json", str(OUT / "sweep.json")])
        results["sweep"] = load("sweep")
    if "recommend" not in args.skip:
        name = database_url("bench_recommend").rsplit("/", 1)[1]
        admin_run(f'DROP DATABASE IF EXISTS "{name}"')
        admin_run(f'CREATE DATABASE "{name}"')
        try:
            (OUT / "recommend.json").unlink(missing_ok=True)
            step("The recommendation", ["bench/recommend.py", "--json", str(OUT / "recommend.json")],
                 env={"DATABASE_URL": database_url("bench_recommend")})
            results["recommend"] = load("recommend")
        finally:
            admin_run(f'DROP DATABASE IF EXISTS "{name}"')
    for name in ("statistics", "served", "sweep", "recommend"):
        if name in args.skip and name not in results and load(name):
            results[name] = load(name)  # from an earlier run: the page keeps every table
    elapsed = time.perf_counter() - started
    command = "make bench" + (f" (bench/run.py {' '.join(sys.argv[1:])})" if sys.argv[1:] else "")
    text = report(results, machine(), command, elapsed)
    print("\n" + text)
    if not args.no_write:
        DOC.write_text(text + "\n")
        print(f"\nWritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
