"""Designating a lawyer to a notice (M 5), the lawyer's answer, and everything that undoes a
designation: the defendant's refusal (M 6; SPCI 50, 311), retained counsel (N2018; LAL 48),
termination by the agency (LAL 48) and replacement (LAL 55).

Concurrency: every service locks the notice first (cases.services.lock), so two staff designating
the same notice at once run one after the other; the second finds the notice assigned and gets 409.
The partial unique index on current designations stops a second one even if a guard were missed."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assignments import recommendation, rules
from assignments.load import load_designation_moved, loads_lock
from assignments.models import Designation, Lawyer, Refusal
from cases.deadlines import services as deadlines
from cases.deadlines.models import Deadline
from cases.models import Notice
from cases.services import event_log, lock, transition
from legalaid import clock
from legalaid.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from legalaid.models import Role, User

ASSIGN_RULE = "agency_assign_lawyer"


class AlreadyDesignated(Conflict):
    code = "already_designated"


def _require_writer(actor):
    if actor is None or not actor.can_write_cases:
        raise NotPermitted(_("Only agency staff may designate lawyers."))


def _is_supervisor(user) -> bool:
    return user.role == Role.SUPERVISOR or user.is_administrator


def _require_open(notice):
    if not notice.is_open:
        raise IllegalTransition(_("The notice is %(status)s: nothing can be designated on it.")
                                % {"status": notice.get_status_display()}, code="notice_not_open")


def _current(notice) -> Designation | None:
    return (Designation.objects.select_for_update(of=("self",)).select_related("lawyer__user", "lawyer__firm")
            .filter(notice=notice, status__in=Designation.CURRENT).first())


def _save(obj, fields, actor):
    obj._history_user = actor
    obj.save(update_fields=fields)


def _touch(notice, actor, now):
    notice.updated_at = now
    _save(notice, ["updated_at"], actor)


def _staff(notice):
    return User.objects.filter(agency=notice.agency, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True)


def _court_users(notice):
    return User.objects.filter(court=notice.court, role=Role.COURT, is_active=True)


def _params(notice, **extra):
    return {"case": notice.case.case_number, "defendant": notice.defendant.name, "court": notice.court.name,
            "agency": notice.agency.name, **extra}


def _notify(key, recipients, kind, notice, link=None, **params):
    from notifications.services import notify

    notify(key=key, recipients=recipients, kind=kind, notice=notice, link=link or f"/notices/{notice.pk}/",
           params=_params(notice, **params))


def _lawyer_users(designation):
    user = designation.lawyer.user
    return [user] if user and user.is_active else []


# --- Designating -------------------------------------------------------------------------------

def _guard_designatable(notice, now):
    _require_open(notice)
    if notice.status == Notice.Status.ASSIGNED:
        raise AlreadyDesignated(_("A lawyer is already designated on this notice."))
    waiting = deadlines.open_deadline(notice, rules.RETAIN_DAYS_RULE)
    if waiting and waiting.due_at >= now:
        raise Conflict(_("The defendant may retain counsel until %(due)s (SPCI 50); designate after that.")
                       % {"due": clock.to_beijing(waiting.due_at).strftime("%Y-%m-%d %H:%M")},
                       code="awaiting_retained_counsel")


def _letter(notice, lawyer, kind, now) -> dict:
    """What the letter to the court says (M 5: the lawyer's name, firm and contact; the case; the
    defendant), frozen at designation."""
    firm = lawyer.firm
    return {
        "agency": notice.agency.name, "agency_phone": notice.agency.phone, "agency_address": notice.agency.address,
        "court": notice.court.name, "case_number": notice.case.case_number, "defendant": notice.defendant.name,
        "charges": list(notice.defendant.charges), "lawyer": lawyer.name, "licence_number": lawyer.licence_number,
        "firm": firm.name, "firm_address": firm.address, "phone": lawyer.phone, "kind": kind,
        "date": clock.beijing_date(now).isoformat(), "basis": "M 5; N2018; LAL 36",
    }


def _designate(notice, lawyer, *, actor, reason, override_reason, now, replaces=None, code="lawyer_designated"):
    """The designation itself, on a locked notice whose state the caller checked."""
    reason, override_reason = (reason or "").strip(), (override_reason or "").strip()
    rec = recommendation.recommend(notice=notice, excluded_limit=0, now=now)
    first = rec.first
    position = rec.position(lawyer.pk) or recommendation.assess(notice=notice, lawyer_id=lawyer.pk, now=now)
    failed = position.failed
    if failed:
        # A hard filter may be overridden only by a supervisor, in writing (issue 4 §3).
        if not override_reason:
            raise InvalidInput(_("This lawyer cannot be designated: %(why)s.")
                               % {"why": "; ".join(f"{f['title']} ({f['basis']})" for f in failed)},
                               code="lawyer_not_eligible", field="lawyer", extra={"excluded_by": failed})
        if not _is_supervisor(actor):
            raise NotPermitted(_("Overriding %(why)s needs a supervisor.")
                               % {"why": "; ".join(str(f["title"]) for f in failed)},
                               code="override_needs_supervisor", extra={"excluded_by": failed})
    is_first = first is not None and first.lawyer.pk == lawyer.pk
    if not is_first and not (reason or override_reason):
        raise InvalidInput(_("Say why you designate this lawyer rather than the first-ranked candidate."),
                           code="reason_required", field="reason")
    kind = Designation.Kind.DUTY if rec.duty else Designation.Kind.DEFENCE
    earlier = Designation.objects.filter(notice=notice).exclude(status=Designation.Status.DECLINED).exists()
    designation = Designation(
        notice=notice, lawyer=lawyer, kind=kind, status=Designation.Status.PENDING, designated_at=now,
        designated_by=actor, rank=position.rank, first_candidate=first.lawyer if first else None,
        ranking={k: v for k, v in position.as_dict().items() if k != "lawyer"},
        reason=reason or override_reason, overridden_filters=[f["code"] for f in failed],
        override_reason=override_reason if failed else "", override_by=actor if failed else None,
        replaces=replaces, shift_id=position.shift_id, letter=_letter(notice, lawyer, kind, now))
    designation._history_user = actor
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError:
        raise AlreadyDesignated(_("A lawyer is already designated on this notice.")) from None
    load_designation_moved(designation=designation, was=None)
    designation.letter_number = f"{clock.beijing_date(now).year}-{designation.pk:06d}"
    _save(designation, ["letter_number"], actor)
    data = {"designation": designation.pk, "lawyer": lawyer.name, "lawyer_id": lawyer.pk, "firm": lawyer.firm.name,
            "rank": position.rank, "first_candidate": first.lawyer.name if first else None, "reason": designation.reason,
            "overridden": designation.overridden_filters, "kind": kind,
            "replaces": replaces.pk if replaces else None}
    if notice.status == Notice.Status.ASSIGNED:
        event_log(notice=notice, code=code, actor=actor, from_status=notice.status, to_status=notice.status,
                  data=data, at=now)
        _touch(notice, actor, now)
    else:
        transition(notice, Notice.Status.ASSIGNED, actor=actor, code=code, data=data, now=now)
    deadlines.deadline_close(notice=notice, code=ASSIGN_RULE, at=now, actor=actor)
    waiting = deadlines.open_deadline(notice, rules.RETAIN_DAYS_RULE)
    if waiting:
        deadlines.deadline_waive(deadline=waiting, actor=actor, at=now, reason=_(
            "No counsel was retained in time; the agency designated another lawyer (SPCI 50)."))
    if earlier and notice.case.hearing_starts_at and notice.case.hearing_starts_at > now \
            and not deadlines.open_deadline(notice, "new_counsel_preparation"):
        # New counsel has at least 15 days to prepare (SPCI 313): the court's clock.
        deadlines.deadline_open(notice=notice, code="new_counsel_preparation", start=now, now=now)
    _notify(f"designation:{designation.pk}:made", _lawyer_users(designation), "designation_made", notice,
            link="/assignments/mine/", lawyer=lawyer.name)
    _notify(f"designation:{designation.pk}:court", _court_users(notice), "designation_to_court", notice,
            link=f"/api/v1/notices/{notice.pk}/", lawyer=lawyer.name, firm=lawyer.firm.name, phone=lawyer.phone)
    return designation


def lawyer_designate(*, notice, lawyer: Lawyer, actor, reason: str = "", override_reason: str = "",
                     now=None) -> Designation:
    """Staff designate a lawyer on a received (or incomplete) notice: a candidate of the
    recommendation, or another lawyer with a recorded reason; a lawyer a hard filter excludes only
    by a supervisor's written override. Closes the agency's designation clock (met or met late)."""
    now = now or clock.now()
    _require_writer(actor)
    with transaction.atomic():
        notice = lock(notice)
        _guard_designatable(notice, now)
        return _designate(notice, lawyer, actor=actor, reason=reason, override_reason=override_reason, now=now)


# --- The lawyer's answer -------------------------------------------------------------------------

def _lock_designation(designation, actor):
    notice = lock(designation.notice)
    designation = (Designation.objects.select_for_update(of=("self",)).select_related("lawyer__user", "lawyer__firm")
                   .get(pk=designation.pk))
    if actor is None or designation.lawyer.user_id != actor.pk:
        raise NotPermitted(_("Only the designated lawyer may answer this designation."))
    if designation.status != Designation.Status.PENDING:
        raise IllegalTransition(_("This designation was already answered or has ended."),
                                code="designation_not_pending")
    return notice, designation


def designation_accept(*, designation, actor, now=None) -> Designation:
    """The lawyer accepts: their 3-day clock to file the legal aid papers with the court starts
    (SPCI 52)."""
    now = now or clock.now()
    with transaction.atomic():
        notice, designation = _lock_designation(designation, actor)
        designation.status, designation.answered_at = Designation.Status.ACCEPTED, now
        _save(designation, ["status", "answered_at"], actor)
        event_log(notice=notice, code="designation_accepted", actor=actor, at=now,
                  data={"designation": designation.pk, "lawyer": designation.lawyer.name})
        deadlines.deadline_open(notice=notice, code="lawyer_file_papers", start=now, now=now)
    return designation


def designation_decline(*, designation, actor, reason: str, now=None) -> Designation:
    """The lawyer declines with a reason: the notice goes back to recommendation and the agency's
    clock keeps running from where it started (issue 4 §3)."""
    now = now or clock.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for declining."), code="reason_required", field="reason")
    with transaction.atomic():
        notice, designation = _lock_designation(designation, actor)
        was = designation.status
        designation.status, designation.answered_at, designation.decline_reason = (
            Designation.Status.DECLINED, now, reason)
        _save(designation, ["status", "answered_at", "decline_reason"], actor)
        load_designation_moved(designation=designation, was=was)
        transition(notice, Notice.Status.RECEIVED, actor=actor, code="designation_declined", now=now,
                   data={"designation": designation.pk, "lawyer": designation.lawyer.name, "reason": reason})
        _restart_assign_clock(notice, now=now)
        _notify(f"designation:{designation.pk}:declined", _staff(notice), "designation_declined", notice,
                link=f"/notices/{notice.pk}/designation/", lawyer=designation.lawyer.name, reason=reason)
    return designation


def _restart_assign_clock(notice, *, now):
    """Open the agency's designation clock again, counted from the same start as the one the
    declined designation closed: the time already spent stays spent."""
    last = Deadline.objects.filter(notice=notice, rule_code=ASSIGN_RULE).order_by("-created_at", "-id").first()
    if deadlines.open_deadline(notice, ASSIGN_RULE) is None:
        deadlines.deadline_open(notice=notice, code=ASSIGN_RULE, start=last.trigger_at if last else notice.received_at,
                                now=now)


# --- Undoing a designation ---------------------------------------------------------------------

def _end(designation, reason, *, actor, now, ground="", note=""):
    was = designation.status
    designation.status, designation.ended_at, designation.ended_by = Designation.Status.ENDED, now, actor
    designation.end_reason, designation.end_ground, designation.end_note = reason, ground, note
    _save(designation, ["status", "ended_at", "ended_by", "end_reason", "end_ground", "end_note"], actor)
    load_designation_moved(designation=designation, was=was)
    _notify(f"designation:{designation.pk}:ended", _lawyer_users(designation), "designation_ended",
            designation.notice, link="/assignments/mine/", why=str(Designation.EndReason(reason).label), note=note)


def counsel_changes(notice) -> int:
    """Changes of counsel so far (SPCI 311): allowed refusals, and replacements the defendant asked for."""
    refusals = Refusal.objects.filter(
        notice=notice, outcome__in=[b.outcome for b in rules.REFUSAL_BRANCHES.values() if b.changes_counsel]).count()
    asked = [g.code for g in rules.REPLACEMENT_GROUNDS.values() if g.changes_counsel]
    return refusals + Designation.objects.filter(notice=notice, end_reason=Designation.EndReason.REPLACED,
                                                 end_ground__in=asked).count()


def designation_refused(*, notice, reason: str, valid_reason: bool, defend_self=None, actor, now=None) -> Refusal:
    """The court reports that the defendant refused the designated lawyer (`defendant_refused`).
    The refusal is recorded in writing (N2018) and rules.refusal_branch decides what follows."""
    now = now or clock.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Record the defendant's reason for refusing."), code="required", field="reason")
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        current = _current(notice)
        if current is None:
            raise IllegalTransition(_("No lawyer is designated on this notice: there is nothing to refuse."),
                                    code="no_designation")
        branch = rules.refusal_branch(category=notice.category, valid_reason=valid_reason, defend_self=defend_self,
                                      changes_so_far=counsel_changes(notice))
        refusal = Refusal.objects.create(
            notice=notice, designation=current, reason=reason, valid_reason=valid_reason, defend_self=defend_self,
            category=notice.category, outcome=branch.outcome, basis=branch.basis, reported_by=actor, reported_at=now)
        data = {"refusal": refusal.pk, "reason": reason, "valid_reason": valid_reason, "defend_self": defend_self,
                "outcome": branch.outcome, "basis": branch.basis, "lawyer": current.lawyer.name,
                "designation": current.pk}
        if branch.outcome in ("not_allowed", "limit_reached"):
            event_log(notice=notice, code="defendant_refused", actor=actor, at=now, from_status=notice.status,
                      to_status=notice.status, data=data)
            _touch(notice, actor, now)
        elif branch.outcome == "terminated":
            _end(current, Designation.EndReason.TERMINATED, actor=actor, now=now, ground="self_defence", note=reason)
            transition(notice, Notice.Status.TERMINATED, actor=actor, code="defendant_refused", now=now, data=data)
            deadlines.deadlines_waive_all(notice=notice, actor=actor, reason=_(
                "Legal aid terminated: the defendant defends themself (Measures Art. 6)."))
        else:
            _end(current, Designation.EndReason.REFUSED, actor=actor, now=now, ground=branch.outcome, note=reason)
            transition(notice, Notice.Status.RECEIVED, actor=actor, code="defendant_refused", now=now, data=data)
            start = now
            if branch.outcome == "retain_window":
                waiting = deadlines.deadline_open(notice=notice, code=rules.RETAIN_DAYS_RULE, start=now, now=now)
                # If no one is retained, the agency designates again: its clock counts from the
                # end of the defendant's 5 days (SPCI 50; inference: the court's 3 days to notify
                # are not waited for).
                start = waiting.due_at
            if deadlines.open_deadline(notice, ASSIGN_RULE) is None:
                deadlines.deadline_open(notice=notice, code=ASSIGN_RULE, start=start, now=now)
        _notify(f"refusal:{refusal.pk}", _staff(notice), "defendant_refused", notice,
                link=f"/notices/{notice.pk}/designation/", lawyer=current.lawyer.name,
                outcome=str(branch.title), basis=branch.basis)
    return refusal


def designation_end_for_notice(*, notice, reason: str, now=None, actor=None) -> Designation | None:
    """Called by cases.services when aid ends for a reason reported by the court (retained
    counsel: N2018; LAL 48): the current designation ends and the lawyer is told. Runs inside the
    caller's transaction, on its locked notice."""
    now = now or clock.now()
    current = _current(notice)
    if current is None:
        return None
    end_reason = Designation.EndReason.WITHDRAWN if reason == "retained_counsel" else Designation.EndReason.TERMINATED
    _end(current, end_reason, actor=actor, now=now, ground=reason)
    return current


