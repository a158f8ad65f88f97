"""Celery tasks of the cases app: thin, they take ids or nothing and call a service."""
from celery import shared_task

from cases.deadlines import enforcement


@shared_task(name="cases.tasks.deadline_sweep", acks_late=True)
def deadline_sweep(batch_size: int | None = None):
    """The periodic sweep (legalaid/celery.py declares its interval). Safe to run in several workers
    at once and to redeliver after a worker died: see cases.deadlines.enforcement."""
    return enforcement.sweep(batch_size=batch_size)
