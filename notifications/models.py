"""Messages to users, what each user wants by which channel, the courts' webhook endpoints, and the
outbox of deliveries (email, SMS, webhook). Each message and each delivery has a unique key, so the
same event never tells the same person twice, however often the code that sends it runs (retries,
two workers)."""
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from notifications import conf
from notifications.kinds import render


class Message(models.Model):
    """One thing told to one user: kept in the user's inbox, and sent by the channels the user chose."""

    key = models.CharField(max_length=255, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="messages")
    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="messages")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_recipient_unread")]

    def __str__(self):
        return self.subject

    @property
    def subject(self) -> str:
        return render(self.kind, self.params)[0]

    @property
    def body(self) -> str:
        return render(self.kind, self.params)[1]


class ChannelPreference(models.Model):
    """A user's choice to receive one kind of message by one channel, or not. Without a row the
    kind's default applies (notifications.kinds)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="channel_preferences")
    kind = models.CharField(_("kind"), max_length=48)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="one_preference_per_channel")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.channel}: {self.enabled}"


class DigestSubscription(models.Model):
    """A user who takes emails as one daily digest instead of one email per message."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="digest_subscription")
    since = models.DateTimeField(_("since"))

    class Meta:
        verbose_name = _("daily digest subscription")
        verbose_name_plural = _("daily digest subscriptions")

    def __str__(self):
        return str(self.user)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def validate_webhook_url(value: str) -> None:
    """A court's endpoint: an absolute http(s) URL; HTTPS only where WEBHOOKS_REQUIRE_HTTPS is set
    (production), since the body carries a defendant's personal data."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an absolute http(s) URL."), code="invalid_url")
    if conf.get("WEBHOOKS_REQUIRE_HTTPS") and parts.scheme != "https":
        raise ValidationError(_("A court's webhook URL must use HTTPS: the notices it receives carry personal "
                                "data."), code="https_required")
    if parts.username or parts.password:
        raise ValidationError(_("Do not put credentials in the URL; the signature authenticates each call."),
                              code="credentials_in_url")


class CourtWebhookEndpoint(models.Model):
    """Where a court wants to be told, by an HTTPS POST, that one of its notices changed state.
    Managed by administrators; the secret signs every call (HMAC-SHA256) and is given to the court."""

    court = models.OneToOneField("cases.Court", verbose_name=_("court"), on_delete=models.CASCADE,
                                 related_name="webhook_endpoint")
    url = models.URLField(_("URL"), max_length=500, validators=[validate_webhook_url])
    secret = models.CharField(_("signing secret"), max_length=128, default=new_secret,
                              help_text=_("Give it to the court: it checks the X-Legalaid-Signature header with it."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("court webhook endpoint")
        verbose_name_plural = _("court webhook endpoints")
        ordering = ["court__code"]

    def __str__(self):
        return f"{self.court} → {self.url}"


class Delivery(models.Model):
    """One outgoing email, text message or webhook call: the outbox. Created in the transaction of
    the change it reports, sent by a worker after the commit. `next_attempt_at` is when a worker may
    claim it next (null once sent or failed); a worker claims it with a conditional update before
    sending, so two workers or a repeated task never send it twice at once."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")
        WEBHOOK = "webhook", _("Court webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=300, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    message = models.ForeignKey(Message, verbose_name=_("message"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    # The log outlives an endpoint an administrator removes; a delivery left without one fails.
    endpoint = models.ForeignKey(CourtWebhookEndpoint, verbose_name=_("endpoint"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="deliveries")
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=48, blank=True)
    # Channel data: a webhook's body exactly as sent (JSON text, prepared once), a digest's message ids.
    body = models.TextField(_("body"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    replays = models.PositiveSmallIntegerField(_("replays"), default=0)
    replayed_at = models.DateTimeField(_("last replayed at"), null=True, blank=True)
    replayed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last replayed by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["sent", "failed"], next_attempt_at__isnull=True)
                | Q(status__in=["pending", "sending"], next_attempt_at__isnull=False),
                name="delivery_due_while_unfinished"),
        ]

    def __str__(self):
        return self.key

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.FAILED)


class DeliveryAttempt(models.Model):
    """One try at sending a delivery, with what came back: the delivery log staff read."""

    delivery = models.ForeignKey(Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE,
                                 related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    ok = models.BooleanField(_("succeeded"))
    target = models.CharField(_("sent to"), max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}"
