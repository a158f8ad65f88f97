"""Bringing the figures up to date from the case tables. The rows are computed by the database
(INSERT … SELECT over a queryset the ORM compiles, the same on PostgreSQL and SQLite): nothing is
loaded into Python, however many notices there are.

What changes a notice's figures is always written to its case log (NoticeEvent: receipt, status
changes, designations and declines, breaches found by the sweep, waived or moved deadlines), so an
incremental refresh recomputes the notices of every defendant with an event since the last refresh
(minus an overlap, for transactions that committed late). Each run holds the state row's lock, so
two workers never refresh at once."""
import datetime as dt

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Func, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth

from assignments.models import Designation
from cases.deadlines.models import Deadline
from cases.models import Notice, NoticeEvent
from cases.statistics.models import (
    BreachFigure,
    BreachMonthFigure,
    Counsel,
    DelayFigure,
    FiguresState,
    MonthFigure,
    NoticeFigure,
)
from legalaid import clock

ASSIGN_RULE = "agency_assign_lawyer"  # cases/deadlines/rules.py: the agency's clock to designate
# An event may commit a little after the moment it carries (its service's `now`): look back this far
# beyond the last refresh.
OVERLAP = dt.timedelta(minutes=10)
# How often the periodic refresh runs (seconds); declared in legalaid/celery.py.
REFRESH_INTERVAL = 300

MISSED = (Deadline.Status.MET_LATE, Deadline.Status.BREACHED)