def notice_aid_terminate(*, notice, ground: str, note: str, actor, now=None) -> Notice:
    """The agency terminates legal aid on a LAL 48 ground, with its written reasons; the recipient
    may object within 5 days (LAL 49). The lawyer and the court are told."""
    now = now or clock.now()
    _require_writer(actor)
    if ground not in rules.TERMINATION_GROUNDS:
        raise InvalidInput(_("Choose a ground of Legal Aid Law Art. 48."), code="invalid_choice", field="ground")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write the reasons for terminating legal aid."), code="required", field="note")
    g = rules.TERMINATION_GROUNDS[ground]
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        current = _current(notice)
        if current:
            _end(current, Designation.EndReason.TERMINATED, actor=actor, now=now, ground=ground, note=note)
        transition(notice, Notice.Status.TERMINATED, actor=actor, code="aid_terminated", now=now, data={
            "ground": ground, "basis": g.basis, "note": note, "objection": rules.TERMINATION_OBJECTION,
            "designation": current.pk if current else None})
        deadlines.deadlines_waive_all(notice=notice, actor=actor, reason=_("Legal aid terminated (%(basis)s).")
                                      % {"basis": g.basis})
        _notify(f"notice:{notice.pk}:terminated", _court_users(notice), "aid_terminated", notice,
                link=f"/api/v1/notices/{notice.pk}/", ground=str(g.title), basis=g.basis)
    return notice


