"""Groups of accounts a message goes to, named by the accounts' own fields (agency, court, role,
region), so that no app writes its own query for "the agency's staff" or "the court's accounts".
`notify()` resolves them when it builds the messages: active accounts only, each person once."""
from dataclasses import dataclass

from django.db.models import Exists, Q

from legalaid.models import Role, User

STAFF_ROLES = (Role.AGENCY_STAFF, Role.SUPERVISOR)


@dataclass(frozen=True)
class Accounts:
    """The active accounts matching `q`."""

    q: Q


def agency_staff(agency_id) -> Accounts:
    """An agency's staff and supervisors."""
    return Accounts(Q(agency_id=agency_id, role__in=STAFF_ROLES))


def agency_supervisors(agency_id) -> Accounts:
    """An agency's supervisors; its staff when it has no active supervisor account (an escalation
    reaches someone)."""
    has_supervisor = Exists(User.objects.filter(agency_id=agency_id, role=Role.SUPERVISOR, is_active=True))
    return Accounts(Q(agency_id=agency_id) & (Q(role=Role.SUPERVISOR) | Q(~has_supervisor, role=Role.AGENCY_STAFF)))


def court_accounts(court_id) -> Accounts:
    """A court's accounts (its liaison reads them)."""
    return Accounts(Q(court_id=court_id, role=Role.COURT))


def supervisors_in_regions(region_codes) -> Accounts:
    """The supervisors of the agencies of these regions (division codes)."""
    return Accounts(Q(role=Role.SUPERVISOR, agency__region__code__in=list(region_codes)))
