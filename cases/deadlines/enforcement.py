"""Enforcement of deadlines: the reminder and escalation steps of each rule, and the sweep that
performs every due step exactly once.

Exactly once: each step performed is a DeadlineAction row, unique on (deadline, step, due moment),
written in the same transaction as the messages it sends and the advance of the deadline's
`next_action_at`. A worker that dies mid-batch rolls all three back, and the next sweep redoes it;
two workers lock disjoint rows (SKIP LOCKED), and the unique key stops a repeat in any case."""
import datetime as dt
from typing import NamedTuple

from django.db import connection, transaction

from cases.deadlines import rules as registry
from cases.deadlines.models import Deadline, DeadlineAction
from legalaid import clock
from legalaid.models import Role

REMINDER_HOUR = 9  # reminders arrive in the Beijing morning
BREACH = "breach"


class Step(NamedTuple):
    at: dt.datetime
    code: str


def steps(rule, due_at: dt.datetime, calendar) -> list:
    """Every step of a clock in time order: its reminders, then the breach just after the due moment
    (a due moment is the end of a Beijing day, so the breach is seen from the next day's first second)."""
    due_day = clock.beijing_date(due_at)
    out = []
    for unit, amount in rule.reminders:
        if unit == "working_days":
            day = calendar.add_working_days(due_day, -amount).date
            at = clock.start_of_day(day) + dt.timedelta(hours=REMINDER_HOUR)
        elif unit == "due_day":
            at = clock.start_of_day(due_day - dt.timedelta(days=amount)) + dt.timedelta(hours=REMINDER_HOUR)
        else:  # hours
            at = due_at - dt.timedelta(hours=amount)
        if at < due_at:
            out.append(Step(at, f"remind:{unit}:{amount}"))
    out.sort()
    out.append(Step(due_at + dt.timedelta(seconds=1), BREACH))
    return out


def next_step(rule, due_at, *, after, calendar) -> Step | None:
    for step in steps(rule, due_at, calendar):
        if after is None or step.at > after:
            return step
    return None


def due_step(rule, due_at, *, now, calendar) -> Step | None:
    """The latest step whose time has come: a reminder overtaken by a later one is not sent late."""
    current = None
    for step in steps(rule, due_at, calendar):
        if step.at <= now:
            current = step
    return current


# --- Who is told -------------------------------------------------------------------------------

def _agency_users(agency_ids, roles):
    from legalaid.models import User

    return User.objects.filter(agency_id__in=agency_ids, role__in=roles, is_active=True)


def recipients_for(deadlines, *, breach: bool) -> dict:
    """{deadline id: [users]} in a fixed number of queries for the whole batch."""
    from legalaid.models import User

    agency_ids = {d.notice.agency_id for d in deadlines}
    court_ids = {d.notice.court_id for d in deadlines}
    staff = list(_agency_users(agency_ids, [Role.AGENCY_STAFF, Role.SUPERVISOR]))
    courts = list(User.objects.filter(court_id__in=court_ids, role=Role.COURT, is_active=True))
    lawyers = lawyers_for_notices({d.notice_id for d in deadlines})
    out = {}
    for d in deadlines:
        supervisors = [u for u in staff if u.agency_id == d.notice.agency_id and u.role == Role.SUPERVISOR]
        agency_staff = [u for u in staff if u.agency_id == d.notice.agency_id]
        court_users = [u for u in courts if u.court_id == d.notice.court_id]
        lawyer_users = lawyers.get(d.notice_id, [])
        if d.party == "agency":
            users = supervisors if breach else agency_staff
        elif d.party == "court":
            # A court-side breach is a message for the court's liaison, and the agency sees it too.
            users = court_users + (agency_staff if breach else [])
        elif d.party == "lawyer":
            users = lawyer_users + (supervisors if breach else [])
        else:
            users = agency_staff if breach else []
        out[d.pk] = users
    return out


def lawyers_for_notices(notice_ids) -> dict:
    """{notice id: [the designated lawyer's account]}; filled in by the assignments app."""
    try:
        from assignments.selectors import lawyer_users_for_notices
    except ImportError:
        return {}
    return lawyer_users_for_notices(notice_ids)


