from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cases.deadlines.services import calendar_seed_from_package, package_years


class Command(BaseCommand):
    help = ("Enter every year the installed chinesecalendar package knows that is not entered yet (the "
            "migration does this once; run it after upgrading the package). An entered year is never replaced.")

    def handle(self, **options):
        done = calendar_seed_from_package()
        known = package_years()
        self.stdout.write(_("chinesecalendar knows %(first)s–%(last)s; entered now: %(done)s.") % {
            "first": known[0], "last": known[-1], "done": ", ".join(map(str, done)) or "-"})
