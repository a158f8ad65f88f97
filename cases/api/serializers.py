"""Court API v1 bodies (docs/court-api.md). Input serializers validate every rule of the
contract; the notice-entry page for paper notices validates through the same ones."""
import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assignments.work import rules as work_rules
from cases import case_numbers
from cases.deadlines import rules as registry
from cases.deadlines.models import Deadline
from cases.eligibility import grounds_for
from cases.models import Category, Condition, CustodyStatus, DocumentKind, Gender, Notice, Procedure
from cases.validators import PHONE_RE, mask_id_number, mask_text, parse_id_number
from legalaid import clock
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import BeijingDateTimeField, StrictSerializer, raise_field_error
from legalaid.errors import InvalidInput
from legalaid.models import Role

PROMISED_KINDS = [DocumentKind.INDICTMENT, DocumentKind.FIRST_INSTANCE_JUDGMENT, DocumentKind.PROTEST,
                  DocumentKind.RETRIAL_NOTICE]


def _not_future(value, code="future_date"):
    if value > clock.today():
        raise serializers.ValidationError(_("This date is in the future."), code=code)
    return value


class PhoneField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not PHONE_RE.match(value):
            raise serializers.ValidationError(_("Enter a telephone number."), code="invalid_phone")
        return value


# A hearing is set within months of the notice; years ahead is a typing error (9999 for 2026).
HEARING_YEARS_AHEAD = 5


def _sane_hearing(value):
    latest = dt.date(clock.today().year + HEARING_YEARS_AHEAD, 12, 31)
    if not dt.date(2000, 1, 1) <= clock.beijing_date(value) <= latest:
        raise serializers.ValidationError(
            _("A hearing must fall between %(first)s and %(last)s.") % {"first": "2000-01-01", "last": latest},
            code="hearing_out_of_range")
    return value


class HearingSerializer(StrictSerializer):
    starts_at = BeijingDateTimeField(validators=[_sane_hearing])
    place = VisibleCharField(max_length=128)


class JudgeSerializer(StrictSerializer):
    name = VisibleCharField(max_length=64)
    phone = PhoneField()


class CustodySerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=CustodyStatus.choices)
    place = VisibleCharField(max_length=128, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["status"] == CustodyStatus.DETAINED and not attrs.get("place", "").strip():
            raise_field_error("place", _("Give the place of detention."), "required")
        return attrs


class DefendantSerializer(StrictSerializer):
    name = VisibleCharField(max_length=64)
    id_number = VisibleCharField(max_length=18, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, validators=[_not_future])
    ethnicity = VisibleCharField(max_length=32, required=False, allow_blank=True, default="")
    custody = CustodySerializer(required=False)
    residence = VisibleCharField(max_length=255, required=False, allow_blank=True, default="")
    conditions = serializers.ListField(child=serializers.ChoiceField(choices=Condition.choices), required=False,
                                       default=list, max_length=4)
    may_face_life_or_death = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        id_number = attrs.get("id_number", "").strip().upper()
        attrs["id_number"] = id_number
        if id_number:
            try:
                birth, gender = parse_id_number(id_number)
            except InvalidInput as exc:
                raise_field_error("id_number", exc.message, exc.code)
            if birth > clock.today():
                raise_field_error("id_number", _("The identity number holds a birth date in the future."),
                                  "future_date")
            if attrs.get("birth_date") and attrs["birth_date"] != birth:
                raise_field_error("birth_date", _("The birth date disagrees with the identity number."),
                                  "id_birth_date_mismatch")
            if attrs.get("gender") and attrs["gender"] != gender:
                raise_field_error("gender", _("The gender disagrees with the identity number."),
                                  "id_gender_mismatch")
            attrs["birth_date"], attrs["gender"] = birth, gender
        elif not attrs.get("birth_date"):
            raise_field_error("birth_date", _("Give the birth date when there is no identity number."), "required")
        attrs["conditions"] = list(dict.fromkeys(attrs.get("conditions", [])))
        return attrs


class NoticeCreateSerializer(StrictSerializer):
    case_number = VisibleCharField(max_length=64)
    procedure = serializers.ChoiceField(choices=Procedure.choices)
    accepted_on = serializers.DateField(validators=[_not_future])
    charges = serializers.ListField(child=VisibleCharField(max_length=64), allow_empty=False, max_length=20)
    reason = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    hearing = HearingSerializer(required=False, allow_null=True)
    judge = JudgeSerializer()
    defendant = DefendantSerializer()
    documents_attached = serializers.ListField(child=serializers.ChoiceField(choices=PROMISED_KINDS),
                                               required=False, default=list, max_length=4)

    def validate_case_number(self, value):
        value = case_numbers.normalise(value)
        if not value:
            raise serializers.ValidationError(_("This field holds no visible character."), code="required")
        return value

    def validate(self, attrs):
        hearing = attrs.get("hearing")
        if hearing and clock.beijing_date(hearing["starts_at"]) < attrs["accepted_on"]:
            raise_field_error("hearing.starts_at", _("The hearing cannot be before the case was accepted."),
                              "hearing_before_acceptance")
        if attrs["defendant"]["birth_date"] > attrs["accepted_on"]:
            raise_field_error("defendant.birth_date", _("The defendant was born after the case was accepted."),
                              "birth_after_acceptance")
        attrs["charges"] = [c.strip() for c in attrs["charges"]]
        attrs["documents_attached"] = list(dict.fromkeys(attrs.get("documents_attached", [])))
        return attrs


# --- Events -------------------------------------------------------------------------------------

class EventSerializer(StrictSerializer):
    TYPES = ["hearing_scheduled", "hearing_changed", "materials_supplemented", "retained_counsel",
             "defendant_refused", "not_heard", "judgment", "procedural_decision", "evidence_request_decided"]
    type = serializers.ChoiceField(choices=TYPES)


class HearingEventSerializer(StrictSerializer):
    type = serializers.CharField()
    starts_at = BeijingDateTimeField(validators=[_sane_hearing])
    place = VisibleCharField(max_length=128)


class MaterialsSupplementedSerializer(StrictSerializer):
    type = serializers.CharField()
    # Any subset of the notice's own fields; validated by re-validating the whole corrected notice.
    fields = serializers.DictField(required=False, default=dict)
    documents_attached = serializers.ListField(child=serializers.ChoiceField(choices=PROMISED_KINDS),
                                               required=False, default=list, max_length=4)


class RetainedCounselSerializer(StrictSerializer):
    type = serializers.CharField()
    lawyer_name = VisibleCharField(max_length=64)
    firm = VisibleCharField(max_length=128)


class DefendantRefusedSerializer(StrictSerializer):
    """The defendant refused the designated lawyer (Measures Art. 6). `defend_self` (optional, an
    extension of the contract's body) says whether the defendant insists on defending themself."""

    type = serializers.CharField()
    reason = VisibleCharField(max_length=2000)
    valid_reason = serializers.BooleanField()
    defend_self = serializers.BooleanField(required=False, allow_null=True, default=None)


class NotHeardSerializer(StrictSerializer):
    """The court decided not to open a hearing: the lawyer's 10-day written opinion clock starts
    from `notified_on` (M 20)."""

    type = serializers.CharField()
    notified_on = serializers.DateField(validators=[_not_future])


class JudgmentSerializer(StrictSerializer):
    """The judgment; `reasons_if_not_adopted` is required unless the defence opinion was adopted in
    full (M 18)."""

    type = serializers.CharField()
    pronounced_on = serializers.DateField(validators=[_not_future])
    outcome = VisibleCharField(max_length=2000)
    defense_opinion_adopted = serializers.ChoiceField(choices=work_rules.OpinionAdopted.choices)
    reasons_if_not_adopted = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


class ProceduralDecisionSerializer(StrictSerializer):
    """A major procedural decision the court tells the lawyer of (M 14); `summary` is required
    for `other`."""

    type = serializers.CharField()
    decision = serializers.ChoiceField(choices=work_rules.ProceduralDecision.choices)
    decided_on = serializers.DateField(validators=[_not_future])
    summary = VisibleCharField(max_length=2000, required=False, allow_blank=True, default="")


class EvidenceRequestDecidedSerializer(StrictSerializer):
    """The court's decision on the lawyer's evidence-collection or witness request (M 16: within 3
    days). `request` is the request's id (GET /api/v1/notices/<id>/court-requests/); it may be left
    out when exactly one request awaits a decision."""

    type = serializers.CharField()
    request = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    decision = serializers.ChoiceField(choices=work_rules.CourtDecision.choices)
    decided_on = serializers.DateField(validators=[_not_future])
    reasons = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


EVENT_SERIALIZERS = {
    "hearing_scheduled": HearingEventSerializer,
    "hearing_changed": HearingEventSerializer,
    "materials_supplemented": MaterialsSupplementedSerializer,
    "retained_counsel": RetainedCounselSerializer,
    "defendant_refused": DefendantRefusedSerializer,
    "not_heard": NotHeardSerializer,
    "judgment": JudgmentSerializer,
    "procedural_decision": ProceduralDecisionSerializer,
    "evidence_request_decided": EvidenceRequestDecidedSerializer,
}


class DocumentUploadSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(allow_empty_file=False, max_length=255)


# --- Output -------------------------------------------------------------------------------------

class GroundSerializer(serializers.Serializer):
    code = serializers.CharField()
    basis = serializers.CharField()
    title = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    grounds = GroundSerializer(many=True)
    differs_from_court_reason = serializers.BooleanField()
    court_reason = serializers.CharField(allow_null=True)


class DeadlineSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_code")
    title = serializers.SerializerMethodField()
    due_at = BeijingDateTimeField()

    class Meta:
        model = Deadline
        fields = ["rule", "title", "due_at", "basis", "status", "provisional", "party"]

    def get_title(self, obj) -> str:
        rule = registry.REGISTRY.get(obj.rule_code)
        return rule.title if rule else obj.rule_code


class LawyerBriefSerializer(serializers.Serializer):
    name = serializers.CharField()
    firm = serializers.CharField()
    phone = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):
    lawyer = LawyerBriefSerializer()
    assigned_at = BeijingDateTimeField()
    letter = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = BeijingDateTimeField()


