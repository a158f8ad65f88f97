"""The court's events this app handles (docs/court-api.md), each handler beside the serializer of its
body; legalaid/hooks.py (`court_events`) routes each type here."""
from rest_framework import serializers

from assignments.services import designation_refused, notice_retained_counsel
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import StrictSerializer


class RetainedCounselSerializer(StrictSerializer):
    type = serializers.CharField()
    lawyer_name = VisibleCharField(max_length=64)
    firm = VisibleCharField(max_length=128)


def retained_counsel(*, notice, data, actor):
    notice_retained_counsel(notice=notice, lawyer_name=data["lawyer_name"], firm=data["firm"], actor=actor)


class DefendantRefusedSerializer(StrictSerializer):
    """The defendant refused the designated lawyer (Measures Art. 6). `defend_self` (optional, an
    extension of the contract's body) says whether the defendant insists on defending themself."""

    type = serializers.CharField()
    reason = VisibleCharField(max_length=2000)
    valid_reason = serializers.BooleanField()
    defend_self = serializers.BooleanField(required=False, allow_null=True, default=None)


def defendant_refused(*, notice, data, actor):
    designation_refused(notice=notice, reason=data["reason"], valid_reason=data["valid_reason"],
                        defend_self=data.get("defend_self"), actor=actor)
