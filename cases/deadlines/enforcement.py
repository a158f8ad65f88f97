"""Enforcement of deadlines: the reminder and escalation steps of each rule, and the sweep that
performs every due step exactly once.

Exactly once: each step performed is a DeadlineAction row, unique on (deadline, step, due moment),
written in the same transaction as the messages it sends (each with its own unique key) and the
advance of the deadline's `next_action_at`. A worker that dies mid-batch rolls all three back and
the next sweep redoes the batch; two workers lock disjoint rows (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite serialises writers), and the unique keys stop a repeat in any case."""
import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction

from cases.deadlines import rules as registry
from cases.deadlines.models import Deadline, DeadlineAction, Party
from legalaid import clock
from legalaid.models import Role

REMINDER_HOUR = 9  # day reminders arrive in the Beijing morning
DEFAULT_BATCH_SIZE = 500
BREACH = "breach"


class Step(NamedTuple):
    at: dt.datetime
    code: str


def steps(rule, due_at: dt.datetime, calendar, *, started: dt.datetime | None = None) -> list:
    """Every step of a clock in time order: its reminders, then the breach just after the due moment.
    A reminder that would fall before the clock `started` is dropped: nobody is reminded of a clock
    before it runs."""
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
        if at < due_at and (started is None or at > started):
            out.append(Step(at, f"remind:{unit}:{amount}"))
    out.sort()
    out.append(Step(registry.breach_moment(due_at), BREACH))
    return out


def next_step(rule, due_at, *, after, calendar, started=None) -> Step | None:
    """The first step after `after` (the very first step when `after` is None)."""
    for step in steps(rule, due_at, calendar, started=started):
        if after is None or step.at > after:
            return step
    return None


def due_step(rule, due_at, *, now, calendar, started=None) -> Step | None:
    """The latest step whose time has come: a reminder overtaken by a later step is not sent late."""
    current = None
    for step in steps(rule, due_at, calendar, started=started):
        if step.at <= now:
            current = step
    return current


def started(deadline):
    """When the clock began, for dropping reminders before it: the trigger, unless the clock counts
    back from an event (then the trigger is the event, after the due moment)."""
    return deadline.trigger_at if deadline.trigger_at < deadline.due_at else None


def rule_of(deadline):
    """The steps of a stored deadline: the registry rule's reminders and escalation; a local rule's
    (not in the registry) follow from its unit. No query."""
    rule = registry.REGISTRY.get(deadline.rule_code)
    if rule is not None:
        return rule
    return registry.Rule(deadline.rule_code, deadline.rule_code, deadline.rule_code, deadline.basis, "",
                         deadline.period, deadline.unit, deadline.party,
                         reminders=registry.default_reminders(deadline.unit, deadline.period), local=True)


# --- Who is told -------------------------------------------------------------------------------

