from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """An app of its own (label `statistics`) inside the cases package, so that its summary tables
    have their own migrations."""

    name = "cases.statistics"
    label = "statistics"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"
