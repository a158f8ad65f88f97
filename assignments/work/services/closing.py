"""Closing a case (结案). The lawyer submits the closing report with the closing materials (and the
judgment when the court did not report it); the system checks the duties of M 20 from the work log
and refuses with the list of what is missing; staff accept (the notice is closed, the designation
ends, the grade and the subsidy follow) or return it with a note. After acceptance only a supervisor
may amend it, with a reason."""
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.load import load_designation_moved
from assignments.models import Designation
from assignments.work import selectors
from assignments.work.models import Closing, WorkDocument
from assignments.work.services import common
from assignments.work.services.entries import check_files
from assignments.work.uploads import work_document_store
from cases.deadlines import services as deadlines
from cases.models import Notice
from cases.services import event_log, lock, transition
from legalaid.permissions import is_supervisor
from legalaid import clock, history, hooks, transitions
from legalaid.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from notifications.recipients import agency_staff

def on_closing_accepted(*, closing, actor, now):
    """A closing was accepted: what follows from it (the grade, then the subsidy) is declared in
    legalaid/hooks.py (`closing_accepted`) and runs here, in the same transaction."""
    hooks.run("closing_accepted", closing=closing, actor=actor, now=now)


class DutiesMissing(Conflict):
    code = "duties_missing"


# --- Submitting, reviewing, amending --------------------------------------------------------------

def closing_submit(*, notice, summary: str, materials=(), judgment=None, actor, now=None) -> Closing:
    """The lawyer closes the case. Refused (409, duties_missing, with the list) while a duty of
    M 20 is not in the work log; nothing is stored then."""
    now = now or clock.now()
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("Write the closing report."), code="required", field="summary")
    checked_materials = check_files(materials)
    checked_judgment = check_files([judgment] if judgment else [])
    with transaction.atomic():
        notice = lock(notice)
        designation = common.lawyer_designation(notice, actor)
        closing = Closing.objects.select_for_update().filter(notice=notice).first()
        if closing is not None and closing.status == Closing.Status.SUBMITTED:
            raise IllegalTransition(_("The closing is already with the agency for review."),
                                    code="closing_under_review")
        has_judgment = bool(checked_judgment) or (closing is not None and closing.documents.filter(
            kind=WorkDocument.Kind.JUDGMENT).exists())
        duties = selectors.duties_check(notice=notice, designation=designation, judgment_attached=has_judgment)
        missing = selectors.missing_duties(duties)
        if missing:
            raise DutiesMissing(
                _("The case cannot be closed yet. Missing: %(missing)s.")
                % {"missing": "; ".join(f"{d['title']} ({d['basis']})" for d in missing)},
                field="duties", extra={"missing": [d["code"] for d in missing]})
        before = closing.status if closing else ""
        fields = {"designation": designation, "lawyer": designation.lawyer, "summary": summary, "duties": duties,
                  "submitted_at": now, "submitted_by": actor, "reviewed_at": None, "reviewed_by": None}
        if closing is None:
            closing = Closing(notice=notice, status=Closing.Status.SUBMITTED, **fields)
            history.save(closing, actor=actor)
        else:  # returned to the lawyer, submitted again; the event row is written below, with the files
            transitions.transition(closing, Closing.Status.SUBMITTED, actor=actor, code=None, now=now, changes=fields)
        stored = [work_document_store(notice=notice, closing=closing, upload=upload, content_type=content_type,
                                      actor=actor, now=now, kind=WorkDocument.Kind.CLOSING_MATERIAL)
                  for upload, content_type in checked_materials]
        stored += [work_document_store(notice=notice, closing=closing, upload=upload, content_type=content_type,
                                       actor=actor, now=now, kind=WorkDocument.Kind.JUDGMENT)
                   for upload, content_type in checked_judgment]
        event_log(notice=notice, code="closing_submitted", actor=actor, at=now, data={
            "closing": closing.pk, "resubmitted": before == Closing.Status.RETURNED,
            "duties": {d["code"]: d["met"] for d in duties}, "documents": [d.pk for d in stored]})
        common.notify(f"closing:{closing.pk}:submitted:{now.timestamp():.0f}", agency_staff(notice.agency_id),
                      "closing_submitted", notice, link=f"/notices/{notice.pk}/#closing", lawyer=designation.lawyer.name)
    return closing


