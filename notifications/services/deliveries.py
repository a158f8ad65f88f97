"""The outbox: deliveries are created in the transaction of the change they report, dispatched to a
worker after the commit, claimed with a conditional update before each attempt, and recorded."""
import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from legalaid import clock
from legalaid.errors import Conflict
from notifications import conf
from notifications.channels import SendError
from notifications.models import Delivery, DeliveryAttempt

logger = logging.getLogger("notifications.deliveries")


def max_attempts(channel: str) -> int:
    name = "WEBHOOK_MAX_ATTEMPTS" if channel == Delivery.Channel.WEBHOOK else "NOTIFY_MAX_ATTEMPTS"
    return int(conf.get(name))


def backoff_seconds(attempt: int) -> float:
    """Seconds to wait after the attempt-th failure: base, 2×base, 4×base, ... up to the cap."""
    base = float(conf.get("NOTIFY_RETRY_BASE_SECONDS"))
    return min(base * 2 ** (attempt - 1), float(conf.get("NOTIFY_RETRY_MAX_SECONDS")))


def lease_seconds() -> float:
    """How long a claim holds: longer than any one attempt can take. A worker that dies while
    sending leaves the delivery to be claimed again after it."""
    return 2 * float(conf.get("WEBHOOK_TIMEOUT_SECONDS")) + 60


def _channel(name):
    from notifications.channels import email, sms, webhook

    return {Delivery.Channel.EMAIL: email, Delivery.Channel.SMS: sms, Delivery.Channel.WEBHOOK: webhook}[name]


def dispatch_on_commit(keys) -> None:
    """After the caller's transaction commits, hand the pending deliveries with these keys to the
    workers. A rolled-back transaction dispatches nothing (and its deliveries do not exist)."""
    keys = list(keys)
    if keys:
        transaction.on_commit(lambda: _dispatch(keys))


def _dispatch(keys):
    from legalaid import dispatch
    from notifications import tasks

    pending = Delivery.objects.filter(key__in=keys, status=Delivery.Status.PENDING).select_related("endpoint")
    for delivery in pending:
        try:
            if delivery.channel == Delivery.Channel.WEBHOOK and not delivery.body:
                _prepare_webhook_body(delivery)
            # Without a broker the delivery stays pending and the deliveries sweep sends it; after one
            # failure the broker is not tried again for a while, so a request does not wait on it.
            dispatch.send(tasks.delivery_send, delivery.pk, durable=False)
        except Exception:  # the broker is down, or the body could not be read: the sweep retries
            logger.exception("Could not dispatch delivery %s; the sweep will.", delivery.key)


def delivery_send(*, delivery_id: int) -> float | None:
    """Claim the delivery if it is due, make one attempt, record it. Returns the seconds until the
    next attempt when one is scheduled, else None (sent, failed, or not ours to send now)."""
    now = clock.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING], next_attempt_at__lte=now,
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1,
             next_attempt_at=now + timedelta(seconds=lease_seconds()))
    if claimed != 1:
        return None  # already sent, failed, not due yet, or another worker holds it
    delivery = Delivery.objects.select_related("recipient", "message", "endpoint", "notice").get(pk=delivery_id)
    number = delivery.attempts
    started, tick = clock.now(), time.monotonic()
    outcome = error = None
    try:
        if delivery.channel == Delivery.Channel.WEBHOOK and not delivery.body:
            _prepare_webhook_body(delivery)
        outcome = _channel(delivery.channel).send(delivery)
    except SendError as exc:
        error = exc
    except Exception as exc:  # a fault in our own code or a library: recorded and retried like any failure
        logger.exception("Delivery %s failed unexpectedly.", delivery.key)
        error = SendError(f"{type(exc).__name__}: {exc}")
    duration_ms = int((time.monotonic() - tick) * 1000)
    finished = clock.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, number=number, started_at=started, duration_ms=duration_ms, ok=error is None,
            target=(outcome.target if outcome else error.target)[:500],
            status_code=outcome.status_code if outcome else error.status_code,
            error=error.message if error else "")
        mine = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, attempts=number)
        if error is None:
            mine.update(status=Delivery.Status.SENT, sent_at=finished, next_attempt_at=None, last_error="")
            return None
        if error.permanent or number >= delivery.max_attempts:
            mine.update(status=Delivery.Status.FAILED, failed_at=finished, next_attempt_at=None,
                        last_error=error.message)
            logger.warning("Delivery %s failed after %s attempt(s): %s", delivery.key, number, error.message)
            return None
        delay = backoff_seconds(number)
        mine.update(status=Delivery.Status.PENDING, next_attempt_at=finished + timedelta(seconds=delay),
                    last_error=error.message)
    return delay


def _prepare_webhook_body(delivery):
    """The body is the notice's state just after the change committed (prepared when it is
    dispatched, or at the first attempt if that was missed); every retry and replay sends those
    same bytes."""
    from notifications.channels.webhook import render_body

    body = render_body(notice_id=delivery.notice_id, court_id=delivery.endpoint.court_id)
    Delivery.objects.filter(pk=delivery.pk, body="").update(body=body)
    delivery.body = Delivery.objects.values_list("body", flat=True).get(pk=delivery.pk)


def delivery_replay(*, delivery: Delivery, actor, now=None) -> Delivery:
    """Send a finished delivery again (a failed one, or one the court says it lost), with the same
    key and body, and as many attempts as a new one gets. Refused while it is still being sent."""
    now = now or clock.now()
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=[Delivery.Status.SENT, Delivery.Status.FAILED],
        ).update(status=Delivery.Status.PENDING, next_attempt_at=now, failed_at=None,
                 max_attempts=F("attempts") + max_attempts(delivery.channel), replays=F("replays") + 1,
                 replayed_at=now, replayed_by=actor)
        if updated != 1:
            raise Conflict(_("This delivery is still waiting or being sent; it can be replayed once it has "
                             "finished."), code="delivery_not_finished")
        dispatch_on_commit([delivery.key])
    delivery.refresh_from_db()
    return delivery


def deliveries_due(*, now=None, limit: int = 1000) -> list[int]:
    """Deliveries a worker may claim now: pending ones come due, and claims whose worker vanished.
    The periodic sweep hands them to workers, so a lost task or a dead worker delays, never loses."""
    now = now or clock.now()
    return list(Delivery.objects.filter(next_attempt_at__lte=now).order_by("next_attempt_at")
                .values_list("pk", flat=True)[:limit])
