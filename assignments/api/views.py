"""Staff and lawyer API for designations (recommend, designate, replace, terminate; accept,
decline), the legal aid letter (courts too), the roster and duty lawyers. Scoped by role: a notice
another user may not see answers 404; a role that may not act answers 403."""
import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from assignments import selectors, services
from assignments.api import serializers as s
from assignments.imports import read_rows
from assignments.letter import render_letter
from assignments.models import Designation, DutyShift
from assignments.recommendation import recommend
from legalaid.api.schema import ERRORS, IDEMPOTENCY
from cases.models import Notice
from assignments.selectors import notice_get_for_user
from legalaid.api import UUID_PATTERN
from legalaid import clock
from legalaid.api.idempotency import idempotent
from legalaid.api.serializers import raise_field_error
from legalaid.errors import NotPermitted
from legalaid.models import AGENCY_ROLES, Role


def _require_agency(user):
    if not (user.role in AGENCY_ROLES or user.is_administrator):
        raise NotPermitted(_("Only legal aid agency accounts may use this endpoint."))


def _notice(request, pk) -> Notice:
    try:
        return notice_get_for_user(user=request.user, notice_id=pk)
    except (Notice.DoesNotExist, ValueError, ValidationError):  # a malformed id is a notice that does not exist
        raise NotFound() from None


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


class LetterView(APIView):
    """The legal aid letter of Measures Art. 5 for the notice's current designation (PDF). The
    court sees only its own notices' letters."""

    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # An error (404, 429, ...) is the contract's JSON error body, whatever the client accepts: never
        # JSON labelled application/pdf.
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and hasattr(response, "accepted_renderer"):
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = response.accepted_renderer.media_type
            response.renderer_context = self.get_renderer_context()
        return response

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, (404, "application/json"): ERRORS,
                              (503, "application/json"): ERRORS})
    def get(self, request, pk):
        notice = _notice(request, pk)
        designation = selectors.current_designation(notice)
        if designation is None:
            raise NotFound()
        pdf = render_letter(designation)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="legal-aid-letter-{designation.letter_number}.pdf"'
        return response


