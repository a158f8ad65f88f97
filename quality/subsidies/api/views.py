"""The subsidies API (agency accounts): list and read within one's scope; approve (supervisors),
record the payment, recompute an unpaid one, correct a paid one. A transition that does not fit the
state answers 409; a role that may not act, 403."""
import datetime as dt

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cases.api.views import ERRORS, IDEMPOTENCY
from legalaid.api.pagination import StrictPageNumberPagination
from legalaid.api.idempotency import idempotent
from legalaid.errors import InvalidInput, NotPermitted
from quality.subsidies import selectors, services
from quality.subsidies.api import serializers as s
from quality.subsidies.models import Subsidy


def _date(value, field) -> dt.date | None:
    if not value:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."), code="invalid_date", field=field)
    return parsed


class SubsidyPagination(StrictPageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class SubsidyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SubsidySerializer
    pagination_class = SubsidyPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Subsidy.objects.none()
        user = self.request.user
        if not selectors.may_see_subsidies(user):
            raise NotPermitted(_("Only legal aid agency accounts may see subsidies."))
        params = self.request.query_params
        wanted = params.get("status", "")
        if wanted and wanted not in Subsidy.Status.values:
            raise InvalidInput(_("Unknown status %(status)s.") % {"status": wanted}, code="invalid_choice",
                               field="status")
        return selectors.subsidy_list_for_user(user=user, status=wanted,
                                               paid_from=_date(params.get("paid_from"), "paid_from"),
                                               paid_to=_date(params.get("paid_to"), "paid_to"))

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Subsidy.Status.values),
                               OpenApiParameter("paid_from", OpenApiTypes.DATE),
                               OpenApiParameter("paid_to", OpenApiTypes.DATE)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Subsidy.DoesNotExist, ValueError):
            raise NotFound(_("No such subsidy."))

    def _answer(self, subsidy, code=status.HTTP_200_OK):
        fresh = selectors.subsidy_list_for_user(user=self.request.user).get(pk=subsidy.pk)
        return Response(s.SubsidySerializer(fresh).data, status=code)

    @extend_schema(request=None, parameters=[IDEMPOTENCY],
                   responses={200: s.SubsidySerializer, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        return self._answer(services.subsidy_approve(subsidy=self.get_object(), actor=request.user))

    @extend_schema(request=s.PaySerializer, parameters=[IDEMPOTENCY],
                   responses={200: s.SubsidySerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def pay(self, request, pk=None):
        subsidy = self.get_object()
        body = s.PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.subsidy_pay(subsidy=subsidy, paid_on=body.validated_data["paid_on"],
                                                 reference=body.validated_data["reference"], actor=request.user))

    @extend_schema(request=None, parameters=[IDEMPOTENCY],
                   responses={200: s.SubsidySerializer, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def recompute(self, request, pk=None):
        return self._answer(services.subsidy_recompute(subsidy=self.get_object(), actor=request.user))

    @extend_schema(request=s.CorrectionSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.SubsidySerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS})
    @action(detail=True, methods=["post"])
    @idempotent
    def correct(self, request, pk=None):
        subsidy = self.get_object()
        body = s.CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correction = services.subsidy_correct(subsidy=subsidy, amount=body.validated_data["amount"],
                                              reason=body.validated_data["reason"], actor=request.user)
        return self._answer(correction, status.HTTP_201_CREATED)
