"""Reads of subsidies: the ones a user may see (the notices in their scope), with everything a list,
a page, the API or the finance export shows loaded up front."""
import datetime as dt

from django.db.models import Prefetch

from cases.models import Notice
from assignments.selectors import notice_scope
from legalaid.models import Role
from quality.subsidies.models import Subsidy, SubsidyLine


# Who reads the money: the agency's staff, supervisors and auditors. A quality evaluator (often a
# third party) assesses the defence and has no business with the lawyer's pay.
SUBSIDY_ROLES = frozenset({Role.AGENCY_STAFF, Role.SUPERVISOR, Role.AUDITOR})


def may_see_subsidies(user) -> bool:
    return user.is_authenticated and user.is_active and (
        (user.role in SUBSIDY_ROLES and user.agency_id is not None) or user.is_administrator)


def subsidy_list_for_user(*, user, status: str = "", paid_from: dt.date | None = None,
                          paid_to: dt.date | None = None, lawyer_id: int | None = None):
    if not may_see_subsidies(user):
        return Subsidy.objects.none()
    qs = Subsidy.objects.all()
    if not user.is_administrator:
        qs = qs.filter(notice__in=Notice.objects.filter(notice_scope(user)).values("pk"))
    if status:
        qs = qs.filter(status=status)
    if paid_from:
        qs = qs.filter(paid_on__gte=paid_from)
    if paid_to:
        qs = qs.filter(paid_on__lte=paid_to)
    if lawyer_id:
        qs = qs.filter(lawyer_id=lawyer_id)
    return (qs.select_related("lawyer__firm", "notice__case", "notice__defendant", "notice__court", "schedule",
                              "approved_by", "paid_by", "corrects")
            .prefetch_related(Prefetch("lines", queryset=SubsidyLine.objects.order_by("position")))
            .order_by("-computed_at", "-id"))


def subsidy_get_for_user(*, user, pk) -> Subsidy:
    """Raises Subsidy.DoesNotExist outside the user's scope: 404, as for a notice."""
    return subsidy_list_for_user(user=user).get(pk=pk)
