"""The quality API (token or session): a notice's evaluations and quality (standard and grade),
suspension proposals and their decisions, clients' complaints. A notice the caller may not see
answers 404; a role that may not act answers 403 (services raise NotPermitted); every POST takes
an Idempotency-Key."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from legalaid.api.schema import ERRORS, IDEMPOTENCY
from cases.models import Notice
from assignments.selectors import notice_get_for_user
from legalaid.api.idempotency import idempotent
from legalaid import clock
from legalaid.errors import InvalidInput, NotPermitted
from quality import selectors, services
from quality.api import serializers as s
from quality.models import Complaint, SuspensionProposal


def _notice(request, pk) -> Notice:
    try:
        return notice_get_for_user(user=request.user, notice_id=pk)
    except (Notice.DoesNotExist, ValueError):
        raise NotFound() from None


def _require_agency(user):
    """Quality is the agency's: its staff, supervisors, auditors, evaluators and administrators."""
    if not (user.is_agency_member or user.is_administrator):
        raise NotPermitted(_("Only the legal aid agency reads quality records."))


class EvaluationsView(APIView):
    @extend_schema(responses={200: s.EvaluationSerializer(many=True), 403: ERRORS, 404: ERRORS},
                   description="The evaluations of the notice's defence, oldest first.")
    def get(self, request, pk):
        _require_agency(request.user)
        notice = _notice(request, pk)
        return Response(s.EvaluationSerializer(selectors.evaluations_of(notice), many=True).data)

    @extend_schema(request=s.EvaluationCreateSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.EvaluationSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="Record an evaluation. Who may give which kind: hearing_observation (staff, "
                               "supervisor, evaluator), client_follow_up and file_check (staff, supervisor), "
                               "peer_review (evaluator); court_feedback is made from the judgment. The case's "
                               "grade is recomputed.")
    @idempotent
    def post(self, request, pk):
        notice = _notice(request, pk)
        body = s.EvaluationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation = services.evaluation_create(notice=notice, actor=request.user, **body.validated_data)
        evaluation = selectors.evaluations_of(notice).get(pk=evaluation.pk)
        return Response(s.EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class CaseQualityView(APIView):
    @extend_schema(responses={200: s.CaseQualitySerializer, 403: ERRORS, 404: ERRORS},
                   description="The quality standard's items (met / late / missing / not_applicable, with the "
                               "work-log entries as evidence), the evaluations and the stored grade.")
    def get(self, request, pk):
        _require_agency(request.user)
        notice = _notice(request, pk)
        return Response(s.CaseQualitySerializer(selectors.case_quality(notice=notice)).data)


class ProposalsView(APIView):
    @extend_schema(responses={200: s.ProposalSerializer(many=True), 403: ERRORS},
                   description="Suspension proposals, open ones first.")
    def get(self, request):
        _require_agency(request.user)
        return Response(s.ProposalSerializer(selectors.proposals_list(), many=True).data)


def _proposal(pk):
    proposal = SuspensionProposal.objects.filter(pk=pk).first()
    if proposal is None:
        raise NotFound()
    return proposal


class ProposalConfirmView(APIView):
    @extend_schema(request=s.ProposalConfirmSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ProposalSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="A supervisor confirms, with reason and period: the lawyer is suspended from "
                               "designations.")
    @idempotent
    def post(self, request, pk):
        _require_agency(request.user)
        body = s.ProposalConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.suspension_proposal_confirm(proposal=_proposal(pk), actor=request.user,
                                                        **body.validated_data)
        return Response(s.ProposalSerializer(selectors.proposals_list().get(pk=proposal.pk)).data)


class ProposalDismissView(APIView):
    @extend_schema(request=s.ReasonSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ProposalSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="A supervisor dismisses the proposal, saying why.")
    @idempotent
    def post(self, request, pk):
        _require_agency(request.user)
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.suspension_proposal_dismiss(proposal=_proposal(pk), actor=request.user,
                                                        reason=body.validated_data["reason"])
        return Response(s.ProposalSerializer(selectors.proposals_list().get(pk=proposal.pk)).data)


class ComplaintsView(APIView):
    @extend_schema(responses={200: s.ComplaintSerializer(many=True), 403: ERRORS},
                   description="Clients' complaints about their lawyers (LAL 55) on notices in the caller's scope.")
    def get(self, request):
        _require_agency(request.user)
        return Response(s.ComplaintSerializer(selectors.complaints_for(request.user), many=True).data)

    @extend_schema(request=s.ComplaintCreateSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.ComplaintSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="Staff record a complaint from the client or the family about the lawyer "
                               "designated on the notice.")
    @idempotent
    def post(self, request):
        body = s.ComplaintCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        notice = _notice(request, data.pop("notice"))
        complaint = services.complaint_receive(notice=notice, actor=request.user, **data)
        return Response(s.ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


def _complaint(request, pk) -> Complaint:
    complaint = selectors.complaints_for(request.user).filter(pk=pk).first()
    if complaint is None:
        raise NotFound()
    return complaint


class ComplaintView(APIView):
    @extend_schema(responses={200: s.ComplaintSerializer, 403: ERRORS, 404: ERRORS})
    def get(self, request, pk):
        _require_agency(request.user)
        return Response(s.ComplaintSerializer(_complaint(request, pk)).data)


class ComplaintInvestigateView(APIView):
    @extend_schema(request=s.InvestigateSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ComplaintSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @idempotent
    def post(self, request, pk):
        _require_agency(request.user)
        body = s.InvestigateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = services.complaint_investigate(complaint=_complaint(request, pk), actor=request.user,
                                                   note=body.validated_data["note"])
        return Response(s.ComplaintSerializer(complaint).data)


class ComplaintDecideView(APIView):
    @extend_schema(request=s.DecideSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ComplaintSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="Decide: upheld or dismissed, with the decision. Upheld with `replace_with`: the "
                               "lawyer is replaced (ground client_request, LAL 55) in the same transaction.")
    @idempotent
    def post(self, request, pk):
        _require_agency(request.user)
        body = s.DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = services.complaint_decide(complaint=_complaint(request, pk), actor=request.user,
                                              **body.validated_data)
        return Response(s.ComplaintSerializer(complaint).data)


YEAR = OpenApiParameter("year", OpenApiTypes.INT, required=False, description="Default: this year (Beijing).")


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return clock.today().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise InvalidInput(_("Give the year as four digits."), code="invalid", field="year")
    return int(raw)


class TrainingRecordsView(APIView):
    @extend_schema(parameters=[YEAR], responses={200: s.TrainingSerializer(many=True), 400: ERRORS, 403: ERRORS},
                   description="The training sessions recorded in the year, latest first.")
    def get(self, request):
        _require_agency(request.user)
        return Response(s.TrainingSerializer(selectors.training_list(year=_year(request)), many=True).data)

    @extend_schema(request=s.TrainingCreateSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.TrainingSerializer, 400: ERRORS, 403: ERRORS},
                   description="Staff record a session a lawyer attended.")
    @idempotent
    def post(self, request):
        body = s.TrainingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.training_record_add(actor=request.user, **body.validated_data)
        return Response(s.TrainingSerializer(record).data, status=status.HTTP_201_CREATED)


class TrainingReportView(APIView):
    @extend_schema(parameters=[YEAR], responses={200: s.TrainingReportRowSerializer(many=True), 400: ERRORS,
                                                 403: ERRORS},
                   description="Every active lawyer with their sessions in the year against the minimum that "
                               "applies to them (their region's local rule, default 4); those under it first.")
    def get(self, request):
        _require_agency(request.user)
        return Response(s.TrainingReportRowSerializer(selectors.training_report(year=_year(request)), many=True).data)


class QualityRulesView(APIView):
    @extend_schema(parameters=[OpenApiParameter("region", str, required=False,
                                                description="A division code (e.g. 411702): its local rules.")],
                   responses={200: s.QualityRulesSerializer, 404: ERRORS},
                   description="The quality standard's items and the evaluation kinds with their legal basis and "
                               "who may give each, the grade formula, and the numbers that apply in a region.")
    def get(self, request):
        from cases.models import Region
        from quality import rules

        code = request.query_params.get("region")
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            raise NotFound()
        settings = selectors.settings_for(region=region) if region else {**rules.DEFAULTS, "region": None}
        body = {
            "standard": [{"code": i.code, "title": str(i.title), "basis": i.basis, "explanation": str(i.explanation)}
                         for i in rules.STANDARD],
            "evaluations": [{"kind": k, "title": str(rules.EvaluationKind(k).label), "basis": spec.basis,
                             "roles": sorted(str(r) for r in spec.roles), "explanation": str(spec.explanation)}
                            for k, spec in rules.EVALUATIONS.items()],
            "settings": settings, "formula": rules.grade_formula.__doc__.split("\n\n", 1)[1].strip(),
            "court_feedback_scores": rules.COURT_FEEDBACK_SCORES,
        }
        return Response(s.QualityRulesSerializer(body).data)
