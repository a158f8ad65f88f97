from celery import shared_task

from legalaid import services
from legalaid.api import idempotency


@shared_task(name="legalaid.tasks.idempotency_purge")
def idempotency_purge():
    return idempotency.purge()


@shared_task(name="legalaid.tasks.dispatch_catch_up", acks_late=True)
def dispatch_catch_up():
    """Queue the follow-up work a broker outage held back (legalaid.dispatch)."""
    return services.pending_dispatch_send()
