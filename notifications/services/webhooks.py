"""Courts' webhooks: which notice changes a court is told of, and the endpoints administrators keep."""
from django.core.exceptions import ValidationError
from django.db import transaction

from legalaid import clock, hooks
from legalaid.errors import InvalidInput
from notifications.models import CourtWebhookEndpoint, Delivery
from notifications.services.deliveries import dispatch_on_commit, max_attempts


def court_told_of() -> dict:
    """{notice status: legal basis}: the states a court is told of at once (cases.models.COURT_TOLD_OF,
    named in legalaid/hooks.py)."""
    return hooks.value("court_told_of")


def notice_state_changed(*, notice, event_code: str) -> Delivery | None:
    """Called by cases.services.transition, inside its transaction, after every status change. When
    the notice became one of court_told_of() and its court has an active endpoint, records the webhook
    delivery; a worker sends it after the commit (never for a rolled-back change). Calling it twice
    for the same change records one delivery."""
    told = court_told_of()
    if notice.status not in told:
        return None
    endpoint = CourtWebhookEndpoint.objects.filter(court_id=notice.court_id, is_active=True).first()
    if endpoint is None:
        return None
    now = clock.now()
    # One delivery per change: the change is the notice's new status at its new updated_at.
    key = f"webhook:e{endpoint.pk}:{notice.pk}:{notice.status}:{notice.updated_at.timestamp():.6f}"
    delivery, created = Delivery.objects.get_or_create(key=key, defaults={
        "channel": Delivery.Channel.WEBHOOK, "endpoint": endpoint, "notice": notice, "event": event_code,
        "payload": {"status": notice.status, "basis": told[notice.status]},
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
