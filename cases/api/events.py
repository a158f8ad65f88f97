"""The court's events about the notice itself (docs/court-api.md), each handler beside the serializer
of its body; legalaid/hooks.py (`court_events`) routes each type here."""
from rest_framework import serializers

from cases import services
from cases.api.serializers import PROMISED_KINDS, sane_hearing
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import BeijingDateTimeField, StrictSerializer


class HearingEventSerializer(StrictSerializer):
    type = serializers.CharField()
    starts_at = BeijingDateTimeField(validators=[sane_hearing])
    place = VisibleCharField(max_length=128)


def hearing_set(*, notice, data, actor):
    """`hearing_scheduled` / `hearing_changed`."""
    services.notice_hearing_set(notice=notice, starts_at=data["starts_at"], place=data["place"], actor=actor,
                                code=data["type"])


class MaterialsSupplementedSerializer(StrictSerializer):
    type = serializers.CharField()
    # Any subset of the notice's own fields; validated by re-validating the whole corrected notice.
    fields = serializers.DictField(required=False, default=dict)
    documents_attached = serializers.ListField(child=serializers.ChoiceField(choices=PROMISED_KINDS),
                                               required=False, default=list, max_length=4)


def materials_supplemented(*, notice, data, actor):
    services.notice_materials_supplemented(notice=notice, fields=data.get("fields") or {},
                                           documents_attached=data.get("documents_attached", []), actor=actor)