class NoticeSerializer(serializers.ModelSerializer):
    """A notice as the court sees it."""

    case_number = serializers.CharField(source="case.case_number")
    court = serializers.CharField(source="court.code")
    procedure = serializers.CharField(source="case.procedure")
    accepted_on = serializers.DateField(source="case.accepted_on")
    charges = serializers.ListField(source="defendant.charges", child=serializers.CharField())
    eligibility = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    assignment = serializers.SerializerMethodField()
    hearing = serializers.SerializerMethodField()
    judge = serializers.SerializerMethodField()
    defendant = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    documents_attached = serializers.ListField(source="documents_promised", child=serializers.CharField())
    received_at = BeijingDateTimeField()
    updated_at = BeijingDateTimeField()

    class Meta:
        model = Notice
        fields = ["id", "case_number", "court", "status", "eligibility", "missing_materials", "deadlines",
                  "assignment", "received_at", "updated_at", "procedure", "accepted_on", "charges", "hearing",
                  "judge", "defendant", "documents_attached", "documents"]

    @extend_schema_field(EligibilitySerializer)
    def get_eligibility(self, obj):
        return {
            "category": obj.category,
            "grounds": [{"code": g.code, "basis": g.basis, "title": str(g.title)} for g in grounds_for(obj.grounds)],
            "differs_from_court_reason": obj.category_differs,
            "court_reason": obj.court_reason or None,
        }

    def _nested(self, serializer_class, rows) -> list:
        """`rows` through one `serializer_class` instance kept for the whole list (a list's notices
        share this serializer): building a serializer's fields again for each notice was half the
        time of a 50-notice page."""
        kept = self.__dict__.setdefault("_nested_serializers", {})
        if serializer_class not in kept:
            kept[serializer_class] = serializer_class(context=self.context)
        child = kept[serializer_class]
        return [child.to_representation(row) for row in rows]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return self._nested(DeadlineSerializer, obj.deadlines.all())

    @extend_schema_field(AssignmentSerializer(allow_null=True))
    def get_assignment(self, obj):
        from assignments.selectors import assignment_block

        block = assignment_block(obj)
        return self._nested(AssignmentSerializer, [block])[0] if block else None

    @extend_schema_field(HearingSerializer(allow_null=True))
    def get_hearing(self, obj):
        case = obj.case
        if not case.hearing_starts_at:
            return None
        return {"starts_at": BeijingDateTimeField().to_representation(case.hearing_starts_at),
                "place": case.hearing_place}

    @extend_schema_field(JudgeSerializer)
    def get_judge(self, obj):
        return {"name": obj.case.judge_name, "phone": obj.case.judge_phone}

    @extend_schema_field(DefendantSerializer)
    def get_defendant(self, obj):
        """The court that sent the notice reads back what it sent. Every other reader gets the identity
        number masked (the staff page's logged "show" is the way to the full number); read-only roles
        also get the residence and the place of custody masked (docs/permissions.md)."""
        d = obj.defendant
        request = self.context.get("request")
        reader = getattr(request, "user", None)
        sender = reader is None or (reader.role == Role.COURT and reader.court_id == obj.court_id)
        private = sender or reader.can_write_cases or reader.role == Role.LAWYER
        place = d.custody_place if private else mask_text(d.custody_place, 3)
        return {
            "name": d.name, "id_number": d.id_number if sender else mask_id_number(d.id_number), "gender": d.gender,
            "birth_date": d.birth_date.isoformat(), "ethnicity": d.ethnicity,
            "custody": {"status": d.custody_status, "place": place} if d.custody_status else None,
            "residence": d.residence if private else mask_text(d.residence), "conditions": d.conditions,
            "may_face_life_or_death": d.may_face_life_or_death,
        }

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, obj):
        return self._nested(DocumentSerializer, obj.documents.all())


class DuplicateErrorSerializer(serializers.Serializer):
    errors = serializers.ListField(child=serializers.DictField())
    existing = serializers.CharField()
