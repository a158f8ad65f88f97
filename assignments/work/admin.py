"""Admin: reporting systems are configured here (their tokens: manage.py issue_system_token, or
the API token admin). The work log, closings, feedback and records are read-only here: they change
only through the services, which keep the case history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assignments.work import models as m


@admin.register(m.ReportingSource)
class ReportingSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "account", "reporting_since", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    raw_id_fields = ["account", "region"]


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.WorkLogEntry)
class WorkLogEntryAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["notice", "kind", "lawyer", "started_at", "status", "verification"]
    list_filter = ["kind", "status", "verification"]
    list_select_related = ["notice__case", "notice__defendant", "lawyer"]
    date_hierarchy = "started_at"


@admin.register(m.Closing)
class ClosingAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["notice", "lawyer", "status", "submitted_at", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["notice__case", "notice__defendant", "lawyer"]


@admin.register(m.CourtFeedback)
class CourtFeedbackAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["notice", "kind", "opinion_adopted", "decision", "reported_at"]
    list_filter = ["kind", "opinion_adopted"]
    list_select_related = ["notice__case", "notice__defendant"]


@admin.register(m.VerifiedRecord)
class VerifiedRecordAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["source", "kind", "reference", "lawyer", "started_at", "entry"]
    list_filter = ["kind", "source"]
    list_select_related = ["source", "lawyer"]