class DaysBetween(Func):
    """Days from the first date to the second (null if either is null)."""

    arity = 2

    def __init__(self, start, end, **extra):
        from django.db.models import IntegerField

        super().__init__(start, end, output_field=IntegerField(), **extra)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date - date is a number of days
        (start_sql, start_params), (end_sql, end_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"(({end_sql}) - ({start_sql}))", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        (start_sql, start_params), (end_sql, end_params) = (compiler.compile(e) for e in self.source_expressions)
        return (f"CAST(ROUND(julianday({end_sql}) - julianday({start_sql})) AS INTEGER)",
                [*end_params, *start_params])


def _count(queryset):
    """A correlated COUNT(*) of `queryset` (already filtered on OuterRef), 0 when empty."""
    return Coalesce(Subquery(queryset.order_by().values("notice_id").annotate(n=Count("pk")).values("n")[:1]),
                    Value(0))


def notice_figure_source(notices):
    """{column: expression} of NoticeFigure for each notice of `notices` (a Notice queryset)."""
    same_defendant = Notice.objects.filter(defendant_id=OuterRef("defendant_id"))
    earlier = same_defendant.filter(Q(received_at__lt=OuterRef("received_at"))
                                    | Q(received_at=OuterRef("received_at"), pk__lt=OuterRef("pk")))
    # Counsel retained: the court reported it (the one way a notice is withdrawn,
    # cases.services.notice_retained_counsel), or the agency ended aid on that ground (LAL 48(6)).
    retained = Exists(same_defendant.filter(status=Notice.Status.WITHDRAWN)) | Exists(NoticeEvent.objects.filter(
        notice__defendant_id=OuterRef("defendant_id"), code="aid_terminated", data__ground="retained_counsel"))
    aided = Exists(Designation.objects.filter(notice__defendant_id=OuterRef("defendant_id"))
                   .exclude(status=Designation.Status.DECLINED))
    first_designation = Subquery(Designation.objects.filter(notice_id=OuterRef("pk")).order_by("designated_at")
                                 .values("designated_at")[:1])
    assign = Deadline.objects.filter(notice_id=OuterRef("pk"), rule_code=ASSIGN_RULE)
    columns = {
        "notice_id": F("pk"),
        "court_id": F("court_id"),
        "region_id": F("agency__region_id"),
        "received_on": TruncDate("received_at", tzinfo=clock.BEIJING),
        "category": F("category"),
        "grounds": Cast("grounds", TextField()),
        "counts_defendant": ~Exists(earlier),
        "counsel": Case(When(retained, then=Value(Counsel.RETAINED)), When(aided, then=Value(Counsel.AIDED)),
                        default=Value(Counsel.NONE)),
        "designation_days": DaysBetween(TruncDate("received_at", tzinfo=clock.BEIJING),
                                        TruncDate(first_designation, tzinfo=clock.BEIJING)),
        "assign_met": _count(assign.filter(status=Deadline.Status.MET)),
        "assign_missed": _count(assign.filter(status__in=MISSED)),
    }
    return notices.order_by(), columns


def breach_figure_source(deadlines):
    breached = deadlines.filter(Q(status__in=MISSED) | Q(breached_at__isnull=False))
    columns = {
        "deadline_id": F("pk"),
        "notice_id": F("notice_id"),
        "court_id": F("notice__court_id"),
        "region_id": F("notice__agency__region_id"),
        "due_on": TruncDate("due_at", tzinfo=clock.BEIJING),
        "rule_code": F("rule_code"),
        "party": F("party"),
    }
    return breached.order_by(), columns


def _insert_select(model, source) -> int:
    """INSERT INTO the model's table the rows a queryset's SELECT computes (one statement)."""
    queryset, columns = source
    aliases = {f"f_{name}": expression for name, expression in columns.items()}
    sql, params = queryset.annotate(**aliases).values(*aliases).query.sql_with_params()
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    targets = ", ".join(qn(name) for name in columns)
    selected = ", ".join(f"s.{qn(alias)}" for alias in aliases)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({targets}) SELECT {selected} FROM ({sql}) s", params)
        return cursor.rowcount


def _insert_grouped(model, grouped, columns, renamed=None) -> None:
    """INSERT INTO the model's table the rows of a grouped queryset (values + aggregates) whose
    selected names are `columns`, except those `renamed` ({column: name selected}; `month` is
    always selected as f_month)."""
    sql, params = grouped.query.sql_with_params()
    qn = connection.ops.quote_name
    renamed = {"month": "f_month", **(renamed or {})}
    selected = ", ".join(f"s.{qn(renamed.get(c, c))}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                       f"SELECT {selected} FROM ({sql}) s", params)


def month_figure_source(figures):
    """MonthFigure rows summed from a NoticeFigure queryset (the same sums the pages make)."""
    from cases.statistics.selectors import figure_sums

    grouped = (figures.annotate(f_month=TruncMonth("received_on"))
               .values("f_month", "court_id", "region_id", "category", "grounds").annotate(**figure_sums())
               .order_by())
    _insert_grouped(MonthFigure, grouped, ["month", "court_id", "region_id", "category", "grounds", "notices",
                                           "defendants", "aided", "retained", "designated", "assign_met",
                                           "assign_missed"])


def delay_figure_source(figures):
    """DelayFigure rows counted from a NoticeFigure queryset: notices by month, court and days to
    their first designation."""
    grouped = (figures.filter(designation_days__isnull=False).annotate(f_month=TruncMonth("received_on"))
               .values("f_month", "court_id", "region_id", "designation_days").annotate(notices=Count("pk"))
               .order_by())
    _insert_grouped(DelayFigure, grouped, ["month", "court_id", "region_id", "days", "notices"],
                    {"days": "designation_days"})


def breach_month_figure_source(breaches):
    """BreachMonthFigure rows counted from a BreachFigure queryset: missed deadlines by month of
    their due day, court, rule and party."""
    grouped = (breaches.annotate(f_month=TruncMonth("due_on"))
               .values("f_month", "court_id", "region_id", "rule_code", "party").annotate(breaches=Count("pk"))
               .order_by())
    _insert_grouped(BreachMonthFigure, grouped, ["month", "court_id", "region_id", "rule_code", "party",
                                                 "breaches"])


def _month_span(month) -> tuple[dt.date, dt.date]:
    start = month if isinstance(month, dt.date) and not isinstance(month, dt.datetime) else month.date()
    return start, (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _by_month(pairs) -> dict:
    out = {}
    for court_id, month in pairs:
        out.setdefault(_month_span(month), set()).add(court_id)
    return out


def _breach_months(notice_ids) -> set:
    return set(BreachFigure.objects.filter(notice_id__in=notice_ids).annotate(m=TruncMonth("due_on"))
               .values_list("court_id", "m").distinct().order_by())


def _months_refresh(notice_ids, breach_months_before: set) -> None:
    """Recompute the rolled-up rows of the courts and months of these notices: MonthFigure and
    DelayFigure by month of receipt (a notice's court and month of receipt never change),
    BreachMonthFigure by month of the due day, both the months the notices' missed deadlines fell
    in before the refresh and those they fall in now."""
    pairs = (NoticeFigure.objects.filter(notice_id__in=notice_ids).annotate(m=TruncMonth("received_on"))
             .values_list("court_id", "m").distinct().order_by())
    for (start, end), courts in _by_month(pairs).items():
        MonthFigure.objects.filter(month=start, court_id__in=courts).delete()
        DelayFigure.objects.filter(month=start, court_id__in=courts).delete()
        figures = NoticeFigure.objects.filter(court_id__in=courts, received_on__range=(start, end))
        month_figure_source(figures)
        delay_figure_source(figures)
    for (start, end), courts in _by_month(breach_months_before | _breach_months(notice_ids)).items():
        BreachMonthFigure.objects.filter(month=start, court_id__in=courts).delete()
        breach_month_figure_source(BreachFigure.objects.filter(court_id__in=courts, due_on__range=(start, end)))


def _state() -> FiguresState:
    FiguresState.objects.get_or_create(pk=1)
    return FiguresState.objects.select_for_update().get(pk=1)


def figures_refresh(*, full: bool = False, now=None) -> dict:
    """Bring the figures up to date: everything (`full`, or the first time), else the notices of
    every defendant whose case log has an entry since the last refresh. Returns what was done."""
    now = now or clock.now()
    with transaction.atomic():
        state = _state()
        full = full or state.refreshed_at is None
        if full:
            for model in (NoticeFigure, BreachFigure, MonthFigure, DelayFigure, BreachMonthFigure):
                model.objects.all().delete()
            notices = _insert_select(NoticeFigure, notice_figure_source(Notice.objects.all()))
            _insert_select(BreachFigure, breach_figure_source(Deadline.objects.all()))
            month_figure_source(NoticeFigure.objects.all())
            delay_figure_source(NoticeFigure.objects.all())
            breach_month_figure_source(BreachFigure.objects.all())
            state.rebuilt_at = now
        else:
            changed = NoticeEvent.objects.filter(created_at__gte=state.refreshed_at - OVERLAP).values("notice_id")
            affected = Notice.objects.filter(
                defendant_id__in=Notice.objects.filter(pk__in=changed).values("defendant_id"))
            # The ids once, so the deletes and inserts agree on the set even as new events arrive.
            ids = list(affected.values_list("pk", flat=True))
            notices = 0
            for start in range(0, len(ids), 5000):
                chunk = ids[start:start + 5000]
                breach_months = _breach_months(chunk)
                NoticeFigure.objects.filter(notice_id__in=chunk).delete()
                BreachFigure.objects.filter(notice_id__in=chunk).delete()
                notices += _insert_select(NoticeFigure, notice_figure_source(Notice.objects.filter(pk__in=chunk)))
                _insert_select(BreachFigure, breach_figure_source(Deadline.objects.filter(notice_id__in=chunk)))
                _months_refresh(chunk, breach_months)
        state.refreshed_at, state.notices_refreshed = now, notices
        state.save()
    return {"full": full, "notices": notices, "refreshed_at": now}


def figures_as_of():
    """When the figures were last brought up to date (None: never)."""
    return FiguresState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
