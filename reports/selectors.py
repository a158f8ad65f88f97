"""Every figure of the statistics, computed by the database from the summary tables (aggregates
over NoticeFigure and BreachFigure; the caseload from the roster): no notice row is loaded into
Python. Each function runs a fixed number of queries, whatever the number of notices."""
import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from assignments.models import Designation, Lawyer
from cases.eligibility import GROUNDS
from cases.models import Category, Court, Region
from reports.models import BreachFigure, Counsel, MonthFigure, NoticeFigure
from reports.params import Params
from reports.percentiles import percentiles

# The figure to beat (issue 7's seed figure): a national defence rate of 66% in criminal cases.
REFERENCE_DEFENCE_RATE = 0.66
# Open designations per lawyer, bucketed: (lowest, highest or None) of each bucket.
CASELOAD_BUCKETS = ((0, 0), (1, 2), (3, 5), (6, 10), (11, None))
PERCENTILES = (0.5, 0.9)


def rate(part, whole):
    return part / whole if whole else None


# --- Querysets ------------------------------------------------------------------------------------

def _scoped(queryset, params: Params, day_field: str):
    queryset = queryset.filter(**{f"{day_field}__range": (params.start, params.end)})
    if params.prefix:
        queryset = queryset.filter(region__in=Region.objects.filter(code__startswith=params.prefix).values("pk"))
    if params.court:
        queryset = queryset.filter(court=params.court)
    return queryset


def notice_figures(params: Params):
    return _scoped(NoticeFigure.objects.all(), params, "received_on")


def breach_figures(params: Params):
    return _scoped(BreachFigure.objects.all(), params, "due_on")


# --- Aggregates -------------------------------------------------------------------------------------

_DEFENDANT = Q(counts_defendant=True)


def coverage_aggregates() -> dict:
    """The defence rate's counts: defendants notified (each once, on their first notice), those
    whose counsel was designated (aided) and those who retained counsel."""
    return {
        "defendants": Count("pk", filter=_DEFENDANT),
        "aided": Count("pk", filter=_DEFENDANT & Q(counsel=Counsel.AIDED)),
        "retained": Count("pk", filter=_DEFENDANT & Q(counsel=Counsel.RETAINED)),
    }


def with_rate(row: dict) -> dict:
    row["with_counsel"] = row["aided"] + row["retained"]
    row["rate"] = rate(row["with_counsel"], row["defendants"])
    return row


_ADDITIVE = ("defendants", "aided", "retained", "notices", "designated", "assign_met", "assign_missed")


def figure_sums() -> dict:
    """The additive figures of a group of NoticeFigure rows."""
    return {"notices": Count("pk"), **coverage_aggregates(), "designated": Count("designation_seconds"),
            "assign_met": Coalesce(Sum("assign_met"), 0), "assign_missed": Coalesce(Sum("assign_missed"), 0)}


_NAMES = ("court__code", "court__name", "region__code", "region__name")


def whole_months(params: Params):
    """(first, last): the first days of the first and last whole months inside the period, or None."""
    first = params.start if params.start.day == 1 else _next_month(params.start)
    end_month = params.end.replace(day=1)
    ends_a_month = (_next_month(params.end) - params.end).days == 1
    last = end_month if ends_a_month else _previous_month(end_month)
    return (first, last) if first <= last else None


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def court_month_figures(params: Params) -> list[dict]:
    """The additive figures by court, month of receipt and kind of notice (category and grounds):
    notices, the defence rate's counts, designations made and the agency's designation clocks met
    and missed. Two queries: the whole months of the period from MonthFigure, the partial months at
    its ends from NoticeFigure. Every grouping the pages show (court, region, month, kind, the
    total) is a sum of these rows: a court belongs to one region, and a defendant is counted once,
    with their first notice's court and month."""
    months = whole_months(params)
    rollup = MonthFigure.objects.all()
    if params.prefix:
        rollup = rollup.filter(region__in=Region.objects.filter(code__startswith=params.prefix).values("pk"))
    if params.court:
        rollup = rollup.filter(court=params.court)
    rollup = rollup.filter(month__range=months) if months else rollup.none()
    sums = {k: Sum(k) for k in _ADDITIVE}
    rows = list(rollup.values(*_NAMES, "month", "category", "grounds").annotate(**sums).order_by())
    edges = notice_figures(params)
    if months:
        edges = edges.exclude(received_on__range=(months[0], _next_month(months[1]) - dt.timedelta(days=1)))
    rows += list(edges.annotate(month=TruncMonth("received_on")).values(*_NAMES, "month", "category", "grounds")
                 .annotate(**figure_sums()).order_by())
    return rows


def roll_up(rows: list, keys: tuple) -> list[dict]:
    """Sum the additive figures of `rows` by `keys`, in key order (rows with no defendant and no
    notice are left out)."""
    out = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        target = out.setdefault(key, {**{k: row[k] for k in keys}, **{k: 0 for k in _ADDITIVE}})
        for k in _ADDITIVE:
            target[k] += row[k]
    return [with_rate(out[key]) for key in sorted(out)]


def totals(rows: list) -> dict:
    total = roll_up(rows, ())
    row = total[0] if total else with_rate({k: 0 for k in _ADDITIVE})
    row["assign_share"] = rate(row["assign_met"], row["assign_met"] + row["assign_missed"])
    return row


