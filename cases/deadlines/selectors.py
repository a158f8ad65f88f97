"""Reads of deadlines for the staff board and the breach register, scoped like notices (an agency
sees its region's subtree, an administrator everything), in a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from cases.deadlines.models import Deadline, DeadlineAction, Party
from cases.deadlines.services import current_calendar
from cases.models import Notice
from cases.selectors import notice_scope
from legalaid import clock

# "At risk": open and due within this many working days after today.
AT_RISK_WORKING_DAYS = 2
# Each section of the board shows at most this many rows; filters narrow it down.
SECTION_LIMIT = 100

_ROW_RELATED = ("notice__case", "notice__defendant", "notice__court", "notice__agency")


def deadlines_for_user(*, user):
    """Every deadline of a notice the user may see (a lazy queryset, no query of its own)."""
    return Deadline.objects.filter(notice__in=Notice.objects.filter(notice_scope(user)).values("pk"))


@dataclass
class Windows:
    now: dt.datetime
    today_ends: dt.datetime
    at_risk_ends: dt.datetime


def board_windows(now=None) -> Windows:
    now = now or clock.now()
    today = clock.beijing_date(now)
    at_risk_day = current_calendar().add_working_days(today, AT_RISK_WORKING_DAYS).date
    return Windows(now, clock.end_of_day(today), clock.end_of_day(at_risk_day))


def _buckets(w: Windows) -> dict:
    open_ = Q(status=Deadline.Status.OPEN)
    return {
        "overdue": Q(status=Deadline.Status.BREACHED) | (open_ & Q(due_at__lt=w.now)),
        "due_today": open_ & Q(due_at__gte=w.now, due_at__lte=w.today_ends),
        "at_risk": open_ & Q(due_at__gt=w.today_ends, due_at__lte=w.at_risk_ends),
    }


def deadline_board(*, queryset, windows: Windows) -> dict:
    """The board over a (scoped, filtered) deadline queryset: the overdue, due-today and at-risk
    rows (each capped at SECTION_LIMIT), and the count of each bucket by responsible party. Four
    queries whatever the number of deadlines."""
    buckets = _buckets(windows)
    counts = queryset.values("party").annotate(
        **{name: Count("pk", filter=q) for name, q in buckets.items()}).order_by("party")
    by_party = {row["party"]: row for row in counts if any(row[name] for name in buckets)}
    sections = {}
    for name, q in buckets.items():
        rows = list(queryset.filter(q).select_related(*_ROW_RELATED).order_by("due_at", "pk")[:SECTION_LIMIT])
        sections[name] = {"rows": rows, "total": sum(row[name] for row in by_party.values())}
    parties = [{"party": code, "label": label, **{name: by_party.get(code, {}).get(name, 0) for name in buckets}}
               for code, label in Party.choices if code in by_party]
    return {"sections": sections, "by_party": parties}


def breach_register(*, user):
    """Every breach the sweep recorded, newest first, with its deadline and notice: the register
    keeps a breach even when the clock later ran again (the hearing moved) or was waived."""
    return (DeadlineAction.objects.filter(step="breach", deadline__in=deadlines_for_user(user=user).values("pk"))
            .select_related(*[f"deadline__{r}" for r in _ROW_RELATED]).order_by("-done_at", "-pk"))
