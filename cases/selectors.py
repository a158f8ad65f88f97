"""Reads of notices, scoped to what each role may see (court: its own court; agency roles: their
agency's region and the regions under it; lawyers: notices designated to them; administrators: all)."""
import uuid

from django.db import connection
from django.db.models import Func, OuterRef, Prefetch, Q, UUIDField

from cases.deadlines.models import Deadline
from cases.models import Agency, Notice
from legalaid.models import AGENCY_ROLES, Role


def visible_agencies(user):
    """The agencies in the user's region subtree, as a lazy queryset (no query of its own)."""
    agency = user.agency
    return Agency.objects.filter(region__code__startswith=agency.region.prefix)


def notice_scope(user, *, lawyer_scope=None) -> Q:
    """The notices a user may see. A lawyer's are the ones designated to them, which this app does
    not know: assignments.selectors.notice_scope passes `lawyer_scope`; without it a lawyer sees
    none here (the staff pages of this app are not theirs)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    if user.role == Role.COURT:
        return Q(court_id=user.court_id)
    if user.role in AGENCY_ROLES and user.agency_id:
        return Q(agency__in=visible_agencies(user).values("pk"))
    if user.role == Role.LAWYER and lawyer_scope is not None:
        return lawyer_scope(user)
    return Q(pk__in=[])


def notices_in(scope: Q):
    """Notices in a scope, with what a list or the API shows of each loaded up front."""
    return (
        Notice.objects.filter(scope)
        .select_related("case", "defendant", "court", "agency")
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "id")), "documents")
    )


def notice_list_for_user(*, user):
    """Notices the user may see (see notice_scope), loaded for a list."""
    return notices_in(notice_scope(user))


def notice_get(queryset, notice_id):
    """The notice of that id in the queryset, or Notice.DoesNotExist when it does not exist *or* is
    not in it (a malformed id included: it names no notice)."""
    try:
        notice_id = uuid.UUID(str(notice_id))
    except ValueError:
        raise Notice.DoesNotExist from None
    return queryset.get(pk=notice_id)


def notice_get_for_user(*, user, notice_id):
    return notice_get(notice_list_for_user(user=user), notice_id)


def notices_first_by_agency(queryset, *, user, ordering, count: int):
    """`queryset` (notices `user` may see, filtered as a list asks) narrowed to the first `count`
    notices in `ordering` of each agency of the user's scope: the list's first `count` rows are then
    among them, found by one short index range per agency (the notice_agency_* indexes) and sorted
    together. Without it, a list of an agency's or a region's notices walks the whole table in the
    list's order and drops every other agency's notices until it has a page — as many rows as come
    before the scope's own in that order (docs/benchmarks.md, the plans of the lists). One statement:
    the narrowing is a subquery. PostgreSQL (set-returning unnest over an ARRAY subquery); elsewhere,
    and for scopes that are not a set of agencies, the queryset as it is."""
    if connection.vendor != "postgresql" or user.is_administrator or user.role not in AGENCY_ROLES \
            or not user.agency_id:
        return queryset
    from django.contrib.postgres.expressions import ArraySubquery

    per_agency = (queryset.filter(agency_id=OuterRef("pk")).prefetch_related(None).order_by(*ordering)
                  .values("pk")[:count])
    first = visible_agencies(user).annotate(
        notice_id=Func(ArraySubquery(per_agency), function="unnest", output_field=UUIDField())).values("notice_id")
    return queryset.filter(pk__in=first)