def notices_by_kind(rows: list) -> dict:
    """Notices by category and by ground, summed from court_month_figures' rows (grouped by
    category and the set of grounds): a notice counts under every ground that applies to it."""
    categories, grounds = dict.fromkeys(Category.values, 0), dict.fromkeys(GROUNDS, 0)
    for row in roll_up(rows, ("category", "grounds")):
        categories[row["category"]] = categories.get(row["category"], 0) + row["notices"]
        for code in json.loads(row["grounds"]):
            grounds[code] = grounds.get(code, 0) + row["notices"]
    return {"categories": categories, "grounds": grounds}


def overview(params: Params, rows: list | None = None) -> dict:
    """Every ungrouped figure: totals of court_month_figures, with the counts by category and by
    ground as `category:<code>` and `ground:<code>`."""
    rows = court_month_figures(params) if rows is None else rows
    row = totals(rows)
    kinds = notices_by_kind(rows)
    row.update({f"category:{k}": v for k, v in kinds["categories"].items()})
    row.update({f"ground:{k}": v for k, v in kinds["grounds"].items()})
    return row


def coverage_by(params: Params, dimension: str, rows: list | None = None) -> list[dict]:
    """The defence rate by court, by region (of the agency notified) or by month (of the
    defendant's first notice), in the dimension's order. `rows`: court_month_figures already read."""
    keys = {"court": ("court__code", "court__name"), "region": ("region__code", "region__name"),
            "month": ("month",)}[dimension]
    rows = court_month_figures(params) if rows is None else rows
    return [row for row in roll_up(rows, keys) if row["defendants"]]


def coverage_cells(params: Params, rows: list | None = None) -> list[dict]:
    """The defence rate by region and month (the public summary's cells)."""
    rows = court_month_figures(params) if rows is None else rows
    return [row for row in roll_up(rows, ("region__code", "region__name", "month")) if row["defendants"]]


def designation_times(params: Params) -> dict:
    """Seconds from receipt to the first designation: median and 90th percentile, overall and by
    month of receipt. Two queries."""
    queryset = notice_figures(params)
    overall = percentiles(queryset, "designation_seconds", PERCENTILES)[None]
    by_month = percentiles(queryset, "designation_seconds", PERCENTILES, group_by=TruncMonth("received_on"))
    return {"overall": overall, "by_month": sorted((_as_date(k), v) for k, v in by_month.items() if k is not None)}


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def breaches_by(params: Params, dimension: str) -> list[dict]:
    """Missed deadlines due in the period, by rule (with its responsible party) or by party."""
    fields = {"rule": ("rule_code", "party"), "party": ("party",)}[dimension]
    return list(breach_figures(params).values(*fields).annotate(breaches=Count("pk")).order_by("-breaches", *fields))


def caseload(params: Params) -> list[dict]:
    """Lawyers on the roster of the region, by how many designations they have open now (pending
    or accepted), in CASELOAD_BUCKETS. A snapshot: the period and court do not apply. Two queries:
    the lawyers on the roster, and the open designations counted per lawyer (one pass over the
    open designations) and bucketed around that count; the lawyers with none are the difference."""
    lawyers = Lawyer.objects.filter(status=Lawyer.Status.ACTIVE)
    if params.prefix:
        lawyers = lawyers.filter(region__in=Region.objects.filter(code__startswith=params.prefix).values("pk"))
    on_roster = lawyers.count()
    per_lawyer = (Designation.objects.filter(status__in=Designation.CURRENT, lawyer__in=lawyers.values("pk"))
                  .order_by().values("lawyer_id").annotate(n=Count("pk")))
    sql, query_params = per_lawyer.query.sql_with_params()
    n = "s." + connection.ops.quote_name("n")
    whens = " ".join(f"WHEN {n} >= {low}" + (f" AND {n} <= {high}" if high is not None else "") + f" THEN {i}"
                     for i, (low, high) in enumerate(CASELOAD_BUCKETS))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE {whens} END AS b, COUNT(*), SUM({n}) FROM ({sql}) s GROUP BY 1",
                       query_params)
        rows = {b: (count, int(total or 0)) for b, count, total in cursor.fetchall()}
    rows[0] = (on_roster - sum(count for count, _total in rows.values()), 0)
    return [{"low": low, "high": high, "lawyers": rows.get(i, (0, 0))[0], "designations": rows.get(i, (0, 0))[1]}
            for i, (low, high) in enumerate(CASELOAD_BUCKETS)]


# --- Filter choices ---------------------------------------------------------------------------------

def region_choices(prefix: str):
    """Regions the user may choose: their own and every region under it."""
    return list(Region.objects.filter(code__startswith=prefix).order_by("code").values("code", "name", "level"))


def court_choices(prefix: str):
    return list(Court.objects.filter(agency__region__code__startswith=prefix).order_by("code")
                .values("code", "name"))


@dataclass
class Context:
    """What the sections of one page share: the parameters and the one overview query."""

    params: Params

    @cached_property
    def court_months(self) -> list:
        return court_month_figures(self.params)

    @cached_property
    def overview(self) -> dict:
        return overview(self.params, self.court_months)
