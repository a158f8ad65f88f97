"""The lawyer's API (token or session): their cases, the work log, files, closing; the staff's
review of closings and answers to complaints; the court's view of the lawyer's requests; and the
records detention centres and e-file-review systems post. A notice the caller may not see answers
404; a role that may not act answers 403. Every POST takes an Idempotency-Key."""
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from assignments.work import selectors, services
from assignments.work.api import serializers as s
from assignments.work.models import Closing, ReportingSource, VerifiedRecord, WorkDocument, WorkLogEntry
from cases.api.views import ERRORS, IDEMPOTENCY
from cases.models import Document, Notice
from cases.selectors import notice_get_for_user, notice_scope
from legalaid.api import UUID_PATTERN
from legalaid.api.idempotency import idempotent
from legalaid.api.serializers import raise_field_error
from legalaid.errors import NotPermitted
from legalaid.models import Role

UUID = UUID_PATTERN


def _notice(request, pk) -> Notice:
    try:
        return notice_get_for_user(user=request.user, notice_id=pk)
    except (Notice.DoesNotExist, ValueError):
        raise NotFound() from None


def _require_lawyer(user):
    if user.role != Role.LAWYER:
        raise NotPermitted(_("Only lawyers use this endpoint."))


def _require_work_reader(user):
    """The work log is the defence's: lawyers and the agency read it, courts do not."""
    if not (user.role == Role.LAWYER or user.is_agency_member or user.is_administrator):
        raise NotPermitted(_("This account may not read the lawyer's work log."))


def _file_response(handle_owner, name, content_type):
    try:
        handle = handle_owner.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


class LawyerCaseViewSet(viewsets.GenericViewSet):
    """The lawyer's cases: those designated to them now (pending answers first, then by the next
    deadline), or before (`?past=true`)."""

    serializer_class = s.LawyerCaseSerializer
    lookup_value_regex = UUID
    queryset = Notice.objects.none()
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("past", OpenApiTypes.BOOL, required=False)],
                   responses={200: s.LawyerCaseSerializer(many=True), 403: ERRORS})
    def list(self, request):
        _require_lawyer(request.user)
        raw = request.query_params.get("past", "").lower()
        if raw not in ("", "1", "true", "0", "false"):
            raise_field_error("past", _("Give true or false."), "invalid")
        past = raw in ("1", "true")
        rows = selectors.lawyer_case_rows(request.user, past=past)
        return Response(s.LawyerCaseSerializer(rows, many=True).data)

    @extend_schema(responses={200: s.LawyerCaseDetailSerializer, 403: ERRORS, 404: ERRORS})
    def retrieve(self, request, pk=None):
        _require_lawyer(request.user)
        try:
            detail = selectors.lawyer_case_detail(request.user, _notice(request, pk))
        except Notice.DoesNotExist:
            raise NotFound() from None
        return Response(s.LawyerCaseDetailSerializer(detail).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 403: ERRORS, 404: ERRORS})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)")
    def document(self, request, pk=None, document_id=None):
        """A document the court uploaded, for the lawyer designated now."""
        _require_lawyer(request.user)
        notice = _notice(request, pk)
        designation = selectors.my_designation(request.user, notice)
        document = Document.objects.filter(pk=document_id, notice=notice).first()
        if designation is None or not designation.is_current or document is None:
            raise NotFound()
        return _file_response(document, document.original_name, document.content_type)


