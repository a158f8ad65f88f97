"""Administrators set each jurisdiction's quality numbers here (the local rules); the rest is read
only in the admin: it changes through the services."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quality import models as m


@admin.register(m.QualitySettings)
class QualitySettingsAdmin(SimpleHistoryAdmin):
    list_display = ["region", "meeting_within_days", "training_minimum", "excellent_min", "good_min", "pass_min",
                    "standard_weight", "suspension_fails", "suspension_missed_cases", "suspension_window_months"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.CaseGrade)
class CaseGradeAdmin(ReadOnlyAdmin):
    list_display = ["notice", "designation", "grade", "score", "missed_duties", "computed_at"]
    list_filter = ["grade"]


@admin.register(m.Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["notice", "kind", "score", "author", "created_at"]
    list_filter = ["kind"]


@admin.register(m.SuspensionProposal)
class SuspensionProposalAdmin(ReadOnlyAdmin):
    list_display = ["lawyer", "status", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["status"]


@admin.register(m.TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["lawyer", "course", "held_on", "hours", "provider"]


@admin.register(m.Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["notice", "lawyer", "complainant", "status", "outcome", "received_on"]
    list_filter = ["status", "outcome"]
