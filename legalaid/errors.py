"""Domain errors. Services raise them; the API error handler answers them with their status and
code, and the pages show their message. Each carries a machine code and a translatable message."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 409
    code = "conflict"
    default_message = _("The request conflicts with the current state.")

    def __init__(self, message=None, *, code=None, field=None, extra=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field
        self.extra = extra or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """A value that breaks a rule the serializer alone cannot check (400)."""

    status = 400
    code = "invalid"
    default_message = _("The value is not valid.")


class IllegalTransition(DomainError):
    code = "illegal_transition"
    default_message = _("This action is not allowed in the current state.")


class Conflict(DomainError):
    code = "conflict"


class NotPermitted(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("You may not perform this action.")


class PayloadTooLarge(DomainError):
    status = 413
    code = "file_too_large"
    default_message = _("The file is too large.")


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    default_message = _("This type of file is not accepted.")


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"
    default_message = _("This Idempotency-Key was already used with a different request body.")
