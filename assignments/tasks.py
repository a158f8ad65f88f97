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
