"""Duty lawyers (值班律师, M 2(4)-(5); CPL 36, 174): shifts at court and detention-centre stations,
interim-help requests routed to the lawyer on shift, duty notices designated to the lawyer on
shift, and the plea-signing sessions the duty lawyer attends."""
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.recommendation import recommend
from assignments.services import designations
from assignments.models import DutyShift, InterimHelpRequest, Lawyer, LeavePeriod, PleaSession, Suspension
from cases.models import Category, Notice
from legalaid import clock, history
from cases.services import lock
from legalaid.errors import InvalidInput, NotPermitted
from legalaid.permissions import require_writer
from notifications.recipients import agency_staff


WRITERS_ONLY = gettext_lazy("Only agency staff may change duty rosters.")


def duty_shift_add(*, station, date, lawyer, actor) -> DutyShift:
    """Put a lawyer on shift at a station for a day: an active lawyer, neither suspended nor on
    leave that day."""
    require_writer(actor, WRITERS_ONLY)
    if lawyer.status != Lawyer.Status.ACTIVE:
        raise InvalidInput(_("The lawyer is not on the active roster."), code="lawyer_not_active", field="lawyer")
    if Suspension.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=date), lawyer=lawyer, starts_on__lte=date,
                                 lifted_at__isnull=True).exists():
        raise InvalidInput(_("The lawyer is suspended on that day."), code="lawyer_suspended", field="lawyer")
    if LeavePeriod.objects.filter(lawyer=lawyer, starts_on__lte=date, ends_on__gte=date).exists():
        raise InvalidInput(_("The lawyer is on leave on that day."), code="lawyer_on_leave", field="lawyer")
    shift = DutyShift(station=station, date=date, lawyer=lawyer, created_by=actor)
    shift._history_user = actor
    try:
        with transaction.atomic():
            shift.save()
    except IntegrityError:
        raise InvalidInput(_("The lawyer is already on shift there that day."), code="duplicate_shift",
                           field="lawyer") from None
    return shift


def shift_on_duty(*, station, day):
    """The shift to route new work to: of the lawyers on shift, the one with the fewest requests that day."""
    return (DutyShift.objects.filter(station=station, date=day).select_related("lawyer__user")
            .annotate(load=Count("help_requests")).order_by("load", "id").first())


def interim_help_request_create(*, station, person_name: str, details: str, custody_place: str = "", actor,
                                now=None) -> InterimHelpRequest:
    """A request for interim legal help (before a lawyer is in place) goes to the duty lawyer on
    shift at the station; with no one on shift, the agency's staff are told."""
    from notifications.services import notify

    require_writer(actor, WRITERS_ONLY)
    now = now or clock.now()
    person_name, details = (person_name or "").strip(), (details or "").strip()
    if not person_name:
        raise InvalidInput(_("Give the person's name."), code="required", field="person_name")
    if not details:
        raise InvalidInput(_("Say what help is asked."), code="required", field="details")
    with transaction.atomic():
        shift = shift_on_duty(station=station, day=clock.beijing_date(now))
        request = InterimHelpRequest.objects.create(
            station=station, person_name=person_name, custody_place=(custody_place or "").strip(), details=details,
            requested_at=now, entered_by=actor, shift=shift)
        params = {"person": person_name, "station": station.name, "details": details}
        if shift is not None:
            user = shift.lawyer.user
            notify(key=f"help-request:{request.pk}", recipients=[user] if user else [], kind="help_request_routed",
                   params=params, link="/assignments/mine/")
        else:
            notify(key=f"help-request:{request.pk}:unrouted", kind="help_request_unrouted", params=params,
                   recipients=agency_staff(station.agency_id),
                   link="/assignments/duty/")
    return request


def duty_route_notice(*, notice, actor=None, now=None):
    """A summary or fast-track notice (category duty_lawyer) goes to the duty lawyer on shift: the
    first-ranked on-shift candidate is designated. Staff may route by hand (actor: a writer); the
    system routes every duty notice once it is received (actor None). Returns the designation, or None
    when no one is on shift or the notice no longer waits (it then stays with staff)."""
    now = now or clock.now()
    if actor is not None:
        require_writer(actor, designations.WRITERS_ONLY)
    if notice.category != Category.DUTY_LAWYER:
        raise InvalidInput(_("Only a duty-lawyer notice is routed to the lawyer on shift."), code="not_duty_notice")
    with transaction.atomic():
        notice = lock(notice)
        if notice.status not in (Notice.Status.RECEIVED, Notice.Status.INCOMPLETE):
            return None
        first = recommend(notice=notice, limit=1, excluded_limit=0, now=now).first
        if first is None:
            return None
        return designations.designate(notice, first.lawyer, actor=actor, reason="", override_reason="", now=now,
                          code="duty_lawyer_routed")


def plea_session_record(*, shift, case_number: str, defendant_name: str, signed_at, charge_opinion: str,
                        sentence_opinion: str, recording_reference: str, lawyer_present: bool = True, notice=None,
                        actor, now=None) -> PleaSession:
    """Record a plea-signing session (CPL 174): the duty lawyer on this shift was present, commented
    on the charge and the sentence proposal; the recording's reference is kept. By the lawyer of
    the shift or by agency staff."""
    now = now or clock.now()
    if actor is None or not (actor.can_write_cases or (shift.lawyer.user_id and shift.lawyer.user_id == actor.pk)):
        raise NotPermitted(_("Only the lawyer on this shift or agency staff may record the session."))
    fields = {"case_number": case_number, "defendant_name": defendant_name, "charge_opinion": charge_opinion,
              "sentence_opinion": sentence_opinion, "recording_reference": recording_reference}
    for name, value in fields.items():
        if not (value or "").strip():
            raise InvalidInput(_("This field is required."), code="required", field=name)
    if not lawyer_present:
        # CPL 174: the plea statement is signed in the presence of defence counsel or the duty lawyer.
        raise InvalidInput(_("A plea statement is signed in the duty lawyer's presence (CPL 174)."),
                           code="lawyer_not_present", field="lawyer_present")
    if signed_at > now:
        raise InvalidInput(_("The signing cannot be in the future."), code="future_time", field="signed_at")
    if clock.beijing_date(signed_at) != shift.date:
        raise InvalidInput(_("The signing was not on the day of this shift (%(day)s).") % {"day": shift.date},
                           code="outside_shift", field="signed_at")
    session = PleaSession(shift=shift, notice=notice, signed_at=signed_at, lawyer_present=True, recorded_by=actor,
                          recorded_at=now, **{k: v.strip() for k, v in fields.items()})
    history.save(session, actor=actor)
    return session
