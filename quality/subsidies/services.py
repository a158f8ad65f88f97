"""Subsidies: schedules entered without overlap; a subsidy computed once per designation when its
closing is accepted (the hook of assignments.work.services.closing); approval by a supervisor;
payment recorded with its date and reference; corrections as new entries, never edits of a paid one.
Every state change is a compare-and-set update, with its history row."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Defendant, Region
from legalaid import clock, history, transitions
from legalaid.errors import Conflict, InvalidInput, NotPermitted
from legalaid.models import Role
from quality.subsidies import rules
from quality.subsidies.models import ScheduleAddition, ScheduleItem, Subsidy, SubsidyLine, SubsidySchedule
from quality.subsidies.rules import Addition, Item

MAX_MULTIPLIER = Decimal("3")
MAX_AMOUNT = Decimal("1000000")


# --- Who may -----------------------------------------------------------------------------------------

def may_approve(user) -> bool:
    """Approving money is a supervisor's act (or an administrator's), not a case worker's."""
    return bool(user and user.is_authenticated and user.is_active
                and (user.role == Role.SUPERVISOR or user.is_administrator))


def may_record_payment(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.can_write_cases)


def _require(allowed: bool, message):
    if not allowed:
        raise NotPermitted(message)


# --- Values -------------------------------------------------------------------------------------------

def parse_amount(value, *, field: str, allow_negative=False) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give an amount in yuan, e.g. 1200 or 1200.50."), code="invalid_amount", field=field)
    if not amount.is_finite() or amount != amount.quantize(rules.CENT) or abs(amount) >= MAX_AMOUNT:
        raise InvalidInput(_("Give an amount in yuan with at most two decimals."), code="invalid_amount", field=field)
    if amount < 0 and not allow_negative:
        raise InvalidInput(_("An amount cannot be negative."), code="negative_amount", field=field)
    return amount


# --- Schedules -----------------------------------------------------------------------------------------

def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def schedule_create(*, region: Region, name: str, valid_from: dt.date, valid_to: dt.date | None = None,
                    items: list, additions: dict | None = None, multipliers: dict | None = None,
                    many_defendants_from: int = 3, recipient_share_percent=0, basis: str = "",
                    actor) -> SubsidySchedule:
    """Enter a jurisdiction's standard. `items`: [(item, procedure, amount)]; `additions`: {code:
    amount}; `multipliers`: {grade: multiplier}. Refused when its period overlaps another schedule
    of the same region: the region's row is locked while checking, so two entered at once cannot
    both pass."""
    _require(may_approve(actor), _("Only a supervisor or an administrator may enter a subsidy schedule."))
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the schedule a name."), code="required", field="name")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(_("The schedule cannot end before it starts."), code="period_reversed", field="valid_to")
    if not items:
        raise InvalidInput(_("Give at least one amount."), code="required", field="items")
    seen = set()
    cleaned_items = []
    for item, procedure, amount in items:
        if item not in Item.values:
            raise InvalidInput(_("Unknown subsidy item %(item)s.") % {"item": item}, code="invalid_choice",
                               field="items")
        if (item, procedure or "") in seen:
            raise InvalidInput(_("%(item)s is given twice.") % {"item": Item(item).label}, code="duplicate_item",
                               field="items")
        seen.add((item, procedure or ""))
        cleaned_items.append((item, procedure or "", parse_amount(amount, field="items")))
    cleaned_additions = {}
    for code, amount in (additions or {}).items():
        if code not in Addition.values:
            raise InvalidInput(_("Unknown difficulty %(code)s.") % {"code": code}, code="invalid_choice",
                               field="additions")
        cleaned_additions[code] = parse_amount(amount, field="additions")
    cleaned_multipliers = {}
    for grade, value in (multipliers or {}).items():
        if grade not in ("excellent", "good", "pass", "fail"):
            raise InvalidInput(_("Unknown grade %(grade)s.") % {"grade": grade}, code="invalid_choice",
                               field="multipliers")
        multiplier = parse_amount(value, field="multipliers")
        if multiplier > MAX_MULTIPLIER:
            raise InvalidInput(_("A multiplier is between 0 and 3."), code="out_of_range", field="multipliers")
        cleaned_multipliers[f"multiplier_{grade}"] = multiplier
    share = parse_amount(recipient_share_percent, field="recipient_share_percent")
    if share > 100:
        raise InvalidInput(_("The recipient's share is a percentage between 0 and 100."), code="out_of_range",
                           field="recipient_share_percent")
    if not 2 <= int(many_defendants_from) <= 100:
        raise InvalidInput(_("\"Many defendants\" starts at 2 or more."), code="out_of_range",
                           field="many_defendants_from")
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()
        for other in SubsidySchedule.objects.filter(region=region):
            if _overlaps(valid_from, valid_to, other.valid_from, other.valid_to):
                raise InvalidInput(
                    _("This period overlaps the schedule %(name)s (%(start)s – %(end)s) of the same region.")
                    % {"name": other.name, "start": other.valid_from, "end": other.valid_to or "…"},
                    code="overlapping_schedule", field="valid_from")
        schedule = SubsidySchedule(region=region, name=name, basis=basis.strip(), valid_from=valid_from,
                                   valid_to=valid_to, many_defendants_from=int(many_defendants_from),
                                   recipient_share_percent=share, **cleaned_multipliers)
        history.save(schedule, actor=actor)
        ScheduleItem.objects.bulk_create([ScheduleItem(schedule=schedule, item=item, procedure=procedure,
                                                       amount=amount) for item, procedure, amount in cleaned_items])
        ScheduleAddition.objects.bulk_create([ScheduleAddition(schedule=schedule, code=code, amount=amount)
                                              for code, amount in cleaned_additions.items()])
    return schedule


