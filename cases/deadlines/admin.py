"""Administration of the working-day calendar (a year with its days inline), jurisdiction rules, and
deadlines (read-only, with a waive action that asks for the reason). Imported by cases/admin.py."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import rules as registry
from cases.deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineAction, JurisdictionRule
from cases.deadlines.services import WAIVE_REASON_MAX, calendar_days_check, calendar_year_changed, deadline_waive
from legalaid import clock
from legalaid.errors import DomainError, InvalidInput


class CalendarDayFormSet(BaseInlineFormSet):
    """The year's days are checked together, by the same rules as a loaded file."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        holidays, workdays = {}, {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("date"):
                continue
            (holidays if data["kind"] == CalendarDay.Kind.HOLIDAY else workdays)[data["date"]] = data.get("name", "")
        try:
            calendar_days_check(year=self.instance.year, holidays=holidays, workdays=workdays)
        except InvalidInput as exc:
            raise ValidationError(str(exc.message), code=exc.code) from None


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ["date", "kind", "name"]
    extra = 3
    ordering = ["date"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "announcement", "holiday_count", "workday_count", "entered_at"]
    readonly_fields = ["source", "entered_at"]
    fields = ["year", "announcement", "source", "entered_at"]
    inlines = [CalendarDayInline]
    ordering = ["-year"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            holidays=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
            workdays=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)))

    @admin.display(description=gettext_lazy("holidays"), ordering="holidays")
    def holiday_count(self, obj):
        return obj.holidays

    @admin.display(description=gettext_lazy("make-up working days"), ordering="workdays")
    def workday_count(self, obj):
        return obj.workdays

    def get_readonly_fields(self, request, obj=None):
        # A year's number is fixed once entered: its days belong to it.
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # correct a year's days instead; deadlines were counted on them

    def save_model(self, request, obj, form, change):
        obj.source = CalendarYear.Source.ADMIN
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        result = calendar_year_changed(year=form.instance, actor=request.user)
        self.message_user(request, _("%(recomputed)s deadlines recounted on the calendar; %(moved)s moved "
                                     "(their owners were told).") % result, messages.INFO)


class JurisdictionRuleForm(forms.ModelForm):
    class Meta:
        model = JurisdictionRule
        fields = "__all__"
        help_texts = {"code": format_lazy("{} {}", gettext_lazy("A registry code overrides that rule here; any other "
                                                                "code adds a local rule. Registry codes:"),
                                          ", ".join(registry.REGISTRY))}


@admin.register(JurisdictionRule)
class JurisdictionRuleAdmin(admin.ModelAdmin):
    form = JurisdictionRuleForm
    list_display = ["region", "code", "period", "unit", "rolls_over", "custody_period", "basis", "active"]
    list_filter = ["active", "unit", "region__level"]
    search_fields = ["code", "region__name", "region__code", "basis"]
    list_select_related = ["region"]


class AdminWaiveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for waiving"), max_length=WAIVE_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["rule_code", "case_number", "defendant", "party", "due_beijing", "status", "provisional",
                    "closed_by"]
    list_filter = ["status", "party", "provisional", "rule_code"]
    search_fields = ["notice__case__case_number", "notice__defendant__name", "rule_code"]
    list_select_related = ["notice__case", "notice__defendant", "closed_by"]
    readonly_fields = [f.name for f in Deadline._meta.fields]
    actions = ["waive_selected"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False  # domain events open deadlines

    def has_delete_permission(self, request, obj=None):
        return False  # waive instead: the reason and who decided stay on record

    @admin.display(description=gettext_lazy("case"), ordering="notice__case__case_number")
    def case_number(self, obj):
        return obj.notice.case.case_number

    @admin.display(description=gettext_lazy("defendant"))
    def defendant(self, obj):
        return obj.notice.defendant.name

    @admin.display(description=gettext_lazy("due (Beijing time)"), ordering="due_at")
    def due_beijing(self, obj):
        return clock.to_beijing(obj.due_at).strftime("%Y-%m-%d %H:%M")

    @admin.action(description=gettext_lazy("Waive the selected deadlines (asks for the reason)"))
    def waive_selected(self, request, queryset):
        form = AdminWaiveForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            waived, refused = 0, []
            for deadline in queryset.select_related("notice"):
                try:
                    deadline_waive(deadline=deadline, actor=request.user, reason=form.cleaned_data["reason"])
                    waived += 1
                except DomainError as exc:
                    refused.append(f"{deadline}: {exc.message}")
            self.message_user(request, _("%(n)s deadlines waived.") % {"n": waived}, messages.SUCCESS)
            for line in refused:
                self.message_user(request, line, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request), "title": _("Waive deadlines"), "opts": self.model._meta,
            "queryset": queryset.select_related("notice__case"), "form": form, "action": "waive_selected",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "deadlines/admin/waive.html", context, status=400 if form.is_bound else 200)


@admin.register(DeadlineAction)
class DeadlineActionAdmin(admin.ModelAdmin):
    """What the sweep did: reminders and breaches, each once per deadline and due moment."""

    list_display = ["deadline", "step", "due_at", "done_at"]
    list_filter = ["step"]
    list_select_related = ["deadline"]
    readonly_fields = ["deadline", "step", "due_at", "done_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
