"""The notifications app's settings, with their defaults. Each is read from Django settings first, then
from the environment variable of the same name (so a deployment configures it without code), then
falls back to the default below."""
import os

from django.conf import settings

DEFAULTS = {
    # The SMS provider: a class path (notifications.channels.sms.BaseSmsBackend). The default only
    # logs, for development; a deployment names its provider's adapter.
    "SMS_BACKEND": "notifications.channels.sms.LoggingBackend",
    # Where links in emails and text messages point (scheme and host, no trailing slash).
    "SITE_URL": "http://localhost:8000",
    # Court webhooks: HTTPS only (production.py sets it), how long to wait for an answer, how often
    # to try before a delivery is marked failed.
    "WEBHOOKS_REQUIRE_HTTPS": False,
    "WEBHOOK_TIMEOUT_SECONDS": 10.0,
    "WEBHOOK_MAX_ATTEMPTS": 8,
    # A file of certificate authorities to trust for courts' HTTPS endpoints instead of the system's.
    "WEBHOOK_CA_BUNDLE": "",
    # Email and SMS: how often to try before a delivery is marked failed.
    "NOTIFY_MAX_ATTEMPTS": 5,
    # Exponential back-off between attempts: base * 2^(attempt-1) seconds, at most the cap.
    "NOTIFY_RETRY_BASE_SECONDS": 30.0,
    "NOTIFY_RETRY_MAX_SECONDS": 6 * 3600.0,
    # The daily digest goes out after this Beijing hour, covering the Beijing day before.
    "NOTIFY_DIGEST_HOUR": 8,
}


def get(name: str):
    default = DEFAULTS[name]
    if hasattr(settings, name):
        return getattr(settings, name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return type(default)(raw)