def schedule_for(*, region: Region, day: dt.date) -> SubsidySchedule | None:
    """The schedule in force on `day` for a court's region: its own, else its prefecture's, else its
    province's. One query."""
    code = region.code
    candidates = {code, code[:4] + "00", code[:2] + "0000"}
    found = list(SubsidySchedule.objects.filter(region__code__in=candidates, valid_from__lte=day)
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("region")
                 .prefetch_related("items", "additions"))
    found.sort(key=lambda s: len(s.region.code.rstrip("0")), reverse=True)
    return found[0] if found else None


# --- Computing -------------------------------------------------------------------------------------------

def _calculation(*, designation, notice, day):
    schedule = schedule_for(region=notice.court.region, day=day)
    defendants = Defendant.objects.filter(case_id=notice.case_id).count()
    facts = rules.facts_of(designation=designation, notice=notice, defendants=defendants)
    grade_row = getattr(designation, "quality_grade", None)
    grade = grade_row.grade if grade_row is not None else "pass"
    facts["grade_computed"] = grade_row is not None
    if schedule is None:
        return None, facts, grade, rules.Calculation([], rules.money(0), rules.money(0), rules.money(0), False,
                                                     missing=_("No subsidy schedule covers this court on %(day)s.")
                                                     % {"day": day})
    calculation = rules.calculate(schedule=schedule,
                                  items={(i.item, i.procedure): i.amount for i in schedule.items.all()},
                                  additions={a.code: a.amount for a in schedule.additions.all()},
                                  facts=facts, grade=grade)
    return schedule, facts, grade, calculation


def _note(facts, calculation) -> str:
    notes = []
    if not calculation.complete:
        notes.append(calculation.missing)
    if not facts.get("grade_computed"):
        notes.append(_("No quality grade was computed for this case: paid at the pass tier."))
    return " ".join(notes)


def _write_lines(subsidy, calculation):
    SubsidyLine.objects.filter(subsidy=subsidy).delete()
    SubsidyLine.objects.bulk_create([
        SubsidyLine(subsidy=subsidy, position=n, code=line.code, label=line.label[:255], basis=line.basis,
                    amount=line.amount) for n, line in enumerate(calculation.lines, start=1)])


def subsidy_compute(*, closing, actor=None, now=None) -> Subsidy:
    """The subsidy for an accepted closing. Idempotent: the closing accepted again (a retry) finds the
    subsidy already computed and changes nothing."""
    now = now or clock.now()
    existing = Subsidy.objects.filter(designation_id=closing.designation_id, kind=Subsidy.Kind.ORIGINAL).first()
    if existing is not None:
        return existing
    designation = closing.designation
    notice = closing.notice
    schedule, facts, grade, calculation = _calculation(designation=designation, notice=notice,
                                                       day=clock.beijing_date(now))
    subsidy = Subsidy(designation=designation, notice=notice, lawyer_id=designation.lawyer_id, schedule=schedule,
                      grade=grade, facts=facts, amount=calculation.amount, recipient_share=calculation.recipient_share,
                      payable=calculation.payable, computed_at=now, note=_note(facts, calculation))
    subsidy._history_user = actor
    try:
        with transaction.atomic():
            subsidy.save()
            _write_lines(subsidy, calculation)
    except IntegrityError:
        return Subsidy.objects.get(designation_id=closing.designation_id, kind=Subsidy.Kind.ORIGINAL)
    return subsidy


def on_closing_accepted(*, closing, actor, now):
    subsidy_compute(closing=closing, actor=actor, now=now)


def _refuse_if_paid(subsidy):
    if subsidy.status == Subsidy.Status.PAID:
        raise Conflict(_("A paid subsidy is not edited: a correction is a new entry."), code="subsidy_paid")


