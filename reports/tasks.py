"""The periodic refresh of the figures (declared in legalaid/celery.py): thin, it calls the service."""
from celery import shared_task

from reports import services


# The name it had before the package moved (cases/statistics → reports): queued messages and the
# schedule rows in django-celery-beat keep working.
@shared_task(name="cases.statistics.tasks.figures_refresh", acks_late=True)
def figures_refresh():
    result = services.figures_refresh()
    return {"notices": result["notices"], "full": result["full"]}
