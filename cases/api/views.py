"""Court API v1 (docs/court-api.md): notices, their documents and events; and the public
deadline-rule registry with its calculator."""
import django_filters
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import case_numbers, services
from cases.api import serializers as s
from cases.deadlines import rules as registry
from cases.deadlines.inputs import parse_start
from cases.deadlines.models import Party, Unit
from cases.deadlines.services import current_calendar
from cases.models import Notice, Region
from cases.selectors import notice_get_for_user, notice_just_received, notice_list_for_user, notices_first_by_agency
from legalaid.api.pagination import StrictCursorPagination
from legalaid.api import UUID_PATTERN
from legalaid.api.idempotency import idempotent
from legalaid.api.serializers import raise_field_error
from legalaid.errors import NotPermitted, PayloadTooLarge
from legalaid.models import Role

ERRORS = inline_serializer("Errors", {"errors": serializers.ListField(child=serializers.DictField())})
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                               description="1-64 visible ASCII characters; a replay returns the first response.")


class NoticePagination(StrictCursorPagination):
    ordering = ("-updated_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NoticeFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices)
    case_number = django_filters.CharFilter(method="filter_case_number")

    class Meta:
        model = Notice
        fields = ["updated_since", "status", "case_number"]

    def filter_case_number(self, queryset, name, value):
        # Stored in canonical form (cases.case_numbers): found however the court writes it.
        return queryset.filter(case__case_number=case_numbers.normalise(value))


def _require_court(user):
    if user.role != Role.COURT or not user.court_id:
        raise NotPermitted(_("Only a court account may report to the agency through this endpoint."))


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notices of defence (通知辩护). A court account sees and changes only its own court's notices."""

    serializer_class = s.NoticeSerializer
    pagination_class = NoticePagination
    filterset_class = NoticeFilter
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return notice_list_for_user(user=self.request.user)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        # The page the cursor asks for is among each agency's first (offset + page size + 1)
        # notices from the cursor's position, in the cursor's direction.
        paginator = self.paginator
        cursor = paginator.decode_cursor(self.request)
        ordering = paginator.get_ordering(self.request, queryset, self)
        count = (cursor.offset if cursor else 0) + paginator.get_page_size(self.request) + 1
        if cursor and cursor.reverse:
            ordering = tuple(o[1:] if o.startswith("-") else "-" + o for o in ordering)
        if cursor and cursor.position is not None:
            field = ordering[0].lstrip("-")
            queryset = queryset.filter(**{f"{field}__{'lt' if ordering[0].startswith('-') else 'gt'}": cursor.position})
        return notices_first_by_agency(queryset, user=self.request.user, ordering=ordering, count=count)

    def _notice(self):
        return self.get_object()

    def _fresh(self, notice):
        return notice_get_for_user(user=self.request.user, notice_id=notice.pk)

    @extend_schema(request=s.NoticeCreateSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.NoticeSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS,
                              409: OpenApiResponse(s.DuplicateErrorSerializer), 422: ERRORS})
    @idempotent
    def create(self, request):
        _require_court(request.user)
        serializer = s.NoticeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_receive(court=request.user.court, data=serializer.validated_data, actor=request.user)
        return Response(s.NoticeSerializer(notice_just_received(notice)).data, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/notices/{notice.pk}/"})

    @extend_schema(request=inline_serializer("CourtEvent", {"type": serializers.ChoiceField(
        choices=list(s.EVENT_SERIALIZERS))}), parameters=[IDEMPOTENCY],
        responses={201: s.NoticeSerializer, 400: ERRORS, 404: ERRORS, 409: ERRORS},
        description="hearing_scheduled / hearing_changed {starts_at, place}; materials_supplemented "
                    "{fields, documents_attached}; retained_counsel {lawyer_name, firm}; and the events the "
                    "assignment and lawyer workflows add.")
    @action(detail=True, methods=["post"])
    @idempotent
    def events(self, request, pk=None):
        _require_court(request.user)
        notice = self._notice()
        head = s.EventSerializer(data={"type": request.data.get("type")} if isinstance(request.data, dict) else {})
        head.is_valid(raise_exception=True)
        kind = head.validated_data["type"]
        body = s.EVENT_SERIALIZERS[kind](data=request.data)
        body.is_valid(raise_exception=True)
        handle_event(kind, notice=notice, data=body.validated_data, actor=request.user)
        return Response(s.NoticeSerializer(self._fresh(notice)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.DocumentUploadSerializer}, parameters=[IDEMPOTENCY],
                   responses={201: s.DocumentSerializer, 400: ERRORS, 404: ERRORS,
                              409: OpenApiResponse(ERRORS, description="The notice is closed: no more documents."),
                              413: ERRORS, 415: ERRORS})
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        _require_court(request.user)
        notice = self._notice()
        # Refuse an oversized body before it is read (the multipart envelope adds a little).
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.MAX_UPLOAD_BYTES + 1024 * 1024:
            raise PayloadTooLarge(_("A document may be at most %(mib)s MiB.")
                                  % {"mib": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}, field="file")
        return self._upload(request, notice)

    @idempotent
    def _upload(self, request, notice):
        serializer = s.DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_upload(notice=notice, kind=serializer.validated_data["kind"],
                                            upload=serializer.validated_data["file"], actor=request.user,
                                            max_bytes=settings.MAX_UPLOAD_BYTES)
        notice = self._fresh(notice)
        body = {**s.DocumentSerializer(document).data, "missing_materials": notice.missing_materials,
                "status": notice.status}
        return Response(body, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/notices/{notice.pk}/"})


def _supplement_payload(notice, fields: dict) -> dict:
    """The notice in its input shape, with the court's corrections laid over it."""
    case, d = notice.case, notice.defendant
    payload = {
        "case_number": case.case_number, "procedure": case.procedure, "accepted_on": case.accepted_on.isoformat(),
        "charges": d.charges, "reason": notice.court_reason,
        "judge": {"name": case.judge_name, "phone": case.judge_phone},
        "defendant": {"name": d.name, "id_number": d.id_number, "gender": d.gender,
                      "birth_date": d.birth_date.isoformat(), "ethnicity": d.ethnicity, "residence": d.residence,
                      "conditions": d.conditions, "may_face_life_or_death": d.may_face_life_or_death},
    }
    if d.custody_status:
        payload["defendant"]["custody"] = {"status": d.custody_status, "place": d.custody_place}
    if case.hearing_starts_at:
        payload["hearing"] = {"starts_at": case.hearing_starts_at.isoformat(), "place": case.hearing_place}
    allowed = {"charges", "reason", "hearing", "judge", "defendant", "procedure", "accepted_on"}
    for key, value in fields.items():
        if key not in allowed:
            raise_field_error(f"fields.{key}", _("Unknown field."), "unknown_field")
        if isinstance(value, dict) and isinstance(payload.get(key), dict):
            merged = {**payload[key], **value}
            if key == "defendant" and "id_number" in value:
                for derived in ("birth_date", "gender"):  # a corrected ID number brings its own
                    if derived not in value:
                        merged.pop(derived, None)
            payload[key] = merged
        else:
            payload[key] = value
    return payload


def handle_event(kind, *, notice, data, actor):
    if kind in ("hearing_scheduled", "hearing_changed"):
        services.notice_hearing_set(notice=notice, starts_at=data["starts_at"], place=data["place"], actor=actor,
                                    code=kind)
    elif kind == "materials_supplemented":
        fields = data.get("fields") or {}
        merged = s.NoticeCreateSerializer(data=_supplement_payload(notice, fields))
        if not merged.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"fields": merged.errors})
        services.notice_materials_supplemented(notice=notice, data=merged.validated_data, fields_given=fields.keys(),
                                               documents_attached=data.get("documents_attached", []), actor=actor)
    elif kind == "retained_counsel":
        services.notice_retained_counsel(notice=notice, lawyer_name=data["lawyer_name"], firm=data["firm"],
                                         actor=actor)
    else:
        EXTRA_EVENT_HANDLERS[kind](notice=notice, data=data, actor=actor)


