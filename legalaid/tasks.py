from celery import shared_task

from legalaid.api import idempotency


@shared_task(name="legalaid.tasks.idempotency_purge")
def idempotency_purge():
    return idempotency.purge()
