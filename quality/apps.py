from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Quality and subsidies")

    def ready(self):
        from assignments.work.services import closing
        from quality.notifications import register_kinds
        from quality.services import on_closing_accepted
        from quality.statistics import register_sections

        register_sections()
        register_kinds()
        # The closed case is graded first: the subsidy receiver (appended by quality.subsidies)
        # reads the grade.
        if on_closing_accepted not in closing.CLOSING_ACCEPTED_RECEIVERS:
            closing.CLOSING_ACCEPTED_RECEIVERS.insert(0, on_closing_accepted)
