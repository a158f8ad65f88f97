"""What a statistics page or export is about: the period, the region and the court, checked against
what the user may see. Bad input is a DomainError with a code (400); a region or court outside the
user's scope is NotPermitted (403)."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import Court, Region
from legalaid import clock
from legalaid.errors import InvalidInput, NotPermitted
from legalaid.views import may_see_statistics

MAX_YEARS = 5  # issue 7: a range over 5 years is refused
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Params:
    start: dt.date  # first Beijing day counted
    end: dt.date  # last Beijing day counted (inclusive)
    prefix: str  # the division-code prefix of the region counted ("" = the whole country)
    region: Region | None = None  # the region chosen (None: the user's whole scope)
    court: Court | None = None
    scope: Region | None = None  # the user's own region (None: national)

    def query(self) -> dict:
        """The parameters as a query string dict (for export links)."""
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.region:
            out["region"] = self.region.code
        if self.court:
            out["court"] = self.court.code
        return out


def user_prefix(user) -> str:
    """The division-code prefix of the regions the user sees ("" for administrators)."""
    if user.is_administrator:
        return ""
    return user.agency.region.prefix


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 calendar months, this one included."""
    month = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return dt.date(month // 12, month % 12 + 1, 1), today


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), code="invalid_date", field=field) from None


def params_for(user, data) -> Params:
    """Check the request's `start`, `end`, `region` (division code) and `court` (court code) against
    the user's scope; the defaults are the last 12 months over the whole scope."""
    if not may_see_statistics(user):
        raise NotPermitted(_("Your role does not see the statistics."))
    prefix = user_prefix(user)
    default_start, default_end = default_period(clock.today())
    start = _date(data["start"], "start") if data.get("start") else default_start
    end = _date(data["end"], "end") if data.get("end") else default_end
    if start > end:
        raise InvalidInput(_("The period starts after it ends."), code="range_reversed", field="start")
    if start < years_before(end, MAX_YEARS):
        raise InvalidInput(_("The period may be at most %(n)s years long.") % {"n": MAX_YEARS},
                           code="range_too_long", field="start")
    region = court = None
    scope = None if user.is_administrator else user.agency.region
    if data.get("region"):
        region = Region.objects.filter(code=data["region"]).first()
        if region is None:
            raise InvalidInput(_("There is no region %(code)s.") % {"code": data["region"]}, code="unknown_region",
                               field="region")
        if not region.code.startswith(prefix):
            raise NotPermitted(_("You may not see the statistics of %(region)s.") % {"region": region.name},
                               code="region_not_visible")
        prefix = region.prefix
    if data.get("court"):
        court = Court.objects.select_related("agency__region").filter(code=data["court"]).first()
        if court is None:
            raise InvalidInput(_("There is no court %(code)s.") % {"code": data["court"]}, code="unknown_court",
                               field="court")
        if not court.agency.region.code.startswith(user_prefix(user)):
            raise NotPermitted(_("You may not see the statistics of %(court)s.") % {"court": court.name},
                               code="court_not_visible")
        if not court.agency.region.code.startswith(prefix):
            raise InvalidInput(_("%(court)s is not in %(region)s.") % {"court": court.name, "region": region.name},
                               code="court_not_in_region", field="court")
    return Params(start=start, end=end, prefix=prefix, region=region, court=court, scope=scope)
