"""Admin for the subsidy schedules (entered by a supervisor or an administrator; the service checks
the periods do not overlap) and a read-only view of the subsidies."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from quality.subsidies import models as m


class ItemInline(admin.TabularInline):
    model = m.ScheduleItem
    extra = 0


class AdditionInline(admin.TabularInline):
    model = m.ScheduleAddition
    extra = 0


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = m.SubsidySchedule
        fields = "__all__"

    def clean(self):
        from quality.subsidies.services import _overlaps

        data = super().clean()
        region, start, end = data.get("region"), data.get("valid_from"), data.get("valid_to")
        if region and start:
            if end and end < start:
                raise forms.ValidationError(_("The schedule cannot end before it starts."))
            for other in m.SubsidySchedule.objects.filter(region=region).exclude(pk=self.instance.pk):
                if _overlaps(start, end, other.valid_from, other.valid_to):
                    raise forms.ValidationError(
                        _("This period overlaps the schedule %(name)s (%(start)s – %(end)s) of the same region.")
                        % {"name": other.name, "start": other.valid_from, "end": other.valid_to or "…"})
        return data


@admin.register(m.SubsidySchedule)
class SubsidyScheduleAdmin(SimpleHistoryAdmin):
    form = ScheduleForm
    list_display = ["name", "region", "valid_from", "valid_to", "recipient_share_percent"]
    list_filter = ["region"]
    inlines = [ItemInline, AdditionInline]


class LineInline(admin.TabularInline):
    model = m.SubsidyLine
    extra = 0
    can_delete = False
    readonly_fields = ["position", "code", "label", "basis", "amount"]


@admin.register(m.Subsidy)
class SubsidyAdmin(SimpleHistoryAdmin):
    """Read only: subsidies change through their pages and API (approval, payment, corrections)."""

    list_display = ["pk", "kind", "lawyer", "amount", "payable", "status", "paid_on"]
    list_filter = ["status", "kind"]
    inlines = [LineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