def subsidy_recompute(*, subsidy: Subsidy, actor, now=None) -> Subsidy:
    """Compute a subsidy again from the schedule and the grade as they are now (the schedule was
    entered late, an evaluation changed the grade). Only before approval."""
    _require(may_record_payment(actor), _("Only agency staff may recompute a subsidy."))
    _refuse_if_paid(subsidy)
    if subsidy.status != Subsidy.Status.PENDING:
        raise Conflict(_("An approved subsidy is not recomputed."), code="subsidy_approved")
    if subsidy.kind == Subsidy.Kind.CORRECTION:
        raise Conflict(_("A correction is not recomputed: enter another correction."), code="correction")
    now = now or clock.now()
    from assignments.models import Designation

    designation = Designation.objects.select_related("lawyer__region", "quality_grade").get(pk=subsidy.designation_id)
    with transaction.atomic():
        locked = Subsidy.objects.select_for_update().get(pk=subsidy.pk)
        if locked.status != Subsidy.Status.PENDING:
            raise Conflict(_("The subsidy changed meanwhile; reload it."), code="stale")
        schedule, facts, grade, calculation = _calculation(designation=designation, notice=locked.notice,
                                                           day=clock.beijing_date(locked.computed_at))
        for name, value in dict(schedule=schedule, grade=grade, facts=facts, amount=calculation.amount,
                                recipient_share=calculation.recipient_share, payable=calculation.payable,
                                computed_at=now, note=_note(facts, calculation)).items():
            setattr(locked, name, value)
        history.save(locked, actor=actor)
        _write_lines(locked, calculation)
    return locked


def _move(subsidy, to, actor, **fields) -> Subsidy:
    """Compare-and-set: from the status the caller saw to `to`, or Conflict."""
    with transaction.atomic():
        locked = Subsidy.objects.select_for_update().get(pk=subsidy.pk)
        if locked.status != subsidy.status or not transitions.can_become(locked, to):
            if to == Subsidy.Status.PAID and locked.status == Subsidy.Status.PENDING:
                raise Conflict(_("This subsidy is not approved: it cannot be paid."), code="not_approved")
            if locked.status == Subsidy.Status.PAID:
                _refuse_if_paid(locked)
            raise Conflict(_("This subsidy is %(status)s: it cannot become %(to)s.")
                           % {"status": locked.get_status_display(), "to": Subsidy.Status(to).label},
                           code="illegal_transition")
        # Its record is its history (simple-history): a subsidy has no case-log row of its own.
        transitions.transition(locked, to, actor=actor, code=None, changes=fields)
    return locked


def subsidy_approve(*, subsidy: Subsidy, actor, now=None) -> Subsidy:
    _require(may_approve(actor), _("Only a supervisor may approve a subsidy."))
    if subsidy.status == Subsidy.Status.PENDING and not subsidy.lines.exists():
        raise Conflict(_("This subsidy has no calculation (no schedule covered the case): enter the schedule and "
                         "recompute it first."), code="incomplete")
    return _move(subsidy, Subsidy.Status.APPROVED, actor, approved_at=now or clock.now(), approved_by=actor)


def subsidy_pay(*, subsidy: Subsidy, paid_on, reference: str, actor, now=None) -> Subsidy:
    """Record the payment: the date it was paid and the bank or treasury reference."""
    _require(may_record_payment(actor), _("Only agency staff may record a payment."))
    today = clock.beijing_date(now or clock.now())
    if not isinstance(paid_on, dt.date):
        raise InvalidInput(_("Give the date of payment."), code="required", field="paid_on")
    if paid_on > today:
        raise InvalidInput(_("The payment date cannot be in the future."), code="future_date", field="paid_on")
    if subsidy.approved_at and paid_on < clock.beijing_date(subsidy.approved_at):
        raise InvalidInput(_("The payment date cannot be before the approval."), code="before_approval",
                           field="paid_on")
    reference = (reference or "").strip()
    if not reference:
        raise InvalidInput(_("Give the payment reference."), code="required", field="reference")
    if len(reference) > 64:
        raise InvalidInput(_("The payment reference is at most 64 characters."), code="too_long", field="reference")
    return _move(subsidy, Subsidy.Status.PAID, actor, paid_on=paid_on, payment_reference=reference, paid_by=actor)


def subsidy_correct(*, subsidy: Subsidy, amount, reason: str, actor, now=None) -> Subsidy:
    """A paid subsidy was wrong: a new entry for the difference (positive: owed to the lawyer;
    negative: to be recovered), with its reason, through approval and payment like any other."""
    _require(may_record_payment(actor), _("Only agency staff may enter a correction."))
    if subsidy.status != Subsidy.Status.PAID:
        raise Conflict(_("Only a paid subsidy is corrected; recompute an unpaid one instead."), code="not_paid")
    delta = parse_amount(amount, field="amount", allow_negative=True)
    if delta == 0:
        raise InvalidInput(_("A correction changes the amount."), code="zero_amount", field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the correction."), code="required", field="reason")
    now = now or clock.now()
    with transaction.atomic():
        correction = Subsidy(designation_id=subsidy.designation_id, notice_id=subsidy.notice_id,
                             lawyer_id=subsidy.lawyer_id, schedule_id=subsidy.schedule_id, kind=Subsidy.Kind.CORRECTION,
                             corrects=subsidy, grade=subsidy.grade, facts=subsidy.facts, amount=delta,
                             recipient_share=rules.money(0), payable=delta, computed_at=now, note=reason)
        history.save(correction, actor=actor)
        SubsidyLine.objects.create(subsidy=correction, position=1, code="correction",
                                   label=(_("Correction of the subsidy paid on %(day)s: %(reason)s")
                                          % {"day": subsidy.paid_on, "reason": reason})[:255],
                                   basis=rules.BASIS_ITEM, amount=delta)
    return correction
