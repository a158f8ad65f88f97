"""The public deadline-rule registry with its calculator (docs/court-api.md). The court API's notice
endpoints, which compose several apps, are in courtapi/."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cases.api import serializers as s
from cases.deadlines import rules as registry
from cases.deadlines.inputs import parse_start
from cases.deadlines.models import Party, Unit
from cases.deadlines.services import current_calendar
from cases.models import Region
from legalaid.api.schema import ERRORS
from legalaid.api.serializers import raise_field_error


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
    rule = registry.rule_for(code, region)
    if rule is None:
        raise NotFound()
    return rule


def _rule_dict(rule):
    return {**rule.__dict__, "title": rule.title, "title_en": str(rule.title_en), "inference": str(rule.inference),
            "reminders": [list(r) for r in rule.reminders]}
