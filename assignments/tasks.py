"""Celery tasks of the assignments app: thin, ids in, a service call."""
from celery import shared_task

from assignments.services.duty import duty_route_notice
from assignments.work.services import meetings_flag_unverified as flag
from cases.models import Category, Notice
from legalaid import dispatch


@shared_task(name="assignments.tasks.duty_route", acks_late=True)
def duty_route(notice_id):
    notice = Notice.objects.select_related("case", "defendant", "court__region").filter(pk=notice_id).first()
    if notice is not None:
        designation = duty_route_notice(notice=notice)
        return designation.pk if designation else None
    return None


def on_notice_received(*, notice):
    """legalaid/hooks.py, `notice_received`: a summary or fast-track notice goes to the duty lawyer
    on shift (M 2(4)) once committed. Queued after the commit; while the broker is down, kept for
    the catch-up instead of failing the court's request (legalaid.dispatch)."""
    if notice.category == Category.DUTY_LAWYER:
        dispatch.on_commit(duty_route, str(notice.pk))


@shared_task(name="assignments.tasks.meetings_flag_unverified", acks_late=True)
def meetings_flag_unverified():
    """Hourly (legalaid/celery.py): flag self-reported meetings the detention centre has no record
    of after the grace period (assignments.work.rules.MEETING_VERIFY_GRACE). Each is flagged once."""
    return flag()


@shared_task(name="assignments.tasks.load_check", acks_late=True)
def load_check():
    """Hourly (legalaid/celery.py): recompute every lawyer's load from the designations, repair and
    record any difference (assignments.load)."""
    from assignments.load import load_check as check

    run = check()
    return {"lawyers": run.lawyers, "drifted": run.drifted}
