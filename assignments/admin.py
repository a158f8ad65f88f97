from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assignments import models as m
from assignments.names import name_key


class LeaveInline(admin.TabularInline):
    model = m.LeavePeriod
    extra = 0


class SuspensionInline(admin.TabularInline):
    model = m.Suspension
    extra = 0
    fields = ["starts_on", "ends_on", "reason", "lifted_at"]


class ClientInline(admin.TabularInline):
    model = m.LawyerClient
    extra = 0
    fields = ["name", "id_number", "capacity", "matter", "since"]


@admin.register(m.LawFirm)
class LawFirmAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "phone"]
    search_fields = ["name"]


@admin.register(m.Lawyer)
class LawyerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "licence_number", "firm", "region", "status"]
    list_filter = ["status"]
    search_fields = ["name", "licence_number"]
    list_select_related = ["firm", "region"]
    raw_id_fields = ["user", "firm", "region"]
    inlines = [LeaveInline, SuspensionInline, ClientInline]

    def save_model(self, request, obj, form, change):
        # Admin edits go through the same validation as every other entry point.
        from assignments.services.roster import clean_lawyer
        from legalaid import clock

        values = clean_lawyer({f: getattr(obj, f) for f in ("name", "licence_number", "id_number", "firm", "region",
                                                            "phone", "email", "criminal_defence_since",
                                                            "specialities", "languages")},
                              today=clock.today(), instance=obj if obj.pk else None)
        for key, value in values.items():
            setattr(obj, key, value)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, m.LawyerClient):
                obj.name_key = name_key(obj.name)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(m.RecommendationWeights)
class WeightsAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "same_county", "per_matching_speciality", "per_open_case", "per_recent_designation",
                    "pool"]


@admin.register(m.DutyStation)
class DutyStationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agency", "court"]


@admin.register(m.DutyShift)
class DutyShiftAdmin(SimpleHistoryAdmin):
    list_display = ["date", "station", "lawyer"]
    list_filter = ["station"]
    date_hierarchy = "date"
    raw_id_fields = ["lawyer"]


@admin.register(m.Designation)
class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ["notice", "lawyer", "status", "designated_at", "rank", "end_reason"]
    list_filter = ["status", "kind", "end_reason"]
    raw_id_fields = ["notice", "lawyer", "first_candidate", "replaces", "shift"]

    def has_add_permission(self, request):
        return False  # designations are made through the service (deadlines, letter, messages)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.Refusal)
class RefusalAdmin(admin.ModelAdmin):
    list_display = ["notice", "outcome", "valid_reason", "reported_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.LoadCheck)
class LoadCheckAdmin(admin.ModelAdmin):
    """The runs of the lawyer-load check (assignments.load.load_check). A run with rows repaired
    means something wrote designations around the services: the details say which lawyers and what
    differed."""

    list_display = ["started_at", "finished_at", "lawyers", "drifted"]
    readonly_fields = ["started_at", "finished_at", "lawyers", "drifted", "details"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False  # written by the check only

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(m.InterimHelpRequest)
admin.site.register(m.PleaSession, SimpleHistoryAdmin)
@admin.register(m.CaseParty)
class CasePartyAdmin(SimpleHistoryAdmin):
    list_display = ["case", "role", "name"]
    raw_id_fields = ["case"]

    def save_model(self, request, obj, form, change):
        obj.name_key = name_key(obj.name)
        super().save_model(request, obj, form, change)


admin.site.register(m.CaseConnection)


from assignments.work import admin as work_admin  # noqa: E402,F401  (registers the work models)
