"""Idempotency-Key for POSTs (docs/court-api.md): the same key with the same body returns the first
response again and creates nothing; the same key with another body answers 422.

The key's row is inserted in the same transaction as the work it guards. A concurrent request with
the same key blocks on the unique index until the first commits, then finds the stored response;
if the first fails, its row rolls back with its work and the retry runs afresh."""
import datetime as dt
import functools
import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from legalaid import clock
from legalaid.errors import IdempotencyKeyReused, InvalidInput
from legalaid.models import IdempotencyKey

HEADER = "Idempotency-Key"
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,64}$")


def fingerprint(request) -> str:
    """A digest of what the request asks for: method, path and the parsed body (canonical JSON, or
    the form fields and each uploaded file's digest)."""
    from django.core.files.uploadedfile import UploadedFile

    data = request.data
    if hasattr(data, "lists"):
        fields, files = [], []
        for name, values in sorted(data.lists()):
            for value in values:
                if isinstance(value, UploadedFile):
                    file_digest = hashlib.sha256()
                    for chunk in value.chunks():
                        file_digest.update(chunk)
                    value.seek(0)
                    files.append([name, value.size, file_digest.hexdigest()])
                else:
                    fields.append([name, value])
        canonical = json.dumps([fields, files], ensure_ascii=False)
    else:
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, cls=JSONEncoder)
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(canonical.encode())
    return digest.hexdigest()


def _replay(record: IdempotencyKey) -> Response:
    response = Response(record.response_body, status=record.status_code)
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def run(request, handler) -> Response:
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    if not _KEY_RE.match(key):
        raise InvalidInput(_("An Idempotency-Key is 1 to 64 visible ASCII characters."),
                           code="invalid_idempotency_key", field=None)
    print_ = fingerprint(request)
    try:
        return _first(request, handler, key, print_)
    except _KeyTaken:
        pass
    # The key was used before (or by a concurrent request, now committed): its transaction,
    # which had done nothing else, is rolled back.
    record = IdempotencyKey.objects.get(user=request.user, key=key)
    if record.fingerprint != print_:
        raise IdempotencyKeyReused()
    return _replay(record)


class _KeyTaken(Exception):
    pass


def _first(request, handler, key, print_) -> Response:
    with transaction.atomic():
        try:
            # The key first, in the work's own transaction (no savepoint: on a clash, nothing else
            # has been done and the whole transaction goes).
            record = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=print_, status_code=0)
        except IntegrityError:
            raise _KeyTaken() from None
        response = handler()
        if response.status_code >= 400:
            # An error is not a result to keep: undo the key so the client may fix and retry.
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        record.location = response.get("Location", "")
        record.save(update_fields=["status_code", "response_body", "location"])
        return response


def idempotent(view_method):
    """Decorate a DRF view's POST handler."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        return run(request, lambda: view_method(self, request, *args, **kwargs))

    return wrapper


def purge(*, older_than_days=None) -> int:
    days = older_than_days or settings.IDEMPOTENCY_KEY_TTL_DAYS + 1
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=clock.now() - dt.timedelta(days=days)).delete()
    return deleted