# Events handled by other apps (assignments: defendant_refused; lawyers: not_heard, judgment).
EXTRA_EVENT_HANDLERS = {}


# --- Deadline rules (public) ----------------------------------------------------------------------

class DeadlineRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    basis = serializers.CharField()
    trigger = serializers.CharField()
    period = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    party = serializers.ChoiceField(choices=Party.choices)
    rolls_over = serializers.BooleanField()
    custody_period = serializers.BooleanField()
    reminders = serializers.ListField(child=serializers.ListField())
    escalate_to = serializers.CharField()
    inference = serializers.CharField()
    local = serializers.BooleanField()


class DueSerializer(serializers.Serializer):
    rule = serializers.CharField()
    start = serializers.CharField()
    due_at = s.BeijingDateTimeField()
    provisional = serializers.BooleanField()
    basis = serializers.CharField()
    unit = serializers.CharField()
    period = serializers.IntegerField()


REGION_PARAMETER = OpenApiParameter("region", OpenApiTypes.STR, required=False,
                                    description="Division code (e.g. 411702): apply that jurisdiction's overrides "
                                                "and local rules")


def _region(request):
    code = request.query_params.get("region")
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise_field_error("region", _("Unknown region."), "unknown_region")
    return region


class DeadlineRuleViewSet(viewsets.ViewSet):
    """The statutory deadline rules, with legal basis; public and read-only (docs/court-api.md)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"

    @extend_schema(parameters=[REGION_PARAMETER], responses={200: DeadlineRuleSerializer(many=True), 400: ERRORS})
    def list(self, request):
        rules = [_rule_dict(rule) for rule in registry.rules_for_region(_region(request))]
        return Response(DeadlineRuleSerializer(rules, many=True).data)

    @extend_schema(parameters=[REGION_PARAMETER], responses={200: DeadlineRuleSerializer, 400: ERRORS, 404: ERRORS})
    def retrieve(self, request, code=None):
        rule = _get_rule(code, _region(request))
        return Response(DeadlineRuleSerializer(_rule_dict(rule)).data)

    @extend_schema(parameters=[
        OpenApiParameter("start", OpenApiTypes.STR, required=True,
                         description="When the clock starts: an ISO 8601 time (Beijing time without an offset) or a "
                                     "YYYY-MM-DD Beijing date. For a rule counted before an event "
                                     "(days_before_event), the event itself, e.g. the hearing."),
        REGION_PARAMETER,
        OpenApiParameter("in_custody", OpenApiTypes.BOOL, required=False,
                         description="The defendant is in custody: a custody period ends on its last day (CPL 105)")],
        responses={200: DueSerializer, 400: ERRORS, 404: ERRORS})
    @action(detail=True, methods=["get"])
    def due(self, request, code=None):
        region = _region(request)
        rule = _get_rule(code, region)
        raw = request.query_params.get("start")
        if not (raw or "").strip():
            raise_field_error("start", _("Give the start as an ISO 8601 time or a YYYY-MM-DD date."), "required")
        start = parse_start(raw)
        if start is None:
            raise_field_error("start", _("Give the start as an ISO 8601 time or a YYYY-MM-DD date."), "invalid")
        if not 1950 <= start.year <= 2199:
            raise_field_error("start", _("The start is out of range."), "out_of_range")
        custody = request.query_params.get("in_custody", "false").strip().lower()
        if custody not in ("true", "false", "1", "0"):
            raise_field_error("in_custody", _("Give true or false."), "invalid")
        due = registry.compute_due(rule, start, current_calendar(), in_custody=custody in ("true", "1"))
        return Response(DueSerializer({
            "rule": rule.code, "start": start.isoformat(), "due_at": due.due_at, "provisional": due.provisional,
            "basis": rule.basis, "unit": rule.unit, "period": rule.period}).data)


def _get_rule(code, region=None):
    from rest_framework.exceptions import NotFound

    rule = registry.rule_for(code, region)
    if rule is None:
        raise NotFound()
    return rule


def _rule_dict(rule):
    return {**rule.__dict__, "title": rule.title, "title_en": str(rule.title_en), "inference": str(rule.inference),
            "reminders": [list(r) for r in rule.reminders]}
