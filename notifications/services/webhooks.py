"""Courts' webhooks: which notice changes a court is told of, and the endpoints administrators keep."""
from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Notice
from legalaid import clock
from legalaid.errors import InvalidInput
from notifications.models import CourtWebhookEndpoint, Delivery
from notifications.services.deliveries import dispatch_on_commit, max_attempts

# The states a court is told of at once, and why it must know (the platform shares the same facts
# with courts and agencies in time: N2018; M 23).
COURT_TOLD_OF = {
    Notice.Status.ASSIGNED: "M 5; N2018",  # the agency informs the court of the designated lawyer
    Notice.Status.WITHDRAWN: "N2018; LAL 48",  # aid withdrawn, e.g. counsel retained
    Notice.Status.TERMINATED: "M 6(2); LAL 48",  # aid terminated
    Notice.Status.CLOSED: "N2018; M 23",  # the case is closed
}


def notice_state_changed(*, notice: Notice, event_code: str) -> Delivery | None:
    """Called by cases.services.transition, inside its transaction, after every status change. When
    the notice became one of COURT_TOLD_OF and its court has an active endpoint, records the webhook
    delivery; a worker sends it after the commit (never for a rolled-back change). Calling it twice
    for the same change records one delivery."""
    if notice.status not in COURT_TOLD_OF:
        return None
    endpoint = CourtWebhookEndpoint.objects.filter(court_id=notice.court_id, is_active=True).first()
    if endpoint is None:
        return None
    now = clock.now()
    # One delivery per change: the change is the notice's new status at its new updated_at.
    key = f"webhook:e{endpoint.pk}:{notice.pk}:{notice.status}:{notice.updated_at.timestamp():.6f}"
    delivery, created = Delivery.objects.get_or_create(key=key, defaults={
        "channel": Delivery.Channel.WEBHOOK, "endpoint": endpoint, "notice": notice, "event": event_code,
        "payload": {"status": notice.status, "basis": COURT_TOLD_OF[notice.status]},
        "max_attempts": max_attempts(Delivery.Channel.WEBHOOK), "next_attempt_at": now, "created_at": now})
    if created:
        dispatch_on_commit([key])
    return delivery


def webhook_endpoint_save(*, court, url: str, is_active: bool = True, rotate_secret: bool = False,
                          actor=None) -> CourtWebhookEndpoint:
    """Create or change a court's endpoint. The URL must be absolute, and HTTPS in production."""
    from notifications.models import new_secret

    endpoint = CourtWebhookEndpoint.objects.filter(court=court).first() or CourtWebhookEndpoint(court=court)
    endpoint.url, endpoint.is_active = url.strip(), is_active
    if rotate_secret:
        endpoint.secret = new_secret()
    try:
        endpoint.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        raise InvalidInput(errors[0].messages[0], code=errors[0].code or "invalid", field=field) from None
    endpoint._history_user = actor
    with transaction.atomic():
        endpoint.save()
    return endpoint
