from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.deadlines.inputs import read_calendar_file
from cases.deadlines.models import CalendarYear
from cases.deadlines.services import calendar_year_enter
from legalaid.errors import InvalidInput


class Command(BaseCommand):
    help = ("Enter one year's working-day calendar (public holidays and make-up working days, as the State "
            "Council announces them) from a YAML, JSON or CSV file, then recount every open provisional "
            "deadline and tell the owners of those whose due date moved. The file format is described in "
            "cases/deadlines/inputs.py; an example is cases/deadlines/calendars/example-2027.yaml.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The calendar file (.yaml, .yml, .json or .csv)")
        parser.add_argument("--replace", action="store_true",
                            help="Replace a year already entered (e.g. after a corrected notice)")
        parser.add_argument("--announcement", default="", help="The notice the days come from (overrides the file)")

    def handle(self, file, replace, announcement, **options):
        try:
            parsed = read_calendar_file(file)
            result = calendar_year_enter(
                year=parsed.year, holidays=parsed.holidays, workdays=parsed.workdays,
                source=CalendarYear.Source.FILE, announcement=announcement or parsed.announcement or str(file),
                replace=replace)
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(_("%(year)s: %(holidays)s holidays and %(workdays)s make-up working days entered; "
                            "%(recomputed)s deadlines recounted, %(moved)s moved.") % {
            "year": parsed.year, "holidays": len(parsed.holidays), "workdays": len(parsed.workdays), **result})
