"""Bodies of the staff and lawyer APIs for designations, the roster and duty lawyers."""
from rest_framework import serializers

from assignments import rules
from assignments.models import Designation, DutyShift, DutyStation, LawFirm, Language, Lawyer, Speciality
from cases.models import Notice, Region
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import BeijingDateTimeField, StrictSerializer


class DesignateSerializer(StrictSerializer):
    lawyer = serializers.PrimaryKeyRelatedField(queryset=Lawyer.objects.all())
    reason = VisibleCharField(max_length=2000, required=False, allow_blank=True, default="")
    override_reason = VisibleCharField(max_length=2000, required=False, allow_blank=True, default="")


class ReplaceSerializer(DesignateSerializer):
    ground = serializers.ChoiceField(choices=list(rules.REPLACEMENT_GROUNDS))
    note = VisibleCharField(max_length=2000)


class TerminateSerializer(StrictSerializer):
    ground = serializers.ChoiceField(choices=list(rules.TERMINATION_GROUNDS))
    note = VisibleCharField(max_length=2000)


class DeclineSerializer(StrictSerializer):
    reason = VisibleCharField(max_length=2000)


class DesignatedLawyerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    firm = serializers.CharField(source="firm.name")
    phone = serializers.CharField()


class DesignationSerializer(serializers.ModelSerializer):
    lawyer = DesignatedLawyerSerializer()
    notice = serializers.UUIDField(source="notice_id")
    designated_at = BeijingDateTimeField()
    designated_by = serializers.CharField(source="designated_by.display_name", default=None)
    first_candidate = serializers.CharField(source="first_candidate.name", default=None)
    override_by = serializers.CharField(source="override_by.display_name", default=None)
    answered_at = BeijingDateTimeField(allow_null=True)
    ended_at = BeijingDateTimeField(allow_null=True)
    letter = serializers.SerializerMethodField()

    class Meta:
        model = Designation
        fields = ["id", "notice", "kind", "status", "lawyer", "designated_at", "designated_by", "rank",
                  "first_candidate", "reason", "overridden_filters", "override_reason", "override_by", "replaces",
                  "letter_number", "letter", "answered_at", "decline_reason", "ended_at", "end_reason", "end_ground",
                  "end_note"]

    def get_letter(self, obj) -> str | None:
        return f"/api/v1/notices/{obj.notice_id}/letter.pdf" if obj.is_current else None


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    points = serializers.IntegerField()
    detail = serializers.CharField()


class FilterSerializer(serializers.Serializer):
    code = serializers.CharField()
    basis = serializers.CharField()
    title = serializers.CharField()
    inference = serializers.CharField()


class CandidateLawyerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    firm = serializers.CharField()
    phone = serializers.CharField()
    region = serializers.CharField()
    licence_number = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    lawyer = CandidateLawyerSerializer()
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField()
    open_cases = serializers.IntegerField()
    recent_designations = serializers.IntegerField()
    last_designated_at = serializers.CharField(allow_null=True)
    reasons = ReasonSerializer(many=True)
    summary = serializers.CharField()
    excluded_by = FilterSerializer(many=True)


class RecommendationSerializer(serializers.Serializer):
    notice = serializers.UUIDField()
    duty = serializers.BooleanField()
    wanted_specialities = serializers.ListField(child=serializers.CharField())
    wanted_languages = serializers.ListField(child=serializers.CharField())
    candidates = CandidateSerializer(many=True)
    excluded = CandidateSerializer(many=True)
    filters = FilterSerializer(many=True)


def recommendation_body(rec) -> dict:
    return {"notice": rec.notice.pk, "duty": rec.duty, "wanted_specialities": rec.wanted_specialities,
            "wanted_languages": rec.wanted_languages, "candidates": [c.as_dict() for c in rec.candidates],
            "excluded": [c.as_dict() for c in rec.excluded],
            "filters": [rules.filter_detail(code) for code in rules.FILTERS]}


class LawyerSerializer(serializers.ModelSerializer):
    firm = serializers.CharField(source="firm.name")
    region = serializers.CharField(source="region.code")
    open_cases = serializers.IntegerField(read_only=True)
    suspended_today = serializers.BooleanField(read_only=True)
    on_leave_today = serializers.BooleanField(read_only=True)

    class Meta:
        model = Lawyer
        fields = ["id", "name", "licence_number", "firm", "region", "phone", "email", "criminal_defence_since",
                  "specialities", "languages", "status", "open_cases", "suspended_today", "on_leave_today"]


class LawyerCreateSerializer(StrictSerializer):
    name = VisibleCharField(max_length=64)
    licence_number = VisibleCharField(max_length=32)
    id_number = VisibleCharField(max_length=18, required=False, allow_blank=True, default="")
    firm = serializers.PrimaryKeyRelatedField(queryset=LawFirm.objects.all())
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    phone = VisibleCharField(max_length=32)
    email = VisibleCharField(max_length=254, required=False, allow_blank=True, default="")
    criminal_defence_since = serializers.DateField()
    specialities = serializers.ListField(child=serializers.ChoiceField(choices=Speciality.choices), required=False,
                                         default=list)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices), required=False,
                                      default=list)


class ImportUploadSerializer(StrictSerializer):
    file = serializers.FileField(allow_empty_file=False)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class DutyShiftSerializer(serializers.ModelSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=DutyStation.objects.all())
    lawyer = serializers.PrimaryKeyRelatedField(queryset=Lawyer.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    lawyer_name = serializers.CharField(source="lawyer.name", read_only=True)

    class Meta:
        model = DutyShift
        fields = ["id", "station", "station_name", "date", "lawyer", "lawyer_name"]
        validators = []  # the service decides (and names the error duplicate_shift)


class HelpRequestSerializer(StrictSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=DutyStation.objects.all())
    person_name = VisibleCharField(max_length=64)
    custody_place = VisibleCharField(max_length=128, required=False, allow_blank=True, default="")
    details = VisibleCharField(max_length=4000)


class PleaSessionSerializer(StrictSerializer):
    shift = serializers.PrimaryKeyRelatedField(queryset=DutyShift.objects.select_related("lawyer"))
    notice = serializers.PrimaryKeyRelatedField(queryset=Notice.objects.all(), required=False, allow_null=True,
                                                default=None)
    case_number = VisibleCharField(max_length=64)
    defendant_name = VisibleCharField(max_length=64)
    signed_at = BeijingDateTimeField()
    lawyer_present = serializers.BooleanField(default=True)
    charge_opinion = VisibleCharField(max_length=4000)
    sentence_opinion = VisibleCharField(max_length=4000)
    recording_reference = VisibleCharField(max_length=128)
