"""Deadline instances: created, recomputed and closed by domain events; and the working-day
calendar as the database holds it (entered from the chinesecalendar package, a file, or the admin)."""
import datetime as dt
import threading

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.deadlines import rules as registry
from cases.deadlines.calendar import WorkingCalendar, from_rows
from cases.deadlines.enforcement import next_step, started
from cases.deadlines.models import CalendarDay, CalendarYear, Deadline, _new_version
from legalaid import clock
from legalaid.errors import IllegalTransition, InvalidInput

WAIVE_REASON_MAX = 1000

# --- The calendar ---------------------------------------------------------------------------------

_cache = threading.local()


def current_calendar() -> WorkingCalendar:
    """The calendar as entered. One small query compares the entered years' versions with the ones
    this process (thread) holds; the days are reloaded only when another process changed them."""
    versions = tuple(CalendarYear.objects.order_by("year").values_list("year", "version"))
    if getattr(_cache, "versions", None) != versions:
        rows = CalendarDay.objects.values_list("date", "kind")
        _cache.calendar = from_rows(list(rows), [year for year, _v in versions])
        _cache.versions = versions
    return _cache.calendar


def calendar_days_check(*, year: int, holidays, workdays) -> None:
    """Raise InvalidInput unless the days can be entered as `year`'s calendar: every day in the
    year, none both kinds, and a make-up working day only on a weekend."""
    if not 1949 < year < 2200:
        raise InvalidInput(_("%(year)s is not a year the calendar can hold.") % {"year": year}, code="invalid_year",
                           field="year")
    for day in sorted([*holidays, *workdays]):
        if day.year != year:
            raise InvalidInput(_("%(day)s is not in %(year)s.") % {"day": day, "year": year}, code="wrong_year",
                               field="date")
    both = set(holidays) & set(workdays)
    if both:
        raise InvalidInput(_("%(day)s cannot be both a holiday and a working day.") % {"day": min(both)},
                           code="day_both_kinds", field="date")
    for day in sorted(workdays):
        if day.weekday() < 5:
            raise InvalidInput(_("%(day)s is a weekday: only a weekend day can be a make-up working day.")
                               % {"day": day}, code="workday_not_weekend", field="date")


def calendar_year_enter(*, year: int, holidays: dict, workdays: dict, source: str, announcement: str = "",
                        replace: bool = True, actor=None) -> dict:
    """Enter (or, with `replace`, re-enter) one year's public holidays and make-up working days
    ({date: name}), then recount every active provisional deadline and tell the owners of each one
    whose due moment moved. Returns {"days", "recomputed", "moved"}."""
    calendar_days_check(year=year, holidays=holidays, workdays=workdays)
    with transaction.atomic():
        entry = CalendarYear.objects.select_for_update().filter(year=year).first()
        if entry and not replace:
            raise InvalidInput(_("The calendar of %(year)s is already entered.") % {"year": year},
                               code="year_already_entered", field="year")
        if entry is None:
            entry = CalendarYear(year=year)
        entry.source, entry.announcement = source, announcement[:128]
        entry.save()
        CalendarDay.objects.filter(year=entry).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(year=entry, date=d, kind=CalendarDay.Kind.HOLIDAY, name=(n or "")[:64])
             for d, n in sorted(holidays.items())]
            + [CalendarDay(year=entry, date=d, kind=CalendarDay.Kind.WORKDAY, name=(n or "")[:64])
               for d, n in sorted(workdays.items())])
        result = calendar_year_changed(year=entry, actor=actor)
    return {"days": len(holidays) + len(workdays), **result}


def calendar_year_changed(*, year: CalendarYear, actor=None) -> dict:
    """After a year's days changed (entered, re-entered, or edited in the admin): a new version, so
    that every process reloads the calendar, and the recount of the deadlines it touches."""
    CalendarYear.objects.filter(pk=year.pk).update(version=_new_version())
    return deadlines_recompute_for_calendar(year=year.year, actor=actor)


# chinesecalendar names its holidays in English; the calendar shows the official Chinese names.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_calendar(year: int) -> tuple[dict, dict]:
    """({holiday: name}, {make-up working day: name}) of `year` as the chinesecalendar package knows
    it; both empty for a year it does not know."""
    from chinese_calendar import constants

    def named(days):
        return {d: _HOLIDAY_NAMES.get(str(n), str(n)) for d, n in days.items() if d.year == year}

    return named(constants.holidays), named(constants.workdays)


def package_years() -> list:
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays})


