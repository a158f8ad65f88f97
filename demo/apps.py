from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of `make run` (`manage.py seed_demo`): the top layer, since it fills every app."""

    name = "demo"
    verbose_name = _("Demo data")
