from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.services import figures_refresh


class Command(BaseCommand):
    help = "Bring the statistics' figures up to date (--full: recompute every notice)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="recompute every notice, not only the changed ones")

    def handle(self, *args, full=False, **options):
        result = figures_refresh(full=full)
        self.stdout.write(_("%(n)s notices refreshed (full: %(full)s).") % {"n": result["notices"],
                                                                            "full": result["full"]})