def _params(deadline):
    rule = registry.REGISTRY.get(deadline.rule_code)
    notice = deadline.notice
    return {
        "rule": rule.title if rule else deadline.rule_code,
        "rule_code": deadline.rule_code,
        "case": notice.case.case_number,
        "defendant": notice.defendant.name,
        "due": clock.to_beijing(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
        "basis": deadline.basis,
        "party": deadline.party,
    }


def tell_owner_due_moved(*, deadline, before):
    from notifications.services import notify

    users = recipients_for([deadline], breach=False)[deadline.pk]
    notify(key=f"deadline:{deadline.pk}:moved:{deadline.due_at.isoformat()}", recipients=users,
           kind="deadline_moved", notice=deadline.notice, link=f"/notices/{deadline.notice_id}/",
           params={**_params(deadline), "before": clock.to_beijing(before).strftime("%Y-%m-%d")})


# --- The sweep ---------------------------------------------------------------------------------

def sweep(*, now=None, batch_size=500, max_batches=None) -> dict:
    """Perform every step that has come due. Returns counts. Safe to run in several workers at once
    and to kill at any moment."""
    from cases.deadlines.services import current_calendar

    now = now or clock.now()
    calendar = current_calendar()
    totals = {"reminders": 0, "breaches": 0, "batches": 0}
    while max_batches is None or totals["batches"] < max_batches:
        with transaction.atomic():
            batch = _claim_batch(now, batch_size)
            if not batch:
                break
            counts = _perform(batch, now, calendar)
        totals["reminders"] += counts["reminders"]
        totals["breaches"] += counts["breaches"]
        totals["batches"] += 1
        if len(batch) < batch_size:
            break
    return totals


def _claim_batch(now, batch_size):
    qs = Deadline.objects.filter(next_action_at__lte=now).order_by("next_action_at")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    ids = list(qs.values_list("pk", flat=True)[:batch_size])
    if not ids:
        return []
    return list(Deadline.objects.filter(pk__in=ids).select_related(
        "notice__case", "notice__defendant", "notice__court__region").order_by("next_action_at"))


def _perform(batch, now, calendar):
    from notifications.services import build_messages, save_messages

    work = []  # (deadline, step)
    for deadline in batch:
        rule = registry.rule_for(deadline.rule_code) or registry.Rule(
            deadline.rule_code, deadline.rule_code, deadline.rule_code, deadline.basis, "", deadline.period,
            deadline.unit, deadline.party)
        step = due_step(rule, deadline.due_at, now=now, calendar=calendar)
        following = next_step(rule, deadline.due_at, after=now, calendar=calendar)
        deadline.next_action_at = following.at if following else None
        if deadline.status not in Deadline.ACTIVE_STATUSES:
            deadline.next_action_at = None
            continue
        if step is not None:
            work.append((deadline, step))
    done = set(DeadlineAction.objects.filter(
        deadline__in=[d for d, _s in work]).values_list("deadline_id", "step", "due_at"))
    fresh = [(d, s) for d, s in work if (d.pk, s.code, d.due_at) not in done]
    DeadlineAction.objects.bulk_create(
        [DeadlineAction(deadline=d, step=s.code, due_at=d.due_at, done_at=now) for d, s in fresh])
    reminders = [(d, s) for d, s in fresh if s.code != BREACH]
    breaches = [d for d, s in fresh if s.code == BREACH]
    messages = []
    for group, breach in ((reminders, False), ([(d, None) for d in breaches], True)):
        if not group:
            continue
        who = recipients_for([d for d, _s in group], breach=breach)
        for deadline, step in group:
            messages += build_messages(
                key=f"deadline:{deadline.pk}:{step.code if step else BREACH}:{deadline.due_at.isoformat()}",
                recipients=who[deadline.pk], kind="deadline_breach" if breach else "deadline_reminder",
                params=_params(deadline), notice=deadline.notice, link=f"/notices/{deadline.notice_id}/")
    save_messages(messages)
    for deadline in breaches:
        deadline.status, deadline.breached_at = Deadline.Status.BREACHED, now
    Deadline.objects.bulk_update(batch, ["next_action_at", "status", "breached_at"])
    for deadline in breaches:
        on_breach(deadline)
    return {"reminders": len(reminders), "breaches": len(breaches)}


def on_breach(deadline):
    """What a breach sets in motion beyond the message (RULES.md §2)."""
    if deadline.rule_code == "court_supplement_materials":
        from cases.services import supplement_request_draft

        supplement_request_draft(notice=deadline.notice)

