"""Reads of the roster and designations, each in a fixed number of queries."""
import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from assignments.models import Designation, DutyShift, Lawyer, LeavePeriod, Refusal, Suspension
from legalaid import clock


def lawyer_notice_scope(user) -> Q:
    """Notices designated to the lawyer whose account this is: current designations (pending or
    accepted) and past ones (ended: closed, replaced, withdrawn...), so the lawyer keeps their own
    cases and work log. A designation the lawyer declined never made the case theirs."""
    return Q(pk__in=Designation.objects.filter(lawyer__user=user).exclude(status=Designation.Status.DECLINED)
             .values("notice_id"))


def lawyer_users_for_notices(notice_ids) -> dict:
    """{notice id: [the designated lawyer's account]}, one query for any number of notices."""
    out = defaultdict(list)
    for designation in (Designation.objects.filter(notice_id__in=list(notice_ids), status__in=Designation.CURRENT,
                                                   lawyer__user__isnull=False, lawyer__user__is_active=True)
                        .select_related("lawyer__user")):
        out[designation.notice_id].append(designation.lawyer.user)
    return dict(out)


def current_designations_prefetch():
    """Prefetch for notice lists: the current designation lands in `notice.current_designations`."""
    return Prefetch("designations", to_attr="current_designations",
                    queryset=Designation.objects.filter(status__in=Designation.CURRENT).order_by("-designated_at"))


def current_designation(notice) -> Designation | None:
    prefetched = getattr(notice, "current_designations", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return notice.designations.filter(status__in=Designation.CURRENT).order_by("-designated_at").first()


def assignment_block(notice) -> dict | None:
    """The court API's `assignment` block (docs/court-api.md): what the letter told the court."""
    designation = current_designation(notice)
    if designation is None:
        return None
    letter = designation.letter
    return {"lawyer": {"name": letter.get("lawyer", ""), "firm": letter.get("firm", ""),
                       "phone": letter.get("phone", "")},
            "assigned_at": designation.designated_at, "letter": f"/api/v1/notices/{notice.pk}/letter.pdf"}


def designation_history(notice) -> list:
    """Every designation the notice had, oldest first, with who designated and what ended it."""
    return list(Designation.objects.filter(notice=notice)
                .select_related("lawyer__firm", "designated_by", "ended_by", "first_candidate", "override_by")
                .order_by("designated_at", "id"))


def refusals(notice) -> list:
    return list(Refusal.objects.filter(notice=notice).select_related("designation__lawyer").order_by("reported_at"))


def lawyer_list(*, region_prefix: str = "", today=None, search: str = ""):
    """The roster with what a list shows of each lawyer: open caseload (computed from
    designations), whether suspended or on leave today."""
    today = today or clock.today()
    open_cases = (Designation.objects.filter(lawyer=OuterRef("pk"), status__in=Designation.CURRENT).order_by()
                  .values("lawyer").annotate(n=Count("*")).values("n"))
    qs = (Lawyer.objects.select_related("firm", "region")
          .annotate(open_cases=Coalesce(Subquery(open_cases), 0),
                    suspended_today=Exists(Suspension.objects.filter(
                        Q(ends_on__isnull=True) | Q(ends_on__gte=today), lawyer=OuterRef("pk"),
                        starts_on__lte=today, lifted_at__isnull=True)),
                    on_leave_today=Exists(LeavePeriod.objects.filter(lawyer=OuterRef("pk"), starts_on__lte=today,
                                                                     ends_on__gte=today))))
    if region_prefix:
        qs = qs.filter(region__code__startswith=region_prefix)
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(licence_number__startswith=search) | Q(firm__name__contains=search))
    return qs.order_by("name", "id")


def lawyer_detail(*, pk):
    return (Lawyer.objects.select_related("firm", "region", "user")
            .prefetch_related("leaves", "suspensions", "clients").get(pk=pk))


def designations_for_lawyer(user):
    return (Designation.objects.filter(lawyer__user=user)
            .select_related("notice__case", "notice__defendant", "notice__court", "lawyer__firm")
            .order_by("-designated_at"))


def shifts_for(*, agency_ids, start: dt.date, end: dt.date):
    return (DutyShift.objects.filter(station__agency_id__in=agency_ids, date__gte=start, date__lte=end)
            .select_related("station", "lawyer__firm").annotate(help_count=Count("help_requests", distinct=True),
                                                                 plea_count=Count("plea_sessions", distinct=True))
            .order_by("date", "station__name", "lawyer__name"))


def fairness_report(*, agency, start: dt.date, end: dt.date) -> dict:
    """Each lawyer's designations by the agency in the period against their expected share (the
    period's designations divided evenly among the lawyers of the agency's pool who were on the
    roster), and every designation that passed over the first-ranked candidate, with its reason.
    Three queries whatever the period's size."""
    from assignments.recommendation import weights_for

    weights = weights_for(agency)
    prefix = agency.region.code[:2 if weights.pool == weights.Pool.PROVINCE else 4]
    since, until = clock.start_of_day(start), clock.end_of_day(end)
    in_period = Designation.objects.filter(notice__agency=agency, designated_at__gte=since, designated_at__lte=until)
    counts = dict(in_period.exclude(status=Designation.Status.DECLINED).order_by().values("lawyer")
                  .annotate(n=Count("*")).values_list("lawyer", "n"))
    pool = list(Lawyer.objects.filter(Q(region__code__startswith=prefix, status=Lawyer.Status.ACTIVE)
                                      | Q(pk__in=list(counts))).select_related("firm").order_by("name", "id"))
    total = sum(counts.values())
    share = total / len(pool) if pool else 0
    rows = [{"lawyer": lawyer, "designations": counts.get(lawyer.pk, 0), "expected": round(share, 2),
             "deviation": round(counts.get(lawyer.pk, 0) - share, 2)} for lawyer in pool]
    rows.sort(key=lambda r: (-r["designations"], r["lawyer"].name))
    overrides = list(in_period.filter(Q(rank__isnull=True) | Q(rank__gt=1))
                     .select_related("lawyer", "first_candidate", "designated_by", "override_by", "notice__case")
                     .order_by("designated_at"))
    return {"agency": agency, "start": start, "end": end, "total": total, "pool_size": len(pool),
            "expected_share": round(share, 2), "rows": rows, "overrides": overrides, "weights": weights}
