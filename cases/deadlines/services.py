"""Deadline instances: created, recomputed and closed by domain events; and the working-day
calendar as the database holds it."""
import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from cases.deadlines import rules as registry
from cases.deadlines.calendar import WorkingCalendar, from_rows
from cases.deadlines.models import CalendarDay, CalendarYear, Deadline
from legalaid import clock
from legalaid.errors import IllegalTransition, InvalidInput

_CALENDAR_VERSION_KEY = "deadlines:calendar-version"
_local = {"version": None, "calendar": None}


# --- The calendar ---------------------------------------------------------------------------------

def current_calendar() -> WorkingCalendar:
    """The calendar as entered, cached per process and reloaded when any process changes it."""
    version = cache.get(_CALENDAR_VERSION_KEY)
    if version is None:
        version = clock.now().timestamp()
        cache.add(_CALENDAR_VERSION_KEY, version, None)
        version = cache.get(_CALENDAR_VERSION_KEY, version)
    if _local["version"] != version or _local["calendar"] is None:
        rows = CalendarDay.objects.values_list("date", "kind")
        years = CalendarYear.objects.values_list("year", flat=True)
        _local["calendar"] = from_rows(list(rows), list(years))
        _local["version"] = version
    return _local["calendar"]


def calendar_changed():
    cache.set(_CALENDAR_VERSION_KEY, clock.now().timestamp(), None)
    _local["calendar"] = None


def calendar_year_enter(*, year: int, holidays, workdays, source: str, announcement: str = "") -> dict:
    """Enter (or replace) one year's holidays and make-up working days, then recompute every open
    provisional deadline. Returns {"days": n, "recomputed": n, "moved": n}."""
    holidays, workdays = dict(holidays), dict(workdays)
    for day in [*holidays, *workdays]:
        if day.year != year:
            raise InvalidInput(_("%(day)s is not in %(year)s.") % {"day": day, "year": year}, code="wrong_year")
    both = set(holidays) & set(workdays)
    if both:
        raise InvalidInput(_("%(day)s cannot be both a holiday and a working day.") % {"day": min(both)},
                           code="day_both_kinds")
    for day in workdays:
        if day.weekday() < 5:
            raise InvalidInput(_("%(day)s is a weekday: only a weekend day can be a make-up working day.")
                               % {"day": day}, code="workday_not_weekend")
    with transaction.atomic():
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "announcement": announcement})
        CalendarDay.objects.filter(year=entry).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(year=entry, date=d, kind=CalendarDay.Kind.HOLIDAY, name=n) for d, n in holidays.items()]
            + [CalendarDay(year=entry, date=d, kind=CalendarDay.Kind.WORKDAY, name=n) for d, n in workdays.items()]
        )
        transaction.on_commit(calendar_changed)
    calendar_changed()
    result = deadlines_recompute_provisional()
    return {"days": len(holidays) + len(workdays), **result}


def calendar_seed_from_package(years=None) -> list:
    """Enter the years the chinesecalendar package knows (each only once; an entered year is kept)."""
    from chinese_calendar import constants

    known = {d.year for d in constants.holidays}
    wanted = sorted(set(years or known) & known)
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    done = []
    for year in wanted:
        if year in entered:
            continue
        holidays = {d: str(n) for d, n in constants.holidays.items() if d.year == year and d.weekday() < 5}
        workdays = {d: str(n) for d, n in constants.workdays.items() if d.year == year}
        calendar_year_enter(year=year, holidays=holidays, workdays=workdays, source=CalendarYear.Source.PACKAGE,
                            announcement=f"chinesecalendar {year}")
        done.append(year)
    return done


# --- Deadline instances ---------------------------------------------------------------------------

def _in_custody(notice) -> bool:
    return notice.defendant.custody_status in ("detained", "residential_surveillance")


def _initial_next_action(rule, due_at, now):
    from cases.deadlines.enforcement import next_step

    step = next_step(rule, due_at, after=None, calendar=current_calendar())
    return step.at if step else due_at