def calendar_seed_from_package(years=None) -> list:
    """Enter the years the chinesecalendar package knows that are not entered yet (an entered year,
    from whatever source, is kept). Returns the years entered."""
    wanted = sorted(set(years or package_years()) & set(package_years()))
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    done = []
    for year in wanted:
        if year in entered:
            continue
        holidays, workdays = package_calendar(year)
        calendar_year_enter(year=year, holidays=holidays, workdays=workdays, source=CalendarYear.Source.PACKAGE,
                            announcement=f"chinesecalendar {year}", replace=False)
        done.append(year)
    return done


# --- Deadline instances ---------------------------------------------------------------------------

def _in_custody(notice) -> bool:
    return notice.defendant.custody_status in ("detained", "residential_surveillance")


def _moment(start) -> dt.datetime:
    return start if isinstance(start, dt.datetime) else clock.start_of_day(start)


def _next_action(deadline: Deadline, rule, now) -> dt.datetime | None:
    step = next_step(rule, deadline.due_at, after=None, started=started(deadline), calendar=current_calendar())
    return step.at if step else None


def active_deadline(notice, code) -> Deadline | None:
    return Deadline.objects.filter(notice=notice, rule_code=code, status__in=Deadline.ACTIVE_STATUSES).first()


# The name cases.services uses.
open_deadline = active_deadline


def deadline_open(*, notice, code: str, start, now=None, status=Deadline.Status.OPEN) -> Deadline:
    """Start the clock `code` on `notice`, counted from `start` (the trigger moment or date; for a
    days-before-event rule, the event). A clock already running is recounted from the new start."""
    now = now or clock.now()
    existing = active_deadline(notice, code)
    if existing is not None:
        deadline_recompute(deadline=existing, start=start, now=now)
        return existing
    rule = registry.rule_for(code, notice.court.region)
    if rule is None:
        raise InvalidInput(_("There is no deadline rule %(code)s.") % {"code": code}, code="unknown_rule")
    due = registry.compute_due(rule, start, current_calendar(), in_custody=_in_custody(notice))
    deadline = Deadline(
        notice=notice, rule_code=code, party=rule.party, basis=rule.basis, period=rule.period, unit=rule.unit,
        trigger_at=_moment(start), due_at=due.due_at, provisional=due.provisional, status=status,
    )
    if status == Deadline.Status.OPEN:
        deadline.next_action_at = _next_action(deadline, rule, now)
    else:
        deadline.closed_at = now
    deadline.save()
    return deadline


def deadlines_start(*, notice, clocks, now=None) -> list:
    """The first clocks of a notice just received (none is running yet), in three queries whatever
    their number: the calendar's versions, the region's rules, one insert. `clocks` are
    (code, start, done_at, done_by): a clock whose duty is already done is stored closed, met or met
    late as deadline_close would have closed it. Returns the deadlines by due moment."""
    now = now or clock.now()
    calendar = current_calendar()
    rules = {rule.code: rule for rule in registry.rules_for_region(notice.court.region)}
    deadlines = []
    for code, start, done_at, done_by in clocks:
        rule = rules.get(code)
        if rule is None:
            raise InvalidInput(_("There is no deadline rule %(code)s.") % {"code": code}, code="unknown_rule")
        due = registry.compute_due(rule, start, calendar, in_custody=_in_custody(notice))
        deadline = Deadline(
            notice=notice, rule_code=code, party=rule.party, basis=rule.basis, period=rule.period, unit=rule.unit,
            trigger_at=_moment(start), due_at=due.due_at, provisional=due.provisional, status=Deadline.Status.OPEN)
        if done_at is None:
            step = next_step(rule, deadline.due_at, after=None, started=started(deadline), calendar=calendar)
            deadline.next_action_at = step.at if step else None
        else:
            deadline.status = (Deadline.Status.MET if done_at < registry.breach_moment(deadline.due_at)
                               else Deadline.Status.MET_LATE)
            deadline.closed_at, deadline.closed_by = done_at, done_by
        deadlines.append(deadline)
    Deadline.objects.bulk_create(deadlines)
    return sorted(deadlines, key=lambda d: (d.due_at, d.pk or 0))


def deadline_close(*, notice, code: str, at=None, actor=None) -> Deadline | None:
    """The duty was done: met if on time, met late otherwise. No-op when no clock is running."""
    at = at or clock.now()
    deadline = active_deadline(notice, code)
    if deadline is None:
        return None
    status = Deadline.Status.MET if at < registry.breach_moment(deadline.due_at) else Deadline.Status.MET_LATE
    updated = Deadline.objects.filter(pk=deadline.pk, status__in=Deadline.ACTIVE_STATUSES).update(
        status=status, closed_at=at, closed_by=actor, next_action_at=None)
    if updated != 1:
        return None  # closed meanwhile by someone else
    deadline.refresh_from_db()
    return deadline


