"""Admin for the reference data (regions, agencies, courts) and read-only views of notices, their
events and documents. Notices change only through the domain services, never by hand here."""
try:
    from cases.deadlines import admin as _deadlines_admin  # noqa: F401
except ImportError:
    pass

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.models import Agency, Court, Document, Notice, NoticeEvent, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "parent", "phone"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region", "parent"]


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "region", "agency", "liaison_name", "liaison_phone"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region", "agency"]
    list_select_related = ["region", "agency"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by administrators, changed only by the domain services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoticeEventInline(admin.TabularInline):
    model = NoticeEvent
    fields = ["created_at", "code", "actor", "from_status", "to_status", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "defendant", "court", "agency", "category", "status", "source", "received_at"]
    list_filter = ["status", "category", "source", "agency"]
    search_fields = ["case__case_number", "defendant__name"]
    list_select_related = ["case", "defendant", "court", "agency"]
    date_hierarchy = "received_at"
    ordering = ["-received_at"]
    # The defendant's personal data is on the staff pages, masked and with every full view logged.
    fields = ["id", "court", "agency", "case", "defendant", "status", "source", "received_at", "received_by",
              "court_reason", "category", "grounds", "category_differs", "documents_promised", "missing_materials",
              "updated_at", "closed_at", "staff_page"]
    readonly_fields = fields
    inlines = [NoticeEventInline]

    @admin.display(description=_("case number"), ordering="case__case_number")
    def case_number(self, obj):
        return obj.case.case_number

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        url = reverse("notice-detail", kwargs={"notice_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(NoticeEvent)
class NoticeEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "code", "notice", "actor", "from_status", "to_status"]
    list_filter = ["code"]
    search_fields = ["notice__case__case_number", "code"]
    list_select_related = ["notice__case", "notice__defendant", "actor"]
    ordering = ["-created_at"]
    fields = ["notice", "code", "actor", "from_status", "to_status", "data", "created_at"]
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["uploaded_at", "kind", "original_name", "notice", "content_type", "size"]
    list_filter = ["kind", "content_type"]
    search_fields = ["notice__case__case_number", "original_name", "sha256"]
    list_select_related = ["notice__case", "notice__defendant"]
    ordering = ["-uploaded_at"]
    # The file is stored outside the web root: it is reached through the staff page's download view,
    # which checks the user's scope.
    fields = ["notice", "kind", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
              "download"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("notice-document", kwargs={"notice_id": obj.notice_id, "document_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.original_name)
