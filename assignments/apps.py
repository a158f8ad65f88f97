from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Lawyers and designations")

    def ready(self):
        # The court's `defendant_refused` event, and those about the lawyer's work (`not_heard`,
        # `judgment`, `procedural_decision`, `evidence_request_decided`), are this app's to handle
        # (cases.api.views hook).
        from assignments.api.events import defendant_refused
        from assignments.kinds import KINDS as ASSIGNMENT_KINDS
        from assignments.kinds import LABELS
        from assignments.work.events import HANDLERS as WORK_HANDLERS
        from assignments.work.kinds import KINDS as WORK_KINDS
        from assignments.work.kinds import LABELS as WORK_LABELS
        from cases.api import views as case_views
        from notifications import kinds

        case_views.EXTRA_EVENT_HANDLERS["defendant_refused"] = defendant_refused
        case_views.EXTRA_EVENT_HANDLERS.update(WORK_HANDLERS)
        for code, (subject, body) in {**ASSIGNMENT_KINDS, **WORK_KINDS}.items():
            if code not in kinds.KINDS:
                kinds.register(code, {**LABELS, **WORK_LABELS}[code], subject, body)
