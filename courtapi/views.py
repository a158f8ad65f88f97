"""The court API's notice endpoints (docs/court-api.md): notices, their documents and the court's
events. The notice's answer composes several apps (courtapi.serializers); each event type goes to the
handler legalaid/hooks.py names for it (`court_events`)."""
import django_filters
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assignments.selectors import notice_get_for_user, notice_list_for_user
from cases import case_numbers, services
from cases.api import serializers as s
from cases.models import Notice
from cases.selectors import notices_first_by_agency
from courtapi.serializers import NoticeSerializer
from legalaid import hooks
from legalaid.api import UUID_PATTERN
from legalaid.api.idempotency import idempotent
from legalaid.api.pagination import StrictCursorPagination
from legalaid.api.schema import ERRORS, IDEMPOTENCY
from legalaid.api.serializers import StrictSerializer
from legalaid.errors import NotPermitted, PayloadTooLarge
from legalaid.models import Role


class EventSerializer(StrictSerializer):
    """The head of an event's body: its type, one of those legalaid/hooks.py routes."""

    type = serializers.ChoiceField(choices=list(hooks.paths("court_events")))


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

    serializer_class = NoticeSerializer
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
                   responses={201: NoticeSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS,
                              409: OpenApiResponse(s.DuplicateErrorSerializer), 422: ERRORS})
    @idempotent
    def create(self, request):
        _require_court(request.user)
        serializer = s.NoticeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_receive(court=request.user.court, data=serializer.validated_data, actor=request.user)
        return Response(NoticeSerializer(notice_just_received(notice)).data, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/notices/{notice.pk}/"})

    @extend_schema(request=inline_serializer("CourtEvent", {"type": serializers.ChoiceField(
        choices=list(hooks.paths("court_events")))}), parameters=[IDEMPOTENCY],
        responses={201: NoticeSerializer, 400: ERRORS, 404: ERRORS, 409: ERRORS},
        description="hearing_scheduled / hearing_changed {starts_at, place}; materials_supplemented "
                    "{fields, documents_attached}; retained_counsel {lawyer_name, firm}; and the events the "
                    "assignment and lawyer workflows add.")
    @action(detail=True, methods=["post"])
    @idempotent
    def events(self, request, pk=None):
        _require_court(request.user)
        notice = self._notice()
        head = EventSerializer(data={"type": request.data.get("type")} if isinstance(request.data, dict) else {})
        head.is_valid(raise_exception=True)
        handler, serializer = hooks.court_events()[head.validated_data["type"]]
        body = serializer(data=request.data)
        body.is_valid(raise_exception=True)
        handler(notice=notice, data=body.validated_data, actor=request.user)
        return Response(NoticeSerializer(self._fresh(notice)).data, status=status.HTTP_201_CREATED)

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


def notice_just_received(notice):
    """A notice notice_receive has just stored, ready for NoticeSerializer without reading it back:
    its relations are the objects it was made with, its deadlines the ones it started, and it has
    no documents and no designation yet (as the notice lists' prefetches would have found)."""
    for name, rows in (("deadlines", notice.new_deadlines), ("documents", [])):
        # Django's own prefetch form: a queryset whose result is already known.
        queryset = getattr(notice, name).all()
        queryset._result_cache, queryset._prefetch_done = list(rows), True
        notice._prefetched_objects_cache = {**getattr(notice, "_prefetched_objects_cache", {}), name: queryset}
    notice.current_designations = []
    return notice
