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
from cases.statistics.models import BreachFigure, Counsel, NoticeFigure
from cases.statistics.params import Params
from cases.statistics.percentiles import percentiles

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


def court_month_figures(params: Params) -> list[dict]:
    """The additive figures by court and month of receipt, in one scan of the notice figures:
    notices, the defence rate's counts, designations made and the agency's designation clocks met
    and missed. Every other grouping (region, month, the total) is a sum of these rows: a court
    belongs to one region, and a defendant is counted once, with their first notice's court."""
    return list(notice_figures(params).annotate(month=TruncMonth("received_on"))
                .values("court__code", "court__name", "region__code", "region__name", "month")
                .annotate(notices=Count("pk"), **coverage_aggregates(), designated=Count("designation_seconds"),
                          assign_met=Coalesce(Sum("assign_met"), 0), assign_missed=Coalesce(Sum("assign_missed"), 0))
                .order_by("court__code", "month"))


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


def notices_by_kind(params: Params) -> dict:
    """Notices by category and by ground, from one query grouped by category and the set of
    grounds (a handful of combinations): a notice counts under every ground that applies to it."""
    categories, grounds = dict.fromkeys(Category.values, 0), dict.fromkeys(GROUNDS, 0)
    for row in notice_figures(params).values("category", "grounds").annotate(n=Count("pk")).order_by():
        categories[row["category"]] = categories.get(row["category"], 0) + row["n"]
        for code in json.loads(row["grounds"]):
            grounds[code] = grounds.get(code, 0) + row["n"]
    return {"categories": categories, "grounds": grounds}


def overview(params: Params) -> dict:
    """Every ungrouped figure (two queries): totals of court_month_figures, with the counts by
    category and by ground as `category:<code>` and `ground:<code>`."""
    row = totals(court_month_figures(params))
    kinds = notices_by_kind(params)
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
        row = totals(self.court_months)
        kinds = notices_by_kind(self.params)
        row.update({f"category:{k}": v for k, v in kinds["categories"].items()})
        row.update({f"ground:{k}": v for k, v in kinds["grounds"].items()})
        return row
