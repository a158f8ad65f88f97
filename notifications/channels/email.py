"""Email through Django's email backend (settings.EMAIL_BACKEND chooses the provider: SMTP, a
provider's backend, the console in development). One email per message, or one daily digest."""
import hashlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from notifications.channels import Outcome, SendError, absolute, mask_email


def message_id(key: str) -> str:
    """A Message-ID derived from the delivery's key: a resend after a lost answer carries the same
    one, so mail systems and clients can recognise the duplicate."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def compose(delivery) -> tuple[str, str]:
    from notifications.models import Message

    with translation.override(settings.LANGUAGE_CODE):
        if delivery.event == "digest":
            ids = delivery.payload.get("messages", [])
            messages = list(Message.objects.filter(pk__in=ids).order_by("created_at", "id"))
            items = [{"subject": m.subject, "body": m.body, "url": absolute(m.link), "at": m.created_at}
                     for m in messages]
            context = {"date": delivery.payload.get("date"), "items": items, "inbox_url": absolute("/notifications/")}
            subject = render_to_string("notifications/email/digest_subject.txt", context)
            text = render_to_string("notifications/email/digest.txt", context)
        else:
            message = delivery.message
            context = {"subject": message.subject, "body": message.body, "url": absolute(message.link),
                       "inbox_url": absolute("/notifications/"),
                       "preferences_url": absolute("/notifications/preferences/")}
            subject = message.subject
            text = render_to_string("notifications/email/message.txt", context)
    return " ".join(subject.split()), text


def send(delivery) -> Outcome:
    address = delivery.recipient.email if delivery.recipient else ""
    if not address:
        raise SendError("The recipient has no email address.", permanent=True)
    subject, text = compose(delivery)
    email = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [address],
                         headers={"Message-ID": message_id(delivery.key), "X-Legalaid-Delivery": delivery.key})
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}", target=mask_email(address)) from exc
    return Outcome(target=mask_email(address))
