"""The Celery application, and the one place that declares every periodic schedule."""
import os
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings.local")

app = Celery("legalaid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def periodic_schedule():
    """Every periodic task of the system, with its interval in seconds. `make run` and deployments
    load it into django-celery-beat with `manage.py sync_schedule`."""
    from django.conf import settings

    from cases.statistics.services import REFRESH_INTERVAL

    return {
        "deadline-sweep": ("cases.tasks.deadline_sweep", settings.DEADLINE_SWEEP_INTERVAL),
        "idempotency-purge": ("legalaid.tasks.idempotency_purge", 6 * 3600),
        # Follow-up work the broker could not take while it was down (legalaid.dispatch).
        "dispatch-catch-up": ("legalaid.tasks.dispatch_catch_up", 60),
        "notification-deliveries": ("notifications.tasks.deliveries_sweep", 60),
        "notification-digest": ("notifications.tasks.digest_send", 3600),
        "statistics-refresh": ("cases.statistics.tasks.figures_refresh", REFRESH_INTERVAL),
        "meetings-unconfirmed": ("assignments.tasks.meetings_flag_unverified", 3600),
        # Each lawyer's load recomputed from the designations; any difference repaired and recorded.
        "lawyer-load-check": ("assignments.tasks.load_check", 3600),
    }
