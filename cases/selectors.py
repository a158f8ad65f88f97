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


def notice_scope(user) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    if user.role == Role.COURT:
        return Q(court_id=user.court_id)
    if user.role in AGENCY_ROLES and user.agency_id:
        return Q(agency__in=visible_agencies(user).values("pk"))
    if user.role == Role.LAWYER:
        from assignments.selectors import lawyer_notice_scope

        return lawyer_notice_scope(user)
    return Q(pk__in=[])


def notice_list_for_user(*, user):
    """Notices the user may see, with what a list or the API shows of each loaded up front (the
    current designation included, for the `assignment` block)."""
    from assignments.selectors import current_designations_prefetch

    return (
        Notice.objects.filter(notice_scope(user))
        .select_related("case", "defendant", "court", "agency")
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "id")),
                          "documents", current_designations_prefetch())
    )


def notice_get_for_user(*, user, notice_id):
    """The notice, or Notice.DoesNotExist when it does not exist *or* the user may not see it (a
    malformed id included: it names no notice)."""
    try:
        notice_id = uuid.UUID(str(notice_id))
    except ValueError:
        raise Notice.DoesNotExist from None
    return notice_list_for_user(user=user).get(pk=notice_id)


def notice_just_received(notice):
    """A notice notice_receive has just stored, ready for NoticeSerializer without reading it back:
    its relations are the objects it was made with, its deadlines the ones it started, and it has
    no documents and no designation yet (as notice_list_for_user's prefetches would have found)."""
    for name, rows in (("deadlines", notice.new_deadlines), ("documents", [])):
        # Django's own prefetch form: a queryset whose result is already known.
        queryset = getattr(notice, name).all()
        queryset._result_cache, queryset._prefetch_done = list(rows), True
        notice._prefetched_objects_cache = {**getattr(notice, "_prefetched_objects_cache", {}), name: queryset}
    notice.current_designations = []
    return notice


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
