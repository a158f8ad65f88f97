"""Webhooks to courts: an HTTPS POST of the notice's new state, the same JSON as
GET /api/v1/notices/<id>/ (docs/court-api.md), signed with the endpoint's secret.

Headers of every call:
    X-Legalaid-Event: the event that changed the notice (e.g. retained_counsel)
    X-Legalaid-Delivery: the delivery's unique key; a retry of the same delivery carries the same one,
        so the court can drop a duplicate
    X-Legalaid-Timestamp: seconds since the epoch when the call was signed
    X-Legalaid-Signature: "sha256=" + hex HMAC-SHA256 over "<timestamp>.<body bytes>" with the secret

The court checks the signature with a constant-time comparison and refuses timestamps far from its
clock. Any 2xx answer is success; anything else, a timeout or a refused connection is a failed
attempt, tried again later. Redirects are not followed."""
import hashlib
import hmac
import socket
import ssl
import urllib.error
import urllib.request
from http.client import HTTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from legalaid import clock
from notifications import conf
from notifications.channels import Outcome, SendError

SIGNATURE_HEADER = "X-Legalaid-Signature"
TIMESTAMP_HEADER = "X-Legalaid-Timestamp"
EVENT_HEADER = "X-Legalaid-Event"
DELIVERY_HEADER = "X-Legalaid-Delivery"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def render_body(*, notice_id, court_id) -> str:
    """The notice as its court reads it through the API, read through the same selector and
    serializer, in the API's default language."""
    from cases.api.serializers import NoticeSerializer
    from cases.selectors import notice_get_for_user
    from legalaid.models import Role, User
    from rest_framework.renderers import JSONRenderer

    # The court's view of the notice, whichever of its accounts (if any) exists.
    reader = User(role=Role.COURT, court_id=court_id, is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        notice = notice_get_for_user(user=reader, notice_id=notice_id)
        return JSONRenderer().render(NoticeSerializer(notice).data).decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is answered as it is: an error, never a re-POST somewhere else


def _opener():
    # Certificates are checked against the system's authorities, or against WEBHOOK_CA_BUNDLE where
    # courts sit behind a private authority (e.g. a court intranet).
    context = ssl.create_default_context(cafile=conf.get("WEBHOOK_CA_BUNDLE") or None)
    return urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=context))


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener().open(request, timeout=timeout) as response:
            response.read(65536)
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code
    except (TimeoutError, socket.timeout) as exc:
        raise SendError(f"No answer within {timeout:g} s.", target=url) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SendError(f"No answer within {timeout:g} s.", target=url) from exc
        raise SendError(f"Could not connect: {reason}", target=url) from exc
    except (OSError, HTTPException) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}", target=url) from exc


def send(delivery) -> Outcome:
    from notifications.models import validate_webhook_url

    endpoint = delivery.endpoint
    if endpoint is None or not endpoint.is_active:
        raise SendError("The court's webhook endpoint is disabled or removed.", permanent=True)
    url = endpoint.url
    try:
        # Checked again when sending: the rule (HTTPS in production) may be newer than the URL.
        validate_webhook_url(url)
    except ValidationError as exc:
        raise SendError(" ".join(str(m) for m in exc.messages), target=url, permanent=True) from exc
    body = delivery.body.encode()
    timestamp = str(int(clock.now().timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "legalaid-webhooks/1",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: delivery.key,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
    }
    status = post(url, body, headers, float(conf.get("WEBHOOK_TIMEOUT_SECONDS")))
    if not 200 <= status < 300:
        raise SendError(f"The court's server answered HTTP {status}.", target=url, status_code=status)
    return Outcome(target=url, status_code=status)
