"""Serializer fields every API shares."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from legalaid.text import visible_text


class VisibleCharField(serializers.CharField):
    """A text that must hold something visible when it is required (legalaid.text): a name of only
    zero-width or ideographic spaces is refused like an empty one (code `required`)."""

    default_error_messages = {"invisible": _("This field holds no visible character.")}

    def to_internal_value(self, data):
        value = visible_text(super().to_internal_value(data))
        if not value and not self.allow_blank:
            raise serializers.ValidationError(self.error_messages["invisible"], code="required")
        return value
