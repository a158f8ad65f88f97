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
from reports.models import BreachFigure, Counsel, FiguresState, MonthFigure, NoticeFigure
from legalaid import clock

ASSIGN_RULE = "agency_assign_lawyer"  # cases/deadlines/rules.py: the agency's clock to designate
# An event may commit a little after the moment it carries (its service's `now`): look back this far
# beyond the last refresh.
OVERLAP = dt.timedelta(minutes=10)
# How often the periodic refresh runs (seconds); declared in legalaid/celery.py.
REFRESH_INTERVAL = 300

MISSED = (Deadline.Status.MET_LATE, Deadline.Status.BREACHED)


class SecondsBetween(Func):
    """Whole seconds from the first moment to the second (null if either is null)."""

    output_field = None
    arity = 2

    def __init__(self, start, end, **extra):
        from django.db.models import BigIntegerField

        super().__init__(start, end, output_field=BigIntegerField(), **extra)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL and others with EXTRACT(EPOCH …)
        return self.as_sql_template(compiler, connection,
                                    "CAST(ROUND(EXTRACT(EPOCH FROM (%(end)s - %(start)s))) AS BIGINT)")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql_template(compiler, connection,
                                    "CAST(ROUND((julianday(%(end)s) - julianday(%(start)s)) * 86400) AS INTEGER)")

    def as_sql_template(self, compiler, connection, template):
        (start_sql, start_params), (end_sql, end_params) = (compiler.compile(e) for e in self.source_expressions)
        # %(end)s comes first in both templates: keep the parameters in the order they appear.
        return template % {"start": start_sql, "end": end_sql}, [*end_params, *start_params]


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
    # assignments.services.notice_retained_counsel), or the agency ended aid on that ground (LAL 48(6)).
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
        "designation_seconds": SecondsBetween(F("received_at"), first_designation),
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


def month_figure_source(figures):
    """MonthFigure rows summed from a NoticeFigure queryset (the same sums the pages make)."""
    from reports.selectors import figure_sums

    grouped = (figures.annotate(f_month=TruncMonth("received_on"))
               .values("f_month", "court_id", "region_id", "category", "grounds").annotate(**figure_sums())
               .order_by())
    columns = ["month", "court_id", "region_id", "category", "grounds", "notices", "defendants", "aided", "retained",
               "designated", "assign_met", "assign_missed"]
    sql, params = grouped.query.sql_with_params()
    qn = connection.ops.quote_name
    selected = ", ".join(f"s.{qn(c)}" for c in ["f_month", *columns[1:]])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(MonthFigure._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                       f"SELECT {selected} FROM ({sql}) s", params)


def _months_refresh(notice_ids) -> None:
    """Recompute the MonthFigure rows of the courts and months of these notices (a notice's court
    and month of receipt never change)."""
    pairs = (NoticeFigure.objects.filter(notice_id__in=notice_ids).annotate(m=TruncMonth("received_on"))
             .values_list("court_id", "m").distinct().order_by())
    by_month = {}
    for court_id, month in pairs:
        by_month.setdefault(month, set()).add(court_id)
    for month, courts in by_month.items():
        MonthFigure.objects.filter(month=month, court_id__in=courts).delete()
        start = month if isinstance(month, dt.date) and not isinstance(month, dt.datetime) else month.date()
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        month_figure_source(NoticeFigure.objects.filter(court_id__in=courts, received_on__range=(start, end)))


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
            NoticeFigure.objects.all().delete()
            BreachFigure.objects.all().delete()
            MonthFigure.objects.all().delete()
            notices = _insert_select(NoticeFigure, notice_figure_source(Notice.objects.all()))
            _insert_select(BreachFigure, breach_figure_source(Deadline.objects.all()))
            month_figure_source(NoticeFigure.objects.all())
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
                NoticeFigure.objects.filter(notice_id__in=chunk).delete()
                BreachFigure.objects.filter(notice_id__in=chunk).delete()
                notices += _insert_select(NoticeFigure, notice_figure_source(Notice.objects.filter(pk__in=chunk)))
                _insert_select(BreachFigure, breach_figure_source(Deadline.objects.filter(notice_id__in=chunk)))
                _months_refresh(chunk)
        state.refreshed_at, state.notices_refreshed = now, notices
        state.save()
    return {"full": full, "notices": notices, "refreshed_at": now}


def figures_as_of():
    """When the figures were last brought up to date (None: never)."""
    return FiguresState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
