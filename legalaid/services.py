"""Writes on the pieces every app shares."""
from legalaid.models import PersonalDataAccess


def personal_data_access_record(*, user, defendant, field: str, channel: str) -> PersonalDataAccess:
    """Log that `user` saw `defendant`'s unmasked `field` (e.g. "id_number") through `channel`
    ("page" / "api"). Called before the value is shown, so that no view of it goes unrecorded."""
    return PersonalDataAccess.objects.create(user=user, defendant=defendant, field=field, channel=channel)


def pending_dispatch_send(*, limit: int = 500) -> dict:
    """Send the task calls the broker could not take when they were made (legalaid.dispatch), oldest
    first, deleting each once the broker has it. Stops at the first failure (the broker is still
    down) and leaves the rest for the next run. Run by the periodic catch-up in a worker."""
    import logging

    from django.db import transaction

    from legalaid.celery import app
    from legalaid.models import PendingDispatch

    sent = []
    failed = None
    with transaction.atomic():
        rows = list(PendingDispatch.objects.select_for_update(skip_locked=True).order_by("created_at", "pk")[:limit])
        for row in rows:
            try:
                app.send_task(row.task, args=row.args, kwargs=row.kwargs)
            except Exception as exc:  # the broker is still unreachable
                failed = row
                logging.getLogger("legalaid.dispatch").warning("Catch-up: could not queue %s: %s", row, exc)
                PendingDispatch.objects.filter(pk=row.pk).update(attempts=row.attempts + 1,
                                                                 last_error=f"{type(exc).__name__}: {exc}"[:500])
                break
            sent.append(row.pk)
        PendingDispatch.objects.filter(pk__in=sent).delete()
    return {"sent": len(sent), "failed": failed is not None, "left": PendingDispatch.objects.count()}
