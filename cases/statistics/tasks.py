"""The periodic refresh of the figures (declared in legalaid/celery.py): thin, it calls the service."""
from celery import shared_task

from cases.statistics import services


@shared_task(name="cases.statistics.tasks.figures_refresh", acks_late=True)
def figures_refresh():
    result = services.figures_refresh()
    return {"notices": result["notices"], "full": result["full"]}
