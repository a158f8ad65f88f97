from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """The statistics (label `statistics`, the name its tables and migrations have always had): the
    top layer, beside the court API, since its figures read every app below it. The package is not
    called `statistics`, which would shadow Python's own module of that name."""

    name = "reports"
    label = "statistics"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"