def deadline_waive(*, deadline: Deadline, actor, reason: str, at=None) -> Deadline:
    """Staff decide a running clock no longer applies (e.g. the court withdrew the notice): it stops,
    with the reason and who decided, in the case history."""
    from cases.services import event_log

    at = at or clock.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for waiving this deadline."), code="reason_required", field="reason")
    if len(reason) > WAIVE_REASON_MAX:
        raise InvalidInput(_("The reason may be at most %(n)s characters.") % {"n": WAIVE_REASON_MAX},
                           code="reason_too_long", field="reason")
    if deadline.status not in Deadline.ACTIVE_STATUSES:
        raise IllegalTransition(_("Only an open or breached deadline can be waived."), code="deadline_not_active")
    with transaction.atomic():
        updated = Deadline.objects.filter(pk=deadline.pk, status=deadline.status).update(
            status=Deadline.Status.WAIVED, waive_reason=reason, closed_by=actor, closed_at=at, next_action_at=None)
        if updated != 1:
            raise IllegalTransition(_("The deadline changed meanwhile; reload and try again."),
                                    code="deadline_changed")
        event_log(notice=deadline.notice, code="deadline_waived", actor=actor, at=at, data={
            "deadline": deadline.pk, "rule": deadline.rule_code, "from": deadline.status, "reason": reason,
            "due_at": clock.to_beijing(deadline.due_at).isoformat()})
    deadline.refresh_from_db()
    return deadline


def deadlines_waive_all(*, notice, actor, reason: str):
    for deadline in Deadline.objects.filter(notice=notice, status__in=Deadline.ACTIVE_STATUSES):
        deadline_waive(deadline=deadline, actor=actor, reason=reason)


def deadline_recompute(*, deadline: Deadline, start=None, now=None) -> bool:
    """Recount an active deadline, from a new start (the hearing moved) or from its own on a changed
    calendar. Returns whether its due moment moved. A clock breached for a due moment that moved
    into the future runs again; its breach stays in the register (the DeadlineAction rows)."""
    now = now or clock.now()
    notice = deadline.notice
    rule = registry.rule_for(deadline.rule_code, notice.court.region)
    if rule is None:
        return False
    start = deadline.trigger_at if start is None else start
    due = registry.compute_due(rule, start, current_calendar(), in_custody=_in_custody(notice))
    moved = due.due_at != deadline.due_at
    deadline.trigger_at = _moment(start)
    deadline.due_at, deadline.provisional = due.due_at, due.provisional
    deadline.period, deadline.unit, deadline.basis = rule.period, rule.unit, rule.basis
    if deadline.status == Deadline.Status.BREACHED and registry.breach_moment(due.due_at) > now:
        deadline.status, deadline.breached_at = Deadline.Status.OPEN, None
    if deadline.status == Deadline.Status.OPEN:
        deadline.next_action_at = _next_action(deadline, rule, now)
    deadline.save(update_fields=["trigger_at", "due_at", "provisional", "period", "unit", "basis", "status",
                                 "breached_at", "next_action_at"])
    return moved


def deadlines_recompute_for_calendar(*, year: int, actor=None) -> dict:
    """After a calendar year is entered or corrected: recount every active deadline that is
    provisional or whose period touches that year, and tell whoever owns each one whose due moment
    moved (a message, and an entry in the case history)."""
    from cases.deadlines.enforcement import tell_owner_due_moved
    from cases.services import event_log

    first, last = clock.start_of_day(dt.date(year, 1, 1)), clock.end_of_day(dt.date(year, 12, 31))
    touches = (Q(provisional=True) | Q(trigger_at__lte=last, due_at__gte=first)
               | Q(due_at__lte=last, trigger_at__gte=first))
    recomputed = moved = 0
    # The ids first: recounting changes the very rows (provisional, due_at) the filter reads.
    ids = list(Deadline.objects.filter(touches, status__in=Deadline.ACTIVE_STATUSES).order_by("pk")
               .values_list("pk", flat=True))
    chunks = (ids[n:n + 500] for n in range(0, len(ids), 500))
    related = ("notice__court__region", "notice__defendant", "notice__case")
    for deadline in (d for chunk in chunks
                     for d in Deadline.objects.filter(pk__in=chunk).select_related(*related).order_by("pk")):
        before = deadline.due_at
        with transaction.atomic():
            if deadline_recompute(deadline=deadline):
                moved += 1
                event_log(notice=deadline.notice, code="deadline_moved", actor=actor, data={
                    "deadline": deadline.pk, "rule": deadline.rule_code, "reason": "calendar_entered",
                    "before": clock.to_beijing(before).isoformat(),
                    "due_at": clock.to_beijing(deadline.due_at).isoformat(), "provisional": deadline.provisional})
                tell_owner_due_moved(deadline=deadline, before=before)
        recomputed += 1
    return {"recomputed": recomputed, "moved": moved}
