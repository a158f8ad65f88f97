"""Celery tasks of the cases app: thin, they take ids or nothing and call a service."""
from celery import shared_task

from cases.deadlines import enforcement


@shared_task(name="cases.tasks.deadline_sweep", acks_late=True)
def deadline_sweep():
    return enforcement.sweep()