class NoticeWorkViewSet(viewsets.GenericViewSet):
    """A notice's work log and closing."""

    lookup_value_regex = UUID
    queryset = Notice.objects.none()
    serializer_class = s.WorkEntrySerializer

    @extend_schema(methods=["get"], responses={200: s.WorkEntrySerializer(many=True), 403: ERRORS, 404: ERRORS},
                   description="The work log: a lawyer sees their own entries, the agency all of them.")
    @extend_schema(methods=["post"], request={"application/json": s.EntryCreateSerializer,
                                              "multipart/form-data": s.EntryCreateSerializer},
                   parameters=[IDEMPOTENCY],
                   responses={201: s.WorkEntrySerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS,
                              413: ERRORS, 415: ERRORS, 422: ERRORS},
                   description="The designated lawyer logs work. Each kind's fields and legal basis: "
                               "GET /api/v1/work-kinds/. Not in the future, not before the designation.")
    @action(detail=True, methods=["get", "post"])
    def work(self, request, pk=None):
        notice = _notice(request, pk)
        if request.method == "GET":
            _require_work_reader(request.user)
            lawyer = None
            if request.user.role == Role.LAWYER:
                designation = selectors.my_designation(request.user, notice)
                lawyer = designation.lawyer if designation else None
            return Response(s.WorkEntrySerializer(selectors.work_entries(notice, lawyer=lawyer), many=True).data)
        return self._log(request, notice)

    @idempotent
    def _log(self, request, notice):
        _require_lawyer(request.user)
        body = s.EntryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = s.given(body, request.data)
        kind, files = values.pop("kind"), values.pop("files", [])
        entry = services.work_entry_log(notice=notice, kind=kind, values=values, files=files, actor=request.user)
        entry = WorkLogEntry.objects.prefetch_related("documents", "verified_records__source").get(pk=entry.pk)
        return Response(s.WorkEntrySerializer(entry).data, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/work-entries/{entry.pk}/"})

    @extend_schema(methods=["get"], responses={200: s.ClosingSerializer, 403: ERRORS, 404: ERRORS})
    @extend_schema(methods=["post"], request={"multipart/form-data": s.ClosingSubmitSerializer,
                                              "application/json": s.ClosingSubmitSerializer},
                   parameters=[IDEMPOTENCY],
                   responses={201: s.ClosingSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS,
                              413: ERRORS, 415: ERRORS},
                   description="The lawyer closes the case. 409 `duties_missing` with `missing` (duty codes) while "
                               "a duty of Measures Art. 20 is not in the work log: meeting, file_review, "
                               "hearing_in_full (unless not heard), written_opinion; and the judgment.")
    @action(detail=True, methods=["get", "post"])
    def closing(self, request, pk=None):
        notice = _notice(request, pk)
        if request.method == "GET":
            _require_work_reader(request.user)
            closing = selectors.closing_of(notice)
            if closing is None:
                raise NotFound()
            return Response(s.ClosingSerializer(closing).data)
        return self._submit(request, notice)

    @idempotent
    def _submit(self, request, notice):
        _require_lawyer(request.user)
        body = s.ClosingSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.closing_submit(notice=notice, summary=data["summary"], materials=data.get("materials", []),
                                judgment=data.get("judgment"), actor=request.user)
        return Response(s.ClosingSerializer(selectors.closing_of(notice)).data, status=status.HTTP_201_CREATED)

    def _closing(self, request, pk):
        notice = _notice(request, pk)
        closing = Closing.objects.filter(notice=notice).first()
        if closing is None:
            raise NotFound()
        return notice, closing

    @extend_schema(request=s.ClosingReviewSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ClosingSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="Staff accept the closing: the notice becomes closed.")
    @action(detail=True, methods=["post"], url_path="closing/accept")
    @idempotent
    def closing_accept(self, request, pk=None):
        notice, closing = self._closing(request, pk)
        body = s.ClosingReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.closing_accept(closing=closing, note=body.validated_data["note"], actor=request.user)
        return Response(s.ClosingSerializer(selectors.closing_of(notice)).data)

    @extend_schema(request=s.ClosingReviewSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ClosingSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="Staff return the closing to the lawyer; `note` (required) says what to fix.")
    @action(detail=True, methods=["post"], url_path="closing/return")
    @idempotent
    def closing_return(self, request, pk=None):
        notice, closing = self._closing(request, pk)
        body = s.ClosingReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.closing_return(closing=closing, note=body.validated_data["note"], actor=request.user)
        return Response(s.ClosingSerializer(selectors.closing_of(notice)).data)

    @extend_schema(request=s.ClosingAmendSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.ClosingSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
                   description="A supervisor amends an accepted closing's report, with a reason.")
    @action(detail=True, methods=["post"], url_path="closing/amend")
    @idempotent
    def closing_amend(self, request, pk=None):
        notice, closing = self._closing(request, pk)
        body = s.ClosingAmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.closing_amend(closing=closing, actor=request.user, **body.validated_data)
        return Response(s.ClosingSerializer(selectors.closing_of(notice)).data)

    @extend_schema(responses={200: s.CourtFeedbackSerializer(many=True), 403: ERRORS, 404: ERRORS})
    @action(detail=True, methods=["get"])
    def feedback(self, request, pk=None):
        """What the court reported: not heard, the judgment (M 18), major procedural decisions (M 14)."""
        notice = _notice(request, pk)
        _require_work_reader(request.user)
        return Response(s.CourtFeedbackSerializer(selectors.court_feedback(notice), many=True).data)

    @extend_schema(responses={200: s.CourtRequestSerializer(many=True), 404: ERRORS},
                   description="The lawyer's evidence-collection and witness requests on the notice (M 16), with "
                               "their ids for the `evidence_request_decided` event.")
    @action(detail=True, methods=["get"], url_path="court-requests")
    def court_requests(self, request, pk=None):
        notice = _notice(request, pk)
        return Response(s.CourtRequestSerializer(selectors.court_requests(notice), many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERRORS})
    @action(detail=True, methods=["get"], url_path=r"work-documents/(?P<document_id>[0-9]+)")
    def work_document(self, request, pk=None, document_id=None):
        """A file of the work log or the closing (lawyers designated to the notice, the agency)."""
        try:
            document = selectors.work_document_for(request.user, pk, document_id)
        except (WorkDocument.DoesNotExist, ValueError):
            raise NotFound() from None
        return _file_response(document, document.original_name, document.content_type)


class WorkEntryViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One work-log entry: read it, correct it (PATCH; the lawyer until the case is closed, a
    supervisor after it with a `reason`), add files, answer a complaint (supervisors, M 19)."""

    serializer_class = s.WorkEntrySerializer
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return WorkLogEntry.objects.none()
        user = self.request.user
        if not (user.role == Role.LAWYER or user.is_agency_member or user.is_administrator):
            return WorkLogEntry.objects.none()
        qs = (WorkLogEntry.objects.filter(notice__in=Notice.objects.filter(notice_scope(user)))
              .select_related("lawyer", "notice", "designation")
              .prefetch_related("documents", "verified_records__source"))
        if user.role == Role.LAWYER:
            qs = qs.filter(lawyer__user=user)
        return qs

    def _fresh(self, entry):
        return self.get_queryset().get(pk=entry.pk)

    @extend_schema(request=s.EntryUpdateSerializer,
                   responses={200: s.WorkEntrySerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        body = s.EntryUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = s.given(body, request.data)
        reason = changes.pop("reason", "")
        entry = services.work_entry_update(entry=entry, changes=changes, reason=reason, actor=request.user)
        return Response(s.WorkEntrySerializer(self._fresh(entry)).data)

    @extend_schema(request={"multipart/form-data": s.FilesSerializer}, parameters=[IDEMPOTENCY],
                   responses={201: s.WorkEntrySerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS,
                              413: ERRORS, 415: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def attachments(self, request, pk=None):
        entry = self.get_object()
        body = s.FilesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.work_entry_attach(entry=entry, files=body.validated_data["files"], actor=request.user)
        return Response(s.WorkEntrySerializer(self._fresh(entry)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AnswerSerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.WorkEntrySerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def answer(self, request, pk=None):
        entry = self.get_object()
        body = s.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.complaint_answer(entry=entry, answer=body.validated_data["answer"], actor=request.user)
        return Response(s.WorkEntrySerializer(self._fresh(entry)).data)


class WorkKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    basis = serializers.CharField()
    required = serializers.ListField(child=serializers.CharField())
    fields = serializers.ListField(child=serializers.CharField())
    end = serializers.CharField()
    needs_file = serializers.BooleanField()
    opens = serializers.CharField()
    closes = serializers.ListField(child=serializers.CharField())
    help = serializers.CharField()


class WorkKindsView(APIView):
    @extend_schema(responses={200: WorkKindSerializer(many=True)},
                   description="Every kind of work-log entry: its legal basis, the fields it takes and needs, and the "
                               "statutory clock it starts or meets.")
    def get(self, request):
        from assignments.work.rules import SPECS

        rows = [{"kind": spec.kind, "title": str(spec.title), "basis": spec.basis,
                 "required": ["started_at", *(["duration_minutes or ended_at"] if spec.needs_end else []),
                              *spec.required, *(["files"] if spec.needs_file else [])],
                 "fields": list(spec.fields), "end": spec.end, "needs_file": spec.needs_file, "opens": spec.opens,
                 "closes": list(spec.closes), "help": str(spec.help)} for spec in SPECS.values()]
        return Response(WorkKindSerializer(rows, many=True).data)


class VerifiedRecordView(APIView):
    """Detention centres and e-file-review systems post what they recorded, with their own tokens
    (accounts of role detention_centre / file_system linked to a ReportingSource)."""

    def _source(self, request) -> ReportingSource:
        user = request.user
        source = getattr(user, "reporting_source", None) if user.role in (Role.DETENTION_CENTRE,
                                                                          Role.FILE_SYSTEM) else None
        if source is None:
            raise NotPermitted(_("Only a detention centre's or an e-file system's account posts records."))
        return source

    @extend_schema(responses={200: s.VerifiedRecordSerializer(many=True), 403: ERRORS},
                   description="The records this system posted, newest first (at most 200).")
    def get(self, request):
        source = self._source(request)
        records = VerifiedRecord.objects.filter(source=source).order_by("-received_at", "-id")[:200]
        return Response(s.VerifiedRecordSerializer(records, many=True).data)

    @extend_schema(request=s.VerifiedRecordInputSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.VerifiedRecordSerializer, 400: ERRORS, 403: ERRORS, 409: ERRORS, 422: ERRORS},
                   description="A meeting the detention centre booked and held (`meeting`), or a file the lawyer "
                               "accessed (`file_access`). Matched to the lawyer's own entry: same lawyer, same "
                               "notice, overlapping time.")
    @idempotent
    def post(self, request):
        source = self._source(request)
        body = s.VerifiedRecordInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.verified_record_receive(source=source, data=body.validated_data, actor=request.user,
                                                  payload=request.data if isinstance(request.data, dict) else {})
        return Response(s.VerifiedRecordSerializer(record).data, status=status.HTTP_201_CREATED)
