"""The Celery application, and the one place that declares every periodic schedule."""
import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings.local")

app = Celery("legalaid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders():
    """kombu's filesystem transport needs its folders to exist before a worker or a sender starts."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key]).mkdir(parents=True, exist_ok=True)


def periodic_schedule():
    """Every periodic task of the system, with its interval in seconds. `make run` and deployments
    load it into django-celery-beat with `manage.py sync_schedule`."""
    from django.conf import settings

    return {
        "deadline-sweep": ("cases.tasks.deadline_sweep", settings.DEADLINE_SWEEP_INTERVAL),
        "idempotency-purge": ("legalaid.tasks.idempotency_purge", 6 * 3600),
    }
