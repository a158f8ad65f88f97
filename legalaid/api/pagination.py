"""Pagination that refuses what it cannot read: DRF silently falls back to the default page size for
`?page_size=abc` or `?page_size=0`; here that is a 400 on `page_size` (an empty value still means the
default), so that a client learns of its mistake and the answer matches the published schema."""
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination, PageNumberPagination

from legalaid.api.serializers import raise_field_error


class StrictPageSizeMixin:
    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param or "", "")
        if self.page_size_query_param and raw != "":
            if not raw.isdigit() or int(raw) < 1:
                raise_field_error(self.page_size_query_param, _("Give a whole number from 1 to %(max)s.")
                                  % {"max": self.max_page_size}, "invalid")
        return super().get_page_size(request)


class StrictCursorPagination(StrictPageSizeMixin, CursorPagination):
    pass


class StrictPageNumberPagination(StrictPageSizeMixin, PageNumberPagination):
    pass
