"""Serializer pieces every API shares."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from legalaid import clock
from legalaid.errors import InvalidInput


class StrictMixin:
    """Unknown fields are an error (docs/court-api.md: 400, code `unknown_field`), at every nesting level."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError(
                    {key: [ErrorDetail(_("Unknown field."), code="unknown_field")] for key in unknown})
        return super().to_internal_value(data)


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


class BeijingDateTimeField(serializers.DateTimeField):
    """ISO 8601 with the +08:00 offset of the legal time zone; input without an offset is read as
    Beijing time."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", clock.BEIJING)
        super().__init__(**kwargs)


def raise_field_error(path: str, message, code: str):
    """Raise a ValidationError at a dotted path (e.g. 'defendant.birth_date')."""
    detail = [ErrorDetail(str(message), code=code)]
    for part in reversed(path.split(".")):
        detail = {part: detail}
    raise ValidationError(detail)


def reraise_domain(exc: InvalidInput, prefix: str = ""):
    field = f"{prefix}.{exc.field}" if prefix and exc.field else (exc.field or prefix or "non_field_errors")
    raise_field_error(field, exc.message, exc.code)
