"""Enter the working-day calendar of every year the chinesecalendar package knows (2004 to 2026 for
1.11.0), so that a fresh database — `make run`, the test suite, a deployment — counts deadlines on
the State Council's holidays from the start. Later years are entered with `manage.py load_calendar`
(or `seed_calendar` after upgrading the package); this migration never replaces an entered year."""
import uuid

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarYear = apps.get_model("cases", "CalendarYear")
    CalendarDay = apps.get_model("cases", "CalendarDay")
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    days = []
    for year in sorted({d.year for d in constants.holidays} - entered):
        entry = CalendarYear.objects.create(year=year, source="package", announcement=f"chinesecalendar {year}",
                                            version=uuid.uuid4().hex)
        for table, kind in ((constants.holidays, "holiday"), (constants.workdays, "workday")):
            days += [CalendarDay(year=entry, date=d, kind=kind, name=NAMES.get(str(n), str(n))[:64])
                     for d, n in sorted(table.items()) if d.year == year]
    CalendarDay.objects.bulk_create(days, batch_size=500)


def unseed(apps, schema_editor):
    apps.get_model("cases", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_deadlines_calendar_versions_custody_flag")]

    operations = [migrations.RunPython(seed, unseed)]
