from rest_framework import serializers

from quality.subsidies.models import Subsidy, SubsidyLine
from legalaid.api.fields import VisibleCharField


class SubsidyLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyLine
        fields = ["position", "code", "label", "basis", "amount"]


class SubsidySerializer(serializers.ModelSerializer):
    notice = serializers.UUIDField(source="notice_id", read_only=True)
    case_number = serializers.CharField(source="notice.case.case_number", read_only=True)
    lawyer = serializers.CharField(source="lawyer.name", read_only=True)
    schedule = serializers.CharField(source="schedule.name", default=None, read_only=True)
    corrects = serializers.IntegerField(source="corrects_id", read_only=True)
    lines = SubsidyLineSerializer(many=True, read_only=True)

    class Meta:
        model = Subsidy
        fields = ["id", "kind", "corrects", "notice", "case_number", "lawyer", "schedule", "grade", "facts", "lines",
                  "amount", "recipient_share", "payable", "status", "note", "computed_at", "approved_at", "paid_on",
                  "payment_reference"]
        read_only_fields = fields


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    reference = VisibleCharField(max_length=64, allow_blank=True)


class CorrectionSerializer(serializers.Serializer):
    amount = VisibleCharField(max_length=16)
    reason = serializers.CharField(allow_blank=True, max_length=1000)
