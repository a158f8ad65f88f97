"""Text messages through a provider interface. SMS_BACKEND (notifications.conf) names the class; the
default only logs, for development. A provider's adapter subclasses BaseSmsBackend."""
import abc
import logging

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string

from notifications import conf
from notifications.channels import Outcome, SendError, absolute, mask_phone

logger = logging.getLogger("notifications.sms")


class SmsError(Exception):
    """The provider refused or could not be reached. `permanent` when retrying cannot help (a
    number the provider rejects)."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class BaseSmsBackend(abc.ABC):
    @abc.abstractmethod
    def send(self, *, phone: str, text: str, key: str) -> str:
        """Send one text; return the provider's id for it. `key` is unique per delivery: pass it to
        providers that deduplicate. Raise SmsError on failure."""


class LoggingBackend(BaseSmsBackend):
    """Development: writes the text to the log instead of sending it."""

    def send(self, *, phone, text, key):
        logger.info("SMS to %s [%s]: %s", mask_phone(phone), key, text)
        return f"log:{key}"


# Texts sent through MemoryBackend, for tests (like django.core.mail.outbox).
outbox: list[dict] = []


class MemoryBackend(BaseSmsBackend):
    """Tests: keeps each text in `outbox`."""

    def send(self, *, phone, text, key):
        outbox.append({"phone": phone, "text": text, "key": key})
        return f"memory:{len(outbox)}"


def get_backend() -> BaseSmsBackend:
    return import_string(conf.get("SMS_BACKEND"))()


def compose(delivery) -> str:
    # A text carries the subject and a link only: the details (names, charges) stay behind the login.
    message = delivery.message
    with translation.override(settings.LANGUAGE_CODE):
        subject = message.subject
    url = absolute(message.link or "/notifications/")
    return f"{subject} {url}"


def send(delivery) -> Outcome:
    phone = delivery.recipient.phone if delivery.recipient else ""
    if not phone:
        raise SendError("The recipient has no phone number.", permanent=True)
    target = mask_phone(phone)
    try:
        provider_id = get_backend().send(phone=phone, text=compose(delivery), key=delivery.key)
    except SmsError as exc:
        raise SendError(str(exc), target=target, permanent=exc.permanent) from exc
    return Outcome(target=f"{target} ({provider_id})" if provider_id else target)