class NoticeAssignmentViewSet(viewsets.GenericViewSet):
    """Designation actions on a notice (agency staff; supervisors for overrides)."""

    lookup_value_regex = UUID_PATTERN
    serializer_class = s.DesignationSerializer
    queryset = Notice.objects.none()

    def _agency_notice(self, pk):
        _require_agency(self.request.user)
        return _notice(self.request, pk)

    @extend_schema(responses={200: s.RecommendationSerializer, 403: ERRORS, 404: ERRORS},
                   parameters=[OpenApiParameter("pool", str, enum=["prefecture", "province"], required=False)])
    @action(detail=True, methods=["get"])
    def recommendation(self, request, pk=None):
        notice = self._agency_notice(pk)
        pool = request.query_params.get("pool")
        if pool not in (None, "", "prefecture", "province"):
            raise_field_error("pool", _("Choose prefecture or province."), "invalid_choice")
        rec = recommend(notice=notice, pool=pool or None)
        return Response(s.RecommendationSerializer(s.recommendation_body(rec)).data)

    @extend_schema(methods=["get"], responses={200: s.DesignationSerializer(many=True), 404: ERRORS})
    @extend_schema(methods=["post"], request=s.DesignateSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.DesignationSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS,
                              422: ERRORS},
                   description="Designate a lawyer. Not the first-ranked candidate: give `reason`. A lawyer a "
                               "hard filter excludes: a supervisor gives `override_reason`. 409 when the notice "
                               "is already designated (two staff at once: one wins), withdrawn, terminated or "
                               "closed.")
    @action(detail=True, methods=["get", "post"])
    def designations(self, request, pk=None):
        notice = self._agency_notice(pk)
        if request.method == "GET":
            return Response(s.DesignationSerializer(selectors.designation_history(notice), many=True).data)
        return self._designate(request, notice)

    @idempotent
    def _designate(self, request, notice):
        body = s.DesignateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        designation = services.lawyer_designate(notice=notice, actor=request.user, **body.validated_data)
        return Response(s.DesignationSerializer(designation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReplaceSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.DesignationSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def replace(self, request, pk=None):
        notice = self._agency_notice(pk)
        body = s.ReplaceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        designation = services.designation_replace(notice=notice, actor=request.user, **body.validated_data)
        return Response(s.DesignationSerializer(designation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TerminateSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.DesignationSerializer(many=True), 400: ERRORS, 403: ERRORS, 404: ERRORS,
                              409: ERRORS},
                   description="Terminate legal aid on a ground of Legal Aid Law Art. 48 (objection: Art. 49).")
    @action(detail=True, methods=["post"])
    @idempotent
    def terminate(self, request, pk=None):
        notice = self._agency_notice(pk)
        body = s.TerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice = services.notice_aid_terminate(notice=notice, actor=request.user, **body.validated_data)
        return Response(s.DesignationSerializer(selectors.designation_history(notice), many=True).data)


class DesignationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A lawyer's designations; the lawyer accepts or declines (with a reason)."""

    serializer_class = s.DesignationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.serializer_class.Meta.model.objects.none()
        if self.request.user.role != Role.LAWYER:
            return Designation.objects.none()
        return selectors.designations_for_lawyer(self.request.user).select_related("designated_by",
                                                                                     "first_candidate")

    @extend_schema(request=None, parameters=[IDEMPOTENCY],
                   responses={200: s.DesignationSerializer, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request, pk=None):
        designation = services.designation_accept(designation=self.get_object(), actor=request.user)
        return Response(s.DesignationSerializer(designation).data)

    @extend_schema(request=s.DeclineSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.DesignationSerializer, 400: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def decline(self, request, pk=None):
        designation = self.get_object()
        body = s.DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        designation = services.designation_decline(designation=designation, actor=request.user,
                                                   reason=body.validated_data["reason"])
        return Response(s.DesignationSerializer(designation).data)


class LawyerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The roster (agency accounts), with each lawyer's open caseload computed."""

    serializer_class = s.LawyerSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.serializer_class.Meta.model.objects.none()
        _require_agency(self.request.user)
        return selectors.lawyer_list(search=self.request.query_params.get("q", ""))

    @extend_schema(request=s.LawyerCreateSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.LawyerSerializer, 400: ERRORS, 403: ERRORS})
    @idempotent
    def create(self, request):
        _require_agency(request.user)
        body = s.LawyerCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lawyer = services.lawyer_create(data=body.validated_data, actor=request.user)
        return Response(s.LawyerSerializer(selectors.lawyer_list().get(pk=lawyer.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.ImportUploadSerializer},
                   responses={201: s.ImportReportSerializer, 400: OpenApiResponse(s.ImportReportSerializer),
                              403: ERRORS},
                   description="CSV or Excel. Every row is checked first; with any error nothing is imported "
                               "and the report lists the errors by row (400).")
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        _require_agency(request.user)
        body = s.ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.roster_import(rows=read_rows(body.validated_data["file"]), actor=request.user)
        data = s.ImportReportSerializer(report).data
        return Response(data, status=status.HTTP_201_CREATED if report.ok else status.HTTP_400_BAD_REQUEST)


class DutyShiftViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Duty rosters: shifts by station and date (agency accounts)."""

    serializer_class = s.DutyShiftSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.serializer_class.Meta.model.objects.none()
        _require_agency(self.request.user)
        qs = DutyShift.objects.select_related("station", "lawyer").order_by("date", "station__name", "lawyer__name")
        if not self.request.user.is_administrator:
            from cases.selectors import visible_agencies

            qs = qs.filter(station__agency__in=visible_agencies(self.request.user))
        day = self.request.query_params.get("date")
        if not day:
            return qs
        from django.utils.dateparse import parse_date

        try:
            parsed = parse_date(day)
        except ValueError:
            parsed = None
        if parsed is None:  # a malformed date is the caller's error (400), not ours (500)
            raise_field_error("date", _("Give the date as YYYY-MM-DD."), "invalid")
        return qs.filter(date=parsed)

    @extend_schema(parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=False)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.DutyShiftSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.DutyShiftSerializer, 400: ERRORS, 403: ERRORS})
    @idempotent
    def create(self, request):
        _require_agency(request.user)
        body = s.DutyShiftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        shift = services.duty_shift_add(actor=request.user, **body.validated_data)
        return Response(s.DutyShiftSerializer(shift).data, status=status.HTTP_201_CREATED)


class HelpRequestView(APIView):
    @extend_schema(request=s.HelpRequestSerializer, parameters=[IDEMPOTENCY],
                   responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS},
                   description="An interim-help request, routed to the duty lawyer on shift at the station.")
    @idempotent
    def post(self, request):
        _require_agency(request.user)
        body = s.HelpRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        req = services.interim_help_request_create(actor=request.user, **body.validated_data)
        return Response({"id": req.pk, "shift": req.shift_id,
                         "lawyer": req.shift.lawyer.name if req.shift else None}, status=status.HTTP_201_CREATED)


class PleaSessionView(APIView):
    @extend_schema(request=s.PleaSessionSerializer, parameters=[IDEMPOTENCY],
                   responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS},
                   description="A plea-signing session attended by the duty lawyer on a shift (CPL 174).")
    @idempotent
    def post(self, request):
        body = s.PleaSessionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = services.plea_session_record(actor=request.user, **body.validated_data)
        return Response({"id": session.pk, "shift": session.shift_id,
                         "signed_at": clock.to_beijing(session.signed_at).isoformat()},
                        status=status.HTTP_201_CREATED)


class FairnessView(APIView):
    @extend_schema(parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
                   responses={200: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS})
    def get(self, request):
        _require_agency(request.user)
        if not request.user.agency_id:  # an administrator belongs to no agency: whose report?
            raise NotPermitted(_("The fairness report is an agency's own: this account has no agency."))
        start, end = _period(request.query_params)
        report = selectors.fairness_report(agency=request.user.agency, start=start, end=end)
        return Response({
            "agency": report["agency"].name, "from": start, "to": end, "total": report["total"],
            "pool_size": report["pool_size"], "expected_share": report["expected_share"],
            "lawyers": [{"id": r["lawyer"].pk, "name": r["lawyer"].name, "designations": r["designations"],
                         "expected": r["expected"], "deviation": r["deviation"]} for r in report["rows"]],
            "overrides": [{"designation": d.pk, "notice": d.notice_id, "lawyer": d.lawyer.name, "rank": d.rank,
                           "first_candidate": d.first_candidate.name if d.first_candidate else None,
                           "reason": d.reason, "overridden_filters": d.overridden_filters,
                           "designated_by": d.designated_by.display_name if d.designated_by else None}
                          for d in report["overrides"]],
        })


def _period(params):
    from django.utils.dateparse import parse_date

    try:
        start, end = parse_date(params.get("from") or ""), parse_date(params.get("to") or "")
    except ValueError:
        start = end = None
    if not start or not end:
        raise_field_error("from", _("Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD."), "required")
    if end < start:
        raise_field_error("to", _("The period ends before it starts."), "ends_before_start")
    return start, end

