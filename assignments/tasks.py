"""Celery tasks of the assignments app: thin, ids in, a service call."""
from celery import shared_task

from cases.models import Notice


@shared_task(name="assignments.tasks.duty_route", acks_late=True)
def duty_route(notice_id):
    from assignments.services.duty import duty_route_notice

    notice = Notice.objects.select_related("case", "defendant", "court__region").filter(pk=notice_id).first()
    if notice is not None:
        designation = duty_route_notice(notice=notice)
        return designation.pk if designation else None
    return None


@shared_task(name="assignments.tasks.meetings_flag_unverified", acks_late=True)
def meetings_flag_unverified():
    """Hourly (legalaid/celery.py): flag self-reported meetings the detention centre has no record
    of after the grace period (assignments.work.rules.MEETING_VERIFY_GRACE). Each is flagged once."""
    from assignments.work.services import meetings_flag_unverified as flag

    return flag()


@shared_task(name="assignments.tasks.load_check", acks_late=True)
def load_check():
    """Hourly (legalaid/celery.py): recompute every lawyer's load from the designations, repair and
    record any difference (assignments.load)."""
    from assignments.load import load_check as check

    run = check()
    return {"lawyers": run.lawyers, "drifted": run.drifted}
