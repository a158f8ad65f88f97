"""Every figure of the statistics, computed by the database from the summary tables (aggregates
over NoticeFigure and BreachFigure; the caseload from the roster): no notice row is loaded into
Python. Each function runs a fixed number of queries, whatever the number of notices."""
import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from assignments.models import Lawyer
from cases.eligibility import GROUNDS
from cases.models import Category, Court, Region
from cases.statistics.models import BreachFigure, BreachMonthFigure, Counsel, DelayFigure, MonthFigure, NoticeFigure
from cases.statistics.params import Params
from cases.statistics.percentiles import from_counts

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
    return {"notices": Count("pk"), **coverage_aggregates(), "designated": Count("designation_days"),
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
    rollup, edges = _whole_months_and_edges(MonthFigure, notice_figures(params), "received_on", params)
    sums = {k: Sum(k) for k in _ADDITIVE}
    rows = list(rollup.values(*_NAMES, "month", "category", "grounds").annotate(**sums).order_by())
    rows += list(edges.annotate(month=TruncMonth("received_on")).values(*_NAMES, "month", "category", "grounds")
                 .annotate(**figure_sums()).order_by())
    return rows


def _whole_months_and_edges(rollup_model, rows, day_field: str, params: Params):
    """(the rolled-up rows of the period's whole months in scope, the rows of `rows` — already in
    scope and period — that fall outside those months): a period's figures as the sum of both."""
    months = whole_months(params)
    rollup = rollup_model.objects.all()
    if params.prefix:
        rollup = rollup.filter(region__in=Region.objects.filter(code__startswith=params.prefix).values("pk"))
    if params.court:
        rollup = rollup.filter(court=params.court)
    rollup = rollup.filter(month__range=months) if months else rollup.none()
    if months:
        rows = rows.exclude(**{f"{day_field}__range": (months[0], _next_month(months[1]) - dt.timedelta(days=1))})
    return rollup, rows


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


def delay_counts(params: Params) -> dict:
    """{month of receipt: {days to the first designation: notices}} of the period and scope: the
    whole months from DelayFigure, the partial months at the ends of the period from NoticeFigure.
    Two queries, whatever the number of notices."""
    rollup, edges = _whole_months_and_edges(DelayFigure, notice_figures(params).filter(designation_days__isnull=False),
                                            "received_on", params)
    rows = list(rollup.values_list("month", "days").annotate(n=Sum("notices")).order_by())
    rows += list(edges.annotate(month=TruncMonth("received_on")).values_list("month", "designation_days")
                 .annotate(n=Count("pk")).order_by())
    out = {}
    for month, days, n in rows:
        counts = out.setdefault(_as_date(month), {})
        counts[days] = counts.get(days, 0) + n
    return out


def designation_times(params: Params) -> dict:
    """Days from receipt to the first designation: median and 90th percentile, overall and by
    month of receipt, read off the counts of notices by number of days (exact to the day, the unit
    shown; the same continuous percentile as percentile_cont). Two queries."""
    by_month = delay_counts(params)
    every = {}
    for counts in by_month.values():
        for days, n in counts.items():
            every[days] = every.get(days, 0) + n
    return {"overall": from_counts(every, PERCENTILES),
            "by_month": sorted((month, from_counts(counts, PERCENTILES)) for month, counts in by_month.items())}


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def breaches_by(params: Params, dimension: str) -> list[dict]:
    """Missed deadlines due in the period, by rule (with its responsible party) or by party: the
    whole months from BreachMonthFigure, the partial months at the ends from BreachFigure. Two
    queries."""
    fields = {"rule": ("rule_code", "party"), "party": ("party",)}[dimension]
    rollup, edges = _whole_months_and_edges(BreachMonthFigure, breach_figures(params), "due_on", params)
    out = {}
    for row in [*rollup.values(*fields).annotate(n=Sum("breaches")).order_by(),
                *edges.values(*fields).annotate(n=Count("pk")).order_by()]:
        key = tuple(row[f] for f in fields)
        out[key] = out.get(key, 0) + row["n"]
    rows = [{**dict(zip(fields, key)), "breaches": n} for key, n in out.items()]
    return sorted(rows, key=lambda r: (-r["breaches"], *(r[f] for f in fields)))


def caseload(params: Params) -> list[dict]:
    """Lawyers on the roster of the region, by how many designations they have open now (pending
    or accepted), in CASELOAD_BUCKETS. A snapshot: the period and court do not apply. One query over
    the lawyers of the region and their load rows (assignments.load keeps each lawyer's open
    caseload with every designation): as many rows as lawyers, whatever the number of designations."""
    lawyers = Lawyer.objects.filter(status=Lawyer.Status.ACTIVE)
    if params.prefix:
        lawyers = lawyers.filter(region__in=Region.objects.filter(code__startswith=params.prefix).values("pk"))
    rows = {}
    for open_cases, count in (lawyers.annotate(n=Coalesce(F("load__open_cases"), 0)).order_by().values_list("n")
                              .annotate(lawyers=Count("pk")).values_list("n", "lawyers")):
        bucket = next(i for i, (low, high) in enumerate(CASELOAD_BUCKETS)
                      if open_cases >= low and (high is None or open_cases <= high))
        lawyers_in, designations = rows.get(bucket, (0, 0))
        rows[bucket] = (lawyers_in + count, designations + open_cases * count)
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
