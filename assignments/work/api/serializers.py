"""Bodies of the lawyer's API (work log, closing, the case as the lawyer sees it), of the court's
view of the lawyer's requests, and of the detention centres' and e-file systems' records."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from assignments.work import rules
from assignments.work.models import Closing, CourtFeedback, VerifiedRecord, WorkDocument, WorkLogEntry
from assignments.work.rules import SPECS, EntryKind, MeetingMode, ObstructedRight
from cases.api.serializers import DeadlineSerializer, DocumentSerializer
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import BeijingDateTimeField, StrictSerializer, raise_field_error


class OptionalBooleanField(serializers.BooleanField):
    """A boolean that is absent when not sent, in JSON and in a multipart form alike (DRF reads an
    absent form checkbox as false, which would give every entry a `whole_hearing`)."""

    default_empty_html = empty


# --- Input ------------------------------------------------------------------------------------------

class EntryFieldsSerializer(StrictSerializer):
    """What an entry says. Which fields a kind takes and needs: assignments.work.rules.SPECS (the
    service refuses the others with `unknown_field` and a missing one with `required`). Times are
    Beijing time unless they carry an offset."""

    started_at = BeijingDateTimeField()
    ended_at = BeijingDateTimeField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True)
    place = VisibleCharField(max_length=128, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=MeetingMode.choices, required=False, allow_blank=True)
    subject = VisibleCharField(max_length=4000, required=False, allow_blank=True)
    copied = VisibleCharField(max_length=4000, required=False, allow_blank=True)
    notes = VisibleCharField(max_length=10000, required=False, allow_blank=True)
    whole_hearing = OptionalBooleanField(required=False, allow_null=True)
    absence_reason = VisibleCharField(max_length=2000, required=False, allow_blank=True)
    obstructed_right = serializers.ChoiceField(choices=ObstructedRight.choices, required=False, allow_blank=True)
    obstructed_by = VisibleCharField(max_length=128, required=False, allow_blank=True)


class EntryCreateSerializer(EntryFieldsSerializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=False, max_length=255), required=False,
                                  max_length=10, help_text="Attachments (multipart): PDF, JPEG, PNG or Word (.docx), "
                                                           "at most 20 MiB each. Required for written_opinion.")


class EntryUpdateSerializer(EntryFieldsSerializer):
    reason = VisibleCharField(max_length=2000, required=False, allow_blank=True,
                                   help_text="Required from a supervisor correcting a closed case.")


def given(serializer, data) -> dict:
    """The validated values of the fields the client actually sent."""
    sent = set(data.keys()) if hasattr(data, "keys") else set()
    return {key: value for key, value in serializer.validated_data.items() if key in sent}


class FilesSerializer(StrictSerializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=False, max_length=255),
                                  allow_empty=False, max_length=10)


class AnswerSerializer(StrictSerializer):
    answer = VisibleCharField(max_length=4000)


class ClosingSubmitSerializer(StrictSerializer):
    summary = VisibleCharField(max_length=10000)
    materials = serializers.ListField(child=serializers.FileField(allow_empty_file=False, max_length=255),
                                      required=False, max_length=10)
    judgment = serializers.FileField(required=False, allow_empty_file=False, max_length=255,
                                     help_text="The judgment, when the court did not report it through the API.")


class ClosingReviewSerializer(StrictSerializer):
    note = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


class ClosingAmendSerializer(StrictSerializer):
    summary = VisibleCharField(max_length=10000)
    reason = VisibleCharField(max_length=2000)


class RecordDefendantSerializer(StrictSerializer):
    name = VisibleCharField(max_length=64)
    id_number = VisibleCharField(max_length=18, required=False, allow_blank=True, default="")


class VerifiedRecordInputSerializer(StrictSerializer):
    """A detention centre's meeting (`meeting`: booked, and held with start and end) or an e-file
    system's file access (`file_access`). `reference` is the system's own id of the record: a second
    record with the same reference answers 409."""

    type = serializers.ChoiceField(choices=VerifiedRecord.Kind.choices)
    reference = VisibleCharField(max_length=64)
    lawyer_licence = VisibleCharField(max_length=32)
    defendant = RecordDefendantSerializer(required=False)
    case_number = VisibleCharField(max_length=64, required=False)
    booked_at = BeijingDateTimeField(required=False, allow_null=True)
    held = serializers.BooleanField(required=False, default=True)
    started_at = BeijingDateTimeField(required=False, allow_null=True)
    ended_at = BeijingDateTimeField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=MeetingMode.choices, required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs["type"] == VerifiedRecord.Kind.MEETING and not attrs.get("defendant"):
            raise_field_error("defendant", _("Give the detained person's name (and identity number)."), "required")
        if attrs["type"] == VerifiedRecord.Kind.FILE_ACCESS and not (attrs.get("case_number") or "").strip():
            raise_field_error("case_number", _("Give the case number of the file."), "required")
        return attrs


# --- Output -----------------------------------------------------------------------------------------

class WorkDocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    uploaded_at = BeijingDateTimeField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkDocument
        fields = ["id", "kind", "name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return f"/api/v1/notices/{obj.notice_id}/work-documents/{obj.pk}/"


class RecordBriefSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name")
    started_at = BeijingDateTimeField(allow_null=True)
    ended_at = BeijingDateTimeField(allow_null=True)

    class Meta:
        model = VerifiedRecord
        fields = ["id", "source", "kind", "reference", "started_at", "ended_at"]


class WorkEntrySerializer(serializers.ModelSerializer):
    notice = serializers.UUIDField(source="notice_id")
    title = serializers.CharField(source="get_kind_display")
    basis = serializers.SerializerMethodField()
    lawyer = serializers.CharField(source="lawyer.name")
    started_at = BeijingDateTimeField()
    ended_at = BeijingDateTimeField(allow_null=True)
    duration_minutes = serializers.IntegerField(allow_null=True)
    answered_at = BeijingDateTimeField(allow_null=True)
    verify_by = BeijingDateTimeField(allow_null=True)
    created_at = BeijingDateTimeField()
    updated_at = BeijingDateTimeField()
    documents = WorkDocumentSerializer(many=True)
    verified_by = RecordBriefSerializer(source="verified_records", many=True)

    class Meta:
        model = WorkLogEntry
        fields = ["id", "notice", "kind", "title", "basis", "lawyer", "designation", "started_at", "ended_at",
                  "duration_minutes", "place", "mode", "subject", "copied", "notes", "whole_hearing",
                  "absence_reason", "obstructed_right", "obstructed_by", "status", "decision", "decided_on",
                  "decision_reasons", "answer", "answered_at", "verification", "verify_by", "documents",
                  "verified_by", "created_at", "updated_at"]

    def get_basis(self, obj) -> str:
        return SPECS[obj.kind].basis


class CourtRequestSerializer(serializers.ModelSerializer):
    """A lawyer's request as the court sees it: what is asked and its state; nothing else of the
    work log."""

    filed_at = BeijingDateTimeField(source="started_at")
    lawyer = serializers.CharField(source="lawyer.name")
    basis = serializers.SerializerMethodField()

    class Meta:
        model = WorkLogEntry
        fields = ["id", "kind", "filed_at", "lawyer", "subject", "notes", "status", "decision", "decided_on",
                  "decision_reasons", "basis"]

    def get_basis(self, obj) -> str:
        return SPECS[obj.kind].basis


class CourtFeedbackSerializer(serializers.ModelSerializer):
    defense_opinion_adopted = serializers.CharField(source="opinion_adopted")
    reasons_if_not_adopted = serializers.CharField(source="reasons_not_adopted")
    reported_at = BeijingDateTimeField()
    basis = serializers.SerializerMethodField()

    class Meta:
        model = CourtFeedback
        fields = ["id", "kind", "notified_on", "pronounced_on", "outcome", "defense_opinion_adopted",
                  "reasons_if_not_adopted", "decision", "decided_on", "summary", "reported_at", "basis"]

    def get_basis(self, obj) -> str:
        return {"not_heard": "M 20", "judgment": "M 18", "procedural_decision": rules.PROCEDURAL_DECISION_BASIS}[
            obj.kind]


class DutySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    basis = serializers.CharField()
    inference = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    entries = serializers.ListField(child=serializers.IntegerField())


class ClosingSerializer(serializers.ModelSerializer):
    notice = serializers.UUIDField(source="notice_id")
    lawyer = serializers.CharField(source="lawyer.name")
    duties = serializers.SerializerMethodField()
    submitted_at = BeijingDateTimeField()
    reviewed_at = BeijingDateTimeField(allow_null=True)
    accepted_at = BeijingDateTimeField(allow_null=True)
    documents = WorkDocumentSerializer(many=True)

    class Meta:
        model = Closing
        fields = ["id", "notice", "lawyer", "status", "summary", "duties", "submitted_at", "reviewed_at",
                  "review_note", "accepted_at", "documents"]

    @extend_schema_field(DutySerializer(many=True))
    def get_duties(self, obj):
        """The check the closing passed, as stored, titled in the reader's language."""
        from assignments.work.selectors import duty_rows

        return DutySerializer(duty_rows(obj.duties), many=True).data


class VerifiedRecordSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind")
    notice = serializers.UUIDField(source="notice_id")
    matched_entry = serializers.IntegerField(source="entry_id", allow_null=True)
    received_at = BeijingDateTimeField()

    class Meta:
        model = VerifiedRecord
        fields = ["id", "type", "reference", "notice", "matched_entry", "received_at"]


class CourtContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()
    judge = serializers.CharField()
    judge_phone = serializers.CharField()
    liaison = serializers.CharField()
    liaison_phone = serializers.CharField()


class MyDesignationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    kind = serializers.CharField()
    designated_at = BeijingDateTimeField()
    letter_number = serializers.CharField()


class LawyerCaseSerializer(serializers.Serializer):
    """A case in the lawyer's list."""

    id = serializers.UUIDField(source="notice.pk")
    case_number = serializers.CharField(source="notice.case.case_number")
    court = serializers.CharField(source="notice.court.name")
    defendant = serializers.CharField(source="notice.defendant.name")
    status = serializers.CharField(source="notice.status")
    stage = serializers.CharField()
    designation = MyDesignationSerializer()
    next_deadline = DeadlineSerializer(allow_null=True)


class HearingOutSerializer(serializers.Serializer):
    starts_at = BeijingDateTimeField(allow_null=True)
    place = serializers.CharField()


class CustodyOutSerializer(serializers.Serializer):
    status = serializers.CharField()
    place = serializers.CharField()


class LawyerCaseDetailSerializer(serializers.Serializer):
    """The case page as data: the notice, the court's contact, documents, deadlines, the court's
    feedback, the lawyer's own work log, the closing and the duties still missing."""

    id = serializers.UUIDField()
    case_number = serializers.CharField()
    status = serializers.CharField()
    category = serializers.CharField()
    procedure = serializers.CharField()
    charges = serializers.ListField(child=serializers.CharField())
    defendant = serializers.CharField()
    custody = CustodyOutSerializer(allow_null=True)
    court = CourtContactSerializer()
    hearing = HearingOutSerializer(allow_null=True)
    designation = MyDesignationSerializer()
    documents = DocumentSerializer(many=True)
    deadlines = DeadlineSerializer(many=True)
    feedback = CourtFeedbackSerializer(many=True)
    entries = WorkEntrySerializer(many=True)
    closing = ClosingSerializer(allow_null=True)
    duties = DutySerializer(many=True)