def recipients_for(deadlines, *, breach: bool) -> dict:
    """{deadline id: [users]} in a fixed number of queries for the whole batch. A reminder goes to
    the responsible party; a breach goes to the rule's escalation target (docs/RULES.md §2: the agency's
    supervisor; for the court's duties, the court's accounts, read by its liaison)."""
    from legalaid.models import User

    agency_ids = {d.notice.agency_id for d in deadlines}
    court_ids = {d.notice.court_id for d in deadlines}
    staff = list(User.objects.filter(agency_id__in=agency_ids, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR],
                                     is_active=True).order_by("pk"))
    courts = list(User.objects.filter(court_id__in=court_ids, role=Role.COURT, is_active=True).order_by("pk"))
    lawyers = lawyers_for_notices({d.notice_id for d in deadlines})
    out = {}
    for d in deadlines:
        agency_staff = [u for u in staff if u.agency_id == d.notice.agency_id]
        # An agency without a supervisor account: its staff hear of the escalation instead.
        supervisors = [u for u in agency_staff if u.role == Role.SUPERVISOR] or agency_staff
        court_users = [u for u in courts if u.court_id == d.notice.court_id]
        lawyer_users = lawyers.get(d.notice_id, [])
        if breach:
            target = rule_of(d).escalate_to
            if target == registry.ESCALATE_COURT:
                users = court_users + supervisors
            elif target == registry.ESCALATE_LAWYER:
                users = lawyer_users + supervisors
            else:
                users = supervisors
        elif d.party == Party.COURT:
            users = court_users
        elif d.party == Party.LAWYER:
            users = lawyer_users or agency_staff
        else:  # the agency's own duties, and the ones it tracks for others (detention centre, defendant)
            users = agency_staff
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
    rule = rule_of(deadline)
    notice = deadline.notice
    return {
        "rule": rule.title,
        "rule_code": deadline.rule_code,
        "case": notice.case.case_number,
        "defendant": notice.defendant.name,
        "due": clock.to_beijing(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
        "basis": deadline.basis,
        "party": deadline.party,
    }


def message_key(deadline, step_code: str) -> str:
    return f"deadline:{deadline.pk}:{step_code}:{deadline.due_at.isoformat()}"


def tell_owner_due_moved(*, deadline, before):
    from notifications.services import notify

    users = recipients_for([deadline], breach=False)[deadline.pk]
    notify(key=message_key(deadline, "moved"), recipients=users, kind="deadline_moved", notice=deadline.notice,
           link=f"/notices/{deadline.notice_id}/",
           params={**_params(deadline), "before": clock.to_beijing(before).strftime("%Y-%m-%d")})


# --- The sweep ---------------------------------------------------------------------------------

def sweep(*, now=None, batch_size=None, max_batches=None, on_batch=None) -> dict:
    """Perform every step that has come due, a batch at a time, each batch in its own transaction.
    Returns counts. Safe to run in several workers at once and to kill at any moment: what a killed
    batch did is rolled back and the next sweep does it again."""
    from cases.deadlines.services import current_calendar

    now = now or clock.now()
    batch_size = batch_size or getattr(settings, "DEADLINE_SWEEP_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    calendar = current_calendar()
    totals = {"reminders": 0, "breaches": 0, "batches": 0, "deadlines": 0}
    while max_batches is None or totals["batches"] < max_batches:
        with transaction.atomic():
            batch = _claim_batch(now, batch_size)
            if not batch:
                break
            counts = _perform(batch, now, calendar)
        for key in ("reminders", "breaches"):
            totals[key] += counts[key]
        totals["batches"] += 1
        totals["deadlines"] += len(batch)
        if on_batch:
            on_batch(len(batch))
        if len(batch) < batch_size:
            break
    return totals


def _claim_batch(now, batch_size):
    """Lock up to `batch_size` deadlines whose next step has come, skipping the ones another worker
    holds (an indexed range scan of next_action_at, whatever the size of the table)."""
    qs = Deadline.objects.filter(next_action_at__lte=now).order_by("next_action_at")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    ids = list(qs.values_list("pk", flat=True)[:batch_size])
    if not ids:
        return []
    return list(Deadline.objects.filter(pk__in=ids).select_related(
        "notice__case", "notice__defendant", "notice__court").order_by("next_action_at", "pk"))


def _perform(batch, now, calendar):
    """The steps due in a locked batch, in a fixed number of queries: which were done already (1),
    the recipients (2, and the lawyers' when the assignments app has them), the messages (1), the
    actions (1), the deadlines' advance (1); with breaches, the case-history entries (1) and the
    status (1). A materials breach also drafts the agency's request to the court (a few queries
    for each such notice)."""
    from cases.models import NoticeEvent
    from notifications.services import build_messages, save_messages

    work = []  # (deadline, step)
    for deadline in batch:
        if deadline.status not in Deadline.ACTIVE_STATUSES:
            deadline.next_action_at = None
            continue
        rule = rule_of(deadline)
        step = due_step(rule, deadline.due_at, now=now, calendar=calendar, started=started(deadline))
        following = next_step(rule, deadline.due_at, after=now, calendar=calendar, started=started(deadline))
        deadline.next_action_at = following.at if following else None
        if step is not None and not (step.code == BREACH and deadline.status == Deadline.Status.BREACHED):
            work.append((deadline, step))
    done = set(DeadlineAction.objects.filter(deadline__in=[d for d, _s in work])
               .values_list("deadline_id", "step", "due_at")) if work else set()
    fresh = [(d, s) for d, s in work if (d.pk, s.code, d.due_at) not in done]
    reminders = [(d, s) for d, s in fresh if s.code != BREACH]
    breaches = [d for d, s in fresh if s.code == BREACH]
    messages = []
    for group, breach in ((reminders, False), ([(d, None) for d in breaches], True)):
        if not group:
            continue
        who = recipients_for([d for d, _s in group], breach=breach)
        for deadline, step in group:
            messages += build_messages(
                key=message_key(deadline, step.code if step else BREACH), recipients=who[deadline.pk],
                kind="deadline_breach" if breach else "deadline_reminder", params=_params(deadline),
                notice=deadline.notice, link=f"/notices/{deadline.notice_id}/")
    save_messages(messages)
    # Recorded after the messages and in the same transaction: both stand, or neither does.
    DeadlineAction.objects.bulk_create(
        [DeadlineAction(deadline=d, step=s.code, due_at=d.due_at, done_at=now) for d, s in fresh],
        ignore_conflicts=True)
    if breaches:
        NoticeEvent.objects.bulk_create([NoticeEvent(
            notice_id=d.notice_id, code="deadline_breached", created_at=now, data={
                "deadline": d.pk, "rule": d.rule_code, "party": d.party,
                "due_at": clock.to_beijing(d.due_at).isoformat()}) for d in breaches])
    for deadline in breaches:
        deadline.status, deadline.breached_at = Deadline.Status.BREACHED, now
    if breaches:
        Deadline.objects.filter(pk__in=[d.pk for d in breaches]).update(status=Deadline.Status.BREACHED,
                                                                        breached_at=now)
    _advance(batch)
    for deadline in breaches:
        on_breach(deadline, now=now)
    return {"reminders": len(reminders), "breaches": len(breaches)}


def _advance(batch):
    """Store each deadline's next step time in one statement. On PostgreSQL an UPDATE from two
    arrays: Django's bulk_update builds a CASE of one branch per row, which costs more than the
    rest of the batch together."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{Deadline._meta.db_table}" AS d SET next_action_at = v.at '
                "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE d.id = v.id",
                [[d.pk for d in batch], [d.next_action_at for d in batch]])
    else:
        Deadline.objects.bulk_update(batch, ["next_action_at"])


def on_breach(deadline, *, now):
    """What a breach sets in motion beyond the messages (docs/RULES.md §2): materials still incomplete 15
    days before the hearing → the agency's request to the court to supplement them, and possibly
    to move the hearing, drafted for staff to send (M 5(3))."""
    if deadline.rule_code == "court_supplement_materials":
        from cases.services import supplement_request_draft

        supplement_request_draft(notice=deadline.notice, now=now)