def _lock_closing(closing, actor):
    if actor is None or not actor.can_write_cases:
        raise NotPermitted(_("Only agency staff review closings."))
    notice = lock(closing.notice)
    closing = Closing.objects.select_for_update(of=("self",)).select_related("lawyer__user").get(pk=closing.pk)
    return notice, closing


def closing_accept(*, closing, actor, note: str = "", now=None) -> Closing:
    """Staff accept the closing: the notice is closed (cases.services.transition), the designation
    ends as completed, clocks still running stop, and on_closing_accepted runs."""
    now = now or clock.now()
    with transaction.atomic():
        notice, closing = _lock_closing(closing, actor)
        if not transitions.can_become(closing, Closing.Status.ACCEPTED):
            raise IllegalTransition(_("Only a submitted closing can be accepted."), code="closing_not_submitted")
        designation = Designation.objects.select_for_update(of=("self",)).get(pk=closing.designation_id)
        if not designation.is_current:
            raise IllegalTransition(_("The lawyer who submitted this closing is no longer designated: return it."),
                                    code="closing_designation_ended")
        # One event row for the three changes: the notice's (closing_accepted).
        transitions.transition(closing, Closing.Status.ACCEPTED, actor=actor, code=None, now=now, changes={
            "reviewed_at": now, "reviewed_by": actor, "accepted_at": now, "review_note": (note or "").strip()})
        transition(notice, Notice.Status.CLOSED, actor=actor, code="closing_accepted", now=now,
                   data={"closing": closing.pk, "lawyer": closing.lawyer.name})
        was = designation.status
        transitions.transition(designation, Designation.Status.ENDED, actor=actor, code=None, now=now, changes={
            "ended_at": now, "ended_by": actor, "end_reason": Designation.EndReason.CLOSED})
        load_designation_moved(designation=designation, was=was)
        deadlines.deadlines_waive_all(notice=notice, actor=actor, reason=_("The case is closed."))
        on_closing_accepted(closing=closing, actor=actor, now=now)
        user = closing.lawyer.user
        if user and user.is_active:
            common.notify(f"closing:{closing.pk}:accepted", [user], "closing_accepted", notice)
    return closing


def closing_return(*, closing, note: str, actor, now=None) -> Closing:
    """Staff return the closing to the lawyer with what to fix."""
    now = now or clock.now()
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say what the lawyer should fix."), code="required", field="note")
    with transaction.atomic():
        notice, closing = _lock_closing(closing, actor)
        transitions.transition(
            closing, Closing.Status.RETURNED, actor=actor, code="closing_returned", now=now,
            data={"closing": closing.pk, "note": note}, changes={"reviewed_at": now, "reviewed_by": actor,
                                                                  "review_note": note},
            refused=IllegalTransition(_("Only a submitted closing can be returned."), code="closing_not_submitted"))
        user = closing.lawyer.user
        if user and user.is_active:
            common.notify(f"closing:{closing.pk}:returned:{now.timestamp():.0f}", [user], "closing_returned",
                          notice, note=note)
    return closing


def closing_amend(*, closing, summary: str, reason: str, actor, now=None) -> Closing:
    """A supervisor amends an accepted closing's report, saying why (the old text stays in the
    history)."""
    now = now or clock.now()
    summary, reason = (summary or "").strip(), (reason or "").strip()
    if not is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor may amend an accepted closing."), code="closed_needs_supervisor")
    if not summary:
        raise InvalidInput(_("Write the closing report."), code="required", field="summary")
    if not reason:
        raise InvalidInput(_("Say why the closing is amended."), code="reason_required", field="reason")
    with transaction.atomic():
        notice, closing = _lock_closing(closing, actor)
        if closing.status != Closing.Status.ACCEPTED:
            raise IllegalTransition(_("Only an accepted closing is amended; the lawyer resubmits the others."),
                                    code="closing_not_accepted")
        closing.summary = summary
        history.save(closing, actor=actor, fields=["summary"])
        event_log(notice=notice, code="closing_amended", actor=actor, at=now,
                  data={"closing": closing.pk, "reason": reason})
    return closing
