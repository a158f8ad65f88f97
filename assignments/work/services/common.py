"""Pieces the work services share: who may act on a notice, saving with the history's author,
telling people, and starting a clock that may already run."""
from django.utils.translation import gettext as _

from assignments.models import Designation
from cases.deadlines import services as deadlines
from cases.services import NoticeNotOpen
from legalaid.errors import IllegalTransition, NotPermitted
from legalaid.models import Role

MAX_FILES = 10


def lawyer_designation(notice, actor) -> Designation:
    """The acting lawyer's accepted designation on a locked notice, locked too. A lawyer with no
    designation on it may not act (the views answer 404 before this); one whose designation is
    pending or over gets 409."""
    if actor is None or actor.role != Role.LAWYER:
        raise NotPermitted(_("Only the designated lawyer may do this."))
    mine = list(Designation.objects.select_for_update(of=("self",)).select_related("lawyer__user")
                .filter(notice=notice, lawyer__user=actor).order_by("-designated_at", "-id"))
    if not mine:
        raise NotPermitted(_("You are not designated on this notice."), code="not_designated")
    if not notice.is_open:
        raise NoticeNotOpen(_("The notice is %(status)s: nothing more can be logged on it.")
                            % {"status": notice.get_status_display()})
    current = mine[0]
    if current.status == Designation.Status.PENDING:
        raise IllegalTransition(_("Accept the designation before logging work on it."),
                                code="designation_not_accepted")
    if current.status != Designation.Status.ACCEPTED:
        raise IllegalTransition(_("Your designation on this notice has ended."), code="designation_not_current")
    return current


def current_lawyer_users(notice) -> list:
    designation = (Designation.objects.select_related("lawyer__user")
                   .filter(notice=notice, status__in=Designation.CURRENT).first())
    user = designation.lawyer.user if designation else None
    return [user] if user and user.is_active else []


def notify(key, recipients, kind, notice, *, link=None, **params):
    from notifications.services import notify as send

    send(key=key, recipients=recipients, kind=kind, notice=notice, link=link or f"/lawyer/cases/{notice.pk}/",
         params={"case": notice.case.case_number, "defendant": notice.defendant.name, "court": notice.court.name,
                 **params})


def clock_start_unless_running(notice, code, *, start, now):
    """Start a clock unless one for the same rule already runs on the notice: the running one counts
    from the earlier trigger, which is the one the law measures (a second request does not give the
    other side more time for the first)."""
    if deadlines.open_deadline(notice, code) is None:
        deadlines.deadline_open(notice=notice, code=code, start=start, now=now)


def clock_meet(notice, code, *, at, actor):
    """Close the notice's running clock `code` if what was done (at `at`) came after it started."""
    deadline = deadlines.open_deadline(notice, code)
    if deadline is not None and deadline.trigger_at <= at:
        deadlines.deadline_close(notice=notice, code=code, at=at, actor=actor)
