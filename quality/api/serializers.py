"""Bodies of the quality API: evaluations, a case's quality (standard and grade), suspension
proposals and their decisions, client complaints."""
from rest_framework import serializers

from assignments.models import Lawyer
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import BeijingDateTimeField, StrictSerializer
from quality.models import CaseGrade, Complaint, Evaluation, SuspensionProposal
from quality.rules import EvaluationKind


class EvaluationCreateSerializer(StrictSerializer):
    """Scores are whole numbers 0-100 (checked by the service: 400 `out_of_range` on `score`).
    A client follow-up also says whether the client was reached and, if so, satisfaction 1-5."""

    kind = serializers.ChoiceField(choices=[c for c in EvaluationKind.choices if c[0] != EvaluationKind.COURT_FEEDBACK])
    score = serializers.IntegerField()
    comments = VisibleCharField(max_length=10000, required=False, allow_blank=True, default="")
    reached = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.IntegerField(required=False, allow_null=True, default=None)
    complaint = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


class EvaluationSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", default=None)
    lawyer = serializers.CharField(source="designation.lawyer.name")
    created_at = BeijingDateTimeField()

    class Meta:
        model = Evaluation
        fields = ["id", "kind", "score", "comments", "reached", "satisfaction", "complaint", "author", "lawyer",
                  "created_at"]


class EvidenceSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    url = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    basis = serializers.CharField()
    explanation = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "late", "missing", "not_applicable"])
    evidence = EvidenceSerializer(many=True)


class GradeSerializer(serializers.ModelSerializer):
    computed_at = BeijingDateTimeField()

    class Meta:
        model = CaseGrade
        fields = ["grade", "score", "missed_duties", "details", "computed_at"]


class CaseQualitySerializer(serializers.Serializer):
    lawyer = serializers.CharField(source="designation.lawyer.name", default=None)
    items = ItemSerializer(many=True)
    evaluations = EvaluationSerializer(many=True)
    grade = GradeSerializer(allow_null=True)
    settings = serializers.DictField()


class ProposalSerializer(serializers.ModelSerializer):
    lawyer = serializers.SerializerMethodField()
    proposed_at = BeijingDateTimeField()
    decided_at = BeijingDateTimeField()
    decided_by = serializers.CharField(source="decided_by.display_name", default=None)

    class Meta:
        model = SuspensionProposal
        fields = ["id", "lawyer", "status", "pattern", "proposed_at", "decided_at", "decided_by", "decision_reason",
                  "starts_on", "ends_on"]

    def get_lawyer(self, obj) -> dict:
        return {"id": obj.lawyer_id, "name": obj.lawyer.name}


class ProposalConfirmSerializer(StrictSerializer):
    reason = VisibleCharField(max_length=4000, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReasonSerializer(StrictSerializer):
    reason = VisibleCharField(max_length=4000, allow_blank=True)


class ComplaintCreateSerializer(StrictSerializer):
    notice = serializers.UUIDField()
    complainant = VisibleCharField(max_length=64, allow_blank=True)
    relation = serializers.ChoiceField(choices=Complaint.Relation.choices)
    summary = VisibleCharField(max_length=10000, allow_blank=True)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class ComplaintSerializer(serializers.ModelSerializer):
    notice = serializers.UUIDField(source="notice_id")
    lawyer = serializers.CharField(source="lawyer.name")
    created_at = BeijingDateTimeField()
    decided_at = BeijingDateTimeField()

    class Meta:
        model = Complaint
        fields = ["id", "notice", "lawyer", "complainant", "relation", "received_on", "summary", "status",
                  "investigation_note", "outcome", "decision", "replacement", "created_at", "decided_at"]


class InvestigateSerializer(StrictSerializer):
    note = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


class DecideSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=Complaint.Outcome.choices)
    decision = VisibleCharField(max_length=10000, allow_blank=True)
    replace_with = serializers.PrimaryKeyRelatedField(queryset=Lawyer.objects.filter(status=Lawyer.Status.ACTIVE),
                                                      required=False, allow_null=True, default=None,
                                                      help_text="A lawyer on the roster to replace the one "
                                                                "complained of (upheld only).")
    override_reason = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


class TrainingCreateSerializer(StrictSerializer):
    lawyer = serializers.PrimaryKeyRelatedField(queryset=Lawyer.objects.all())
    course = VisibleCharField(max_length=200, allow_blank=True)
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2,
                                     help_text="0.5 to 100, in tenths (checked by the service).")
    provider = VisibleCharField(max_length=200, required=False, allow_blank=True, default="")


class TrainingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lawyer = serializers.SerializerMethodField()
    course = serializers.CharField()
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    provider = serializers.CharField()

    def get_lawyer(self, obj) -> dict:
        return {"id": obj.lawyer_id, "name": obj.lawyer.name}


class TrainingReportRowSerializer(serializers.Serializer):
    lawyer = serializers.SerializerMethodField()
    sessions = serializers.IntegerField()
    minimum = serializers.IntegerField()
    under = serializers.BooleanField()

    def get_lawyer(self, row) -> dict:
        return {"id": row["lawyer"].pk, "name": row["lawyer"].name, "licence_number": row["lawyer"].licence_number}


class StandardItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    basis = serializers.CharField()
    explanation = serializers.CharField()


class EvaluationKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    basis = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField()


class QualityRulesSerializer(serializers.Serializer):
    standard = StandardItemSerializer(many=True)
    evaluations = EvaluationKindSerializer(many=True)
    settings = serializers.DictField(help_text="The numbers that apply in `region` (the nearest region's local "
                                               "rules, else the defaults); `region` names where they come from.")
    formula = serializers.CharField()
    court_feedback_scores = serializers.DictField(child=serializers.IntegerField())