def deadline_open(*, notice, code: str, start, now=None, status=Deadline.Status.OPEN) -> Deadline:
    """Start the clock `code` on `notice`, counted from `start` (the trigger moment or date; for a
    days-before-event rule, the event)."""
    now = now or clock.now()
    rule = registry.rule_for(code, notice.court.region)
    due = registry.compute_due(rule, start, current_calendar(), in_custody=_in_custody(notice))
    trigger_at = start if isinstance(start, dt.datetime) else clock.start_of_day(start)
    deadline = Deadline(
        notice=notice, rule_code=code, party=rule.party, basis=rule.basis, period=rule.period, unit=rule.unit,
        trigger_at=trigger_at, due_at=due.due_at, provisional=due.provisional, status=status,
    )
    if status == Deadline.Status.OPEN:
        deadline.next_action_at = _initial_next_action(rule, due.due_at, now)
    else:
        deadline.closed_at = now
    deadline.save()
    return deadline


def open_deadline(notice, code):
    return Deadline.objects.filter(notice=notice, rule_code=code, status__in=Deadline.ACTIVE_STATUSES).first()


def deadline_close(*, notice, code: str, at=None, actor=None) -> Deadline | None:
    """The duty was done: met if on time, met late otherwise. No-op when no clock is running."""
    at = at or clock.now()
    deadline = open_deadline(notice, code)
    if deadline is None:
        return None
    deadline.status = Deadline.Status.MET if at <= deadline.due_at else Deadline.Status.MET_LATE
    deadline.closed_at, deadline.closed_by, deadline.next_action_at = at, actor, None
    deadline.save(update_fields=["status", "closed_at", "closed_by", "next_action_at"])
    return deadline


def deadline_waive(*, deadline: Deadline, actor, reason: str, at=None) -> Deadline:
    if not reason or not reason.strip():
        raise InvalidInput(_("Give the reason for waiving this deadline."), code="reason_required", field="reason")
    if deadline.status not in Deadline.ACTIVE_STATUSES:
        raise IllegalTransition(_("Only an open or breached deadline can be waived."))
    updated = Deadline.objects.filter(pk=deadline.pk, status=deadline.status).update(
        status=Deadline.Status.WAIVED, waive_reason=reason.strip(), closed_by=actor,
        closed_at=at or clock.now(), next_action_at=None)
    if updated != 1:
        raise IllegalTransition(_("The deadline changed meanwhile; reload and try again."))
    deadline.refresh_from_db()
    return deadline


def deadlines_waive_all(*, notice, actor, reason: str):
    for deadline in Deadline.objects.filter(notice=notice, status__in=Deadline.ACTIVE_STATUSES):
        deadline_waive(deadline=deadline, actor=actor, reason=reason)


def deadline_recompute(*, deadline: Deadline, start=None, now=None) -> bool:
    """Recount an active deadline (from a new start, or on a changed calendar). Returns whether its
    due moment moved. A breach recorded for the old due moment stays in the register."""
    now = now or clock.now()
    notice = deadline.notice
    rule = registry.rule_for(deadline.rule_code, notice.court.region)
    if start is None:
        start = deadline.trigger_at if rule.unit != "days_before_event" else deadline.trigger_at
    due = registry.compute_due(rule, start, current_calendar(), in_custody=_in_custody(notice))
    moved = due.due_at != deadline.due_at
    deadline.trigger_at = start if isinstance(start, dt.datetime) else clock.start_of_day(start)
    deadline.due_at, deadline.provisional = due.due_at, due.provisional
    if moved and deadline.status == Deadline.Status.BREACHED and due.due_at > now:
        deadline.status, deadline.breached_at = Deadline.Status.OPEN, None
    if deadline.status == Deadline.Status.OPEN:
        deadline.next_action_at = _initial_next_action(rule, due.due_at, now)
    deadline.save(update_fields=["trigger_at", "due_at", "provisional", "status", "breached_at", "next_action_at"])
    return moved


def deadlines_recompute_provisional() -> dict:
    """After a calendar year is entered: recount every active provisional deadline and tell whoever
    owns each one whose due date moved."""
    from cases.deadlines.enforcement import tell_owner_due_moved

    recomputed = moved = 0
    qs = Deadline.objects.filter(provisional=True, status__in=Deadline.ACTIVE_STATUSES).select_related(
        "notice__court__region", "notice__defendant")
    for deadline in qs.iterator(chunk_size=500):
        before = deadline.due_at
        with transaction.atomic():
            if deadline_recompute(deadline=deadline):
                moved += 1
                tell_owner_due_moved(deadline=deadline, before=before)
        recomputed += 1
    return {"recomputed": recomputed, "moved": moved}
