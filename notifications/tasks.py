"""Celery tasks of the notifications app: thin, they take ids or nothing and call a service."""
from celery import shared_task

from notifications import services


@shared_task(name="notifications.tasks.delivery_send", acks_late=True)
def delivery_send(delivery_id: int):
    delay = services.delivery_send(delivery_id=delivery_id)
    if delay is not None:
        # The next attempt, after the back-off; the sweep dispatches it too if this message is lost.
        delivery_send.apply_async(args=[delivery_id], countdown=delay)


@shared_task(name="notifications.tasks.deliveries_sweep", acks_late=True)
def deliveries_sweep():
    due = services.deliveries_due()
    for pk in due:
        delivery_send.delay(pk)
    return len(due)


@shared_task(name="notifications.tasks.digest_send", acks_late=True)
def digest_send():
    return services.digests_prepare()
