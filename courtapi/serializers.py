"""The notice as the court reads it (docs/court-api.md): cases' NoticeSerializer with the `assignment`
block of assignments in its place, and the same body for the court's webhooks."""
from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from assignments.selectors import assignment_block, notice_get_for_user
from cases.api import serializers as case_serializers
from legalaid.api.serializers import BeijingDateTimeField
from legalaid.models import Role, User


class LawyerBriefSerializer(serializers.Serializer):
    name = serializers.CharField()
    firm = serializers.CharField()
    phone = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):
    lawyer = LawyerBriefSerializer()
    assigned_at = BeijingDateTimeField()
    letter = serializers.CharField()


class NoticeSerializer(case_serializers.NoticeSerializer):
    """A notice as the court sees it."""

    assignment = serializers.SerializerMethodField()

    class Meta(case_serializers.NoticeSerializer.Meta):
        fields = ["id", "case_number", "court", "status", "eligibility", "missing_materials", "deadlines",
                  "assignment", "received_at", "updated_at", "procedure", "accepted_on", "charges", "hearing",
                  "judge", "defendant", "documents_attached", "documents"]

    @extend_schema_field(AssignmentSerializer(allow_null=True))
    def get_assignment(self, obj):
        block = assignment_block(obj)
        return self._nested(AssignmentSerializer, [block])[0] if block else None


def notice_body_for_court(*, notice_id, court_id) -> str:
    """legalaid/hooks.py, `court_notice_body`: the notice as its court reads it through the API, read
    through the same selector and serializer, in the API's default language."""
    # The court's view of the notice, whichever of its accounts (if any) exists.
    reader = User(role=Role.COURT, court_id=court_id, is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        notice = notice_get_for_user(user=reader, notice_id=notice_id)
        return JSONRenderer().render(NoticeSerializer(notice).data).decode()