def designation_replace(*, notice, lawyer: Lawyer, ground: str, note: str, actor, reason: str = "",
                        override_reason: str = "", now=None) -> Designation:
    """The agency replaces the designated lawyer with another (LAL 55: the recipient's complaint;
    or the lawyer cannot continue). A replacement the defendant asked for counts towards the two
    changes of counsel SPCI 311 allows."""
    now = now or clock.now()
    _require_writer(actor)
    if ground not in rules.REPLACEMENT_GROUNDS:
        raise InvalidInput(_("Choose a ground for the replacement."), code="invalid_choice", field="ground")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write why the lawyer is replaced."), code="required", field="note")
    g = rules.REPLACEMENT_GROUNDS[ground]
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        current = _current(notice)
        if current is None:
            raise IllegalTransition(_("No lawyer is designated on this notice: designate one instead."),
                                    code="no_designation")
        if current.lawyer_id == lawyer.pk:
            raise InvalidInput(_("Choose a different lawyer."), code="same_lawyer", field="lawyer")
        if g.changes_counsel and counsel_changes(notice) >= rules.MAX_COUNSEL_CHANGES:
            raise Conflict(_("Counsel has already been changed twice in this procedure (SPCI 311)."),
                           code="change_limit_reached")
        loads_lock(lawyer_ids=[current.lawyer_id, lawyer.pk])
        _end(current, Designation.EndReason.REPLACED, actor=actor, now=now, ground=ground, note=note)
        return _designate(notice, lawyer, actor=actor, reason=reason or note, override_reason=override_reason,
                          now=now, replaces=current, code="lawyer_replaced")
