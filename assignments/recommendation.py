"""Who can take a notice, and who should: the ranked candidates with the reason for each rank
(issue 4 §2). A read: no writes, a fixed number of queries whatever the roster's size.

Hard filters (assignments.rules.FILTERS) exclude a lawyer; the soft order ranks the rest by a score
the database computes, so only the first few rows ever leave it:
  same county as the court  +w   (N2018 pools lawyers at prefecture level: the pool is the court's
                                  prefecture, or its province where the agency chose so)
  each matching speciality  +w   (from the grounds and the charges: rules.wanted_specialities)
  a language the defendant needs  +w  (sign language, a minority language)
  years of criminal defence  +w each, up to 10
  each open case            -w   (the open caseload)
  each designation within the rotation window  -w   (a fair rotation)
Ties go to whoever was designated least recently, then to a stable per-notice shuffle, so the same
lawyers are not always first. The open caseload, the recent designations and the last designation
come from each lawyer's load row (assignments.load, kept with every designation): the ranking reads
one row per lawyer of the pool, never the designations themselves."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    TextField,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Mod, RowNumber
from django.utils.translation import gettext as _

from assignments import rules
from assignments.load import RecentCount, epoch
from assignments.models import (
    CaseConnection,
    CaseParty,
    Designation,
    DutyShift,
    DutyStation,
    Lawyer,
    LawyerClient,
    LeavePeriod,
    RecommendationWeights,
    Suspension,
)
from assignments.names import name_key, same_person
from cases.models import Category, Defendant
from legalaid import clock

DEFAULT_LIMIT = 20
EXCLUDED_LIMIT = 10
MAX_YEARS_COUNTED = 10


def weights_for(agency) -> RecommendationWeights:
    return RecommendationWeights.objects.filter(agency=agency).first() or RecommendationWeights(agency=agency)


@dataclass
class Candidate:
    lawyer: Lawyer
    rank: int | None
    score: int
    reasons: list  # [{code, points, detail}]
    open_cases: int
    recent: int
    last_designated_at: dt.datetime | None
    failed: list = field(default_factory=list)  # hard filters failed: [{code, basis, title, ...}]
    shift_id: int | None = None

    @property
    def eligible(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        lawyer = self.lawyer
        return {
            "lawyer": {"id": lawyer.pk, "name": lawyer.name, "firm": lawyer.firm.name, "phone": lawyer.phone,
                       "region": lawyer.region.name, "licence_number": lawyer.licence_number},
            "rank": self.rank, "score": self.score, "open_cases": self.open_cases,
            "recent_designations": self.recent,
            "last_designated_at": clock.to_beijing(self.last_designated_at).isoformat()
            if self.last_designated_at else None,
            "reasons": self.reasons, "summary": self.summary(), "excluded_by": self.failed,
        }

    def summary(self) -> str:
        parts = [f"{r['detail']} ({r['points']:+d})" for r in self.reasons if r["points"]]
        if self.rank is None:
            return _("Excluded: %(why)s") % {"why": "; ".join(f["title"] for f in self.failed)}
        return _("Rank %(rank)s, %(score)s points: %(parts)s") % {
            "rank": self.rank, "score": self.score, "parts": "; ".join(parts) or _("no preference applies")}


@dataclass
class Recommendation:
    notice: object
    candidates: list
    excluded: list
    weights: RecommendationWeights
    duty: bool
    wanted_specialities: list
    wanted_languages: list

    @property
    def first(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def position(self, lawyer_id) -> Candidate | None:
        return next((c for c in self.candidates if c.lawyer.pk == lawyer_id), None)


# --- Conflicts ---------------------------------------------------------------------------------

def _conflicts(notice) -> dict:
    """{lawyer id: [failed filter details]} for co-defendants, connected cases, victims and
    witnesses, and earlier designations on this notice. Five queries, whatever the roster."""
    case_id, defendant = notice.case_id, notice.defendant
    links = CaseConnection.objects.filter(Q(case_id=case_id) | Q(other_id=case_id)).values_list("case_id", "other_id")
    connected = {c for pair in links for c in pair} - {case_id}
    case_ids = {case_id, *connected}
    out: dict = {}

    def add(lawyer_id, code, **extra):
        details = out.setdefault(lawyer_id, [])
        if all(d["code"] != code for d in details):
            details.append(rules.filter_detail(code, **extra))

    # Designations on this notice, its co-defendants and the defendants of connected cases.
    for lawyer_id, notice_id, d_case, d_name, status in (
            Designation.objects.filter(notice__case_id__in=case_ids).values_list("lawyer_id", "notice_id", "notice__case_id", "notice__defendant__name", "status")):
        if notice_id == notice.pk:
            add(lawyer_id, "previously_designated")
        elif status == Designation.Status.DECLINED:
            continue
        elif d_case == case_id:
            add(lawyer_id, "codefendant", person=d_name)
        else:
            add(lawyer_id, "connected_case", person=d_name)

    # The case's people: co-defendants (of this and connected cases), victims and witnesses.
    people = [(name, id_number, "codefendant" if case == case_id else "connected_case")
              for name, id_number, case in Defendant.objects.filter(case_id__in=case_ids).exclude(pk=defendant.pk)
              .values_list("name", "id_number", "case_id")]
    people += [(name, id_number, "victim_or_witness")
               for name, id_number in CaseParty.objects.filter(case_id__in=case_ids).values_list("name", "id_number")]
    if people:
        ids = {p[1].upper() for p in people if p[1]}
        names = {p[0] for p in people}
        keys = {name_key(p[0]) for p in people} - {""}
        match = Q(id_number__in=ids) | Q(name__in=names) | Q(name_key__in=keys)
        for lawyer_id, c_name, c_id in LawyerClient.objects.filter(match).values_list("lawyer_id", "name",
                                                                                     "id_number"):
            for p_name, p_id, code in people:
                how = same_person(c_name, c_id, p_name, p_id)
                if how:
                    add(lawyer_id, code, person=p_name, matched_on=how, client=c_name)
        # A lawyer who is a victim or witness of the case may not defend in it either.
        for lawyer_id, l_name, l_id in Lawyer.objects.filter(match).values_list("pk", "name", "id_number"):
            for p_name, p_id, code in people:
                if code == "victim_or_witness" and (how := same_person(l_name, l_id, p_name, p_id)):
                    add(lawyer_id, code, person=p_name, matched_on=how, client=l_name)
    return out


# --- The ranked query ---------------------------------------------------------------------------

def _contains(text_field, code):
    return Q(**{f"{text_field}__contains": f'"{code}"'})


def _annotated(notice, weights, *, today, wanted_specs, wanted_langs):
    w = weights
    window_start = clock.start_of_day(today - dt.timedelta(days=w.rotation_window_days))
    horizon = today + dt.timedelta(days=w.leave_horizon_days)
    suspended = Suspension.objects.filter(lawyer=OuterRef("pk"), starts_on__lte=today, lifted_at__isnull=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    on_leave = LeavePeriod.objects.filter(lawyer=OuterRef("pk"), starts_on__lte=horizon, ends_on__gte=today)

    qs = Lawyer.objects.annotate(
        spec_text=Cast("specialities", TextField()), lang_text=Cast("languages", TextField()),
        open_cases=Coalesce(F("load__open_cases"), 0),
        recent=RecentCount("load__recent", epoch(window_start)),
        last_designated_at=F("load__last_designated_at"),
        is_suspended=Exists(suspended), is_on_leave=Exists(on_leave),
        is_senior=Case(When(criminal_defence_since__lte=rules.senior_cutoff(today), then=True), default=False,
                       output_field=BooleanField()),
        knows_minors=Case(When(_contains("spec_text", "minors"), then=True), default=False,
                          output_field=BooleanField()),
        same_county=Case(When(region_id=notice.court.region_id, then=1), default=0, output_field=IntegerField()),
    )
    spec_points = [Case(When(_contains("spec_text", s), then=w.per_matching_speciality), default=0,
                        output_field=IntegerField()) for s in wanted_specs]
    lang_match = Q()
    for code in wanted_langs:
        lang_match |= _contains("lang_text", code)
    lang_points = [Case(When(lang_match, then=w.language), default=0, output_field=IntegerField())] \
        if wanted_langs else []
    # Full years of criminal defence, up to the cap: one CASE, the longest practice tried first.
    year_points = [Case(*(When(criminal_defence_since__lte=_years_ago(today, k), then=k * w.per_year_of_practice)
                          for k in range(MAX_YEARS_COUNTED, 0, -1)), default=0, output_field=IntegerField())] \
        if w.per_year_of_practice else []
    score = F("same_county") * w.same_county - F("open_cases") * w.per_open_case - F("recent") * w.per_recent_designation
    for term in spec_points + lang_points + year_points:
        score = score + term
    seed = int(str(notice.pk).replace("-", "")[:7], 16) if notice.pk else 0
    return qs.annotate(score=score, shuffle=Mod(F("id") * 7919 + seed, 10007))


def _years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _eligible_q(notice, conflicted_ids, duty_lawyer_ids):
    q = Q(status=Lawyer.Status.ACTIVE, is_suspended=False, is_on_leave=False)
    if rules.needs_senior(notice.grounds):
        q &= Q(is_senior=True)
    if rules.needs_minors_experience(notice.grounds):
        q &= Q(knows_minors=True)
    if conflicted_ids:
        q &= ~Q(pk__in=conflicted_ids)
    if duty_lawyer_ids is not None:
        q &= Q(pk__in=duty_lawyer_ids)
    return q


def _failed(row, notice, conflicts, duty_lawyer_ids) -> list:
    failed = []
    if row.status != Lawyer.Status.ACTIVE:
        failed.append(rules.filter_detail("not_active"))
    if row.is_suspended:
        failed.append(rules.filter_detail("suspended"))
    if row.is_on_leave:
        failed.append(rules.filter_detail("on_leave"))
    if rules.needs_senior(notice.grounds) and not row.is_senior:
        failed.append(rules.filter_detail("needs_senior"))
    if rules.needs_minors_experience(notice.grounds) and not row.knows_minors:
        failed.append(rules.filter_detail("needs_minors_experience"))
    failed += conflicts.get(row.pk, [])
    if duty_lawyer_ids is not None and row.pk not in duty_lawyer_ids:
        failed.append(rules.filter_detail("not_on_duty"))
    return failed


def _reasons(row, weights, wanted_specs, wanted_langs, today) -> list:
    w = weights
    reasons = []
    if row.same_county:
        reasons.append({"code": "same_county", "points": w.same_county,
                        "detail": _("Practises in the court's county")})
    else:
        reasons.append({"code": "pool", "points": 0, "detail": _("From the prefecture pool (N2018)")})
    matched = [s for s in wanted_specs if s in (row.specialities or [])]
    if matched:
        from assignments.models import Speciality

        reasons.append({"code": "speciality", "points": w.per_matching_speciality * len(matched),
                        "detail": _("Experience matching the case: %(list)s")
                        % {"list": ", ".join(str(Speciality(s).label) for s in matched)}})
    if wanted_langs and set(wanted_langs) & set(row.languages or []):
        reasons.append({"code": "language", "points": w.language,
                        "detail": _("Speaks a language the defendant needs")})
    years = min(rules.full_years_between(row.criminal_defence_since, today), MAX_YEARS_COUNTED)
    if years and w.per_year_of_practice:
        reasons.append({"code": "years", "points": years * w.per_year_of_practice,
                        "detail": _("%(n)s years of criminal defence") % {"n": years}})
    reasons.append({"code": "open_cases", "points": -row.open_cases * w.per_open_case,
                    "detail": _("%(n)s open cases") % {"n": row.open_cases}})
    reasons.append({"code": "rotation", "points": -row.recent * w.per_recent_designation,
                    "detail": _("%(n)s designations in the last %(days)s days")
                    % {"n": row.recent, "days": w.rotation_window_days}})
    return reasons


def _duty_shifts(notice, today) -> dict:
    """{lawyer id: shift id} of the duty lawyers on shift today at the notice's court, or at the
    detention centre where the defendant is held."""
    where = Q(station__kind=DutyStation.Kind.COURT, station__court_id=notice.court_id)
    place = notice.defendant.custody_place
    if place:
        where |= Q(station__kind=DutyStation.Kind.DETENTION_CENTRE, station__name=place)
    return dict(DutyShift.objects.filter(where, date=today).order_by("id").values_list("lawyer_id", "pk"))


# What the ranking statement returns of each lawyer shown (_reasons and _failed read them).
_SHOWN = ("group", "place", "score", "open_cases", "recent", "last_designated_at", "same_county", "is_suspended",
          "is_on_leave", "is_senior", "knows_minors")


def recommend(*, notice, limit=DEFAULT_LIMIT, excluded_limit=EXCLUDED_LIMIT, pool=None, now=None) -> Recommendation:
    """The ranked candidates for a notice, and the best-scored lawyers the hard filters excluded
    (with the filters that did). `notice` is loaded with case, defendant and court__region."""
    now = now or clock.now()
    today = clock.beijing_date(now)
    weights = weights_for(notice.agency_id and notice.agency)
    duty = notice.category == Category.DUTY_LAWYER
    wanted_specs = rules.wanted_specialities(grounds=notice.grounds, charges=notice.defendant.charges)
    wanted_langs = rules.wanted_languages(conditions=notice.defendant.conditions,
                                          ethnicity=notice.defendant.ethnicity)
    conflicts = _conflicts(notice)
    shifts = _duty_shifts(notice, today) if duty else None
    duty_ids = set(shifts) if duty else None
    qs = _annotated(notice, weights, today=today, wanted_specs=wanted_specs, wanted_langs=wanted_langs)
    prefix = notice.court.region.code[:2 if (pool or weights.pool) == RecommendationWeights.Pool.PROVINCE else 4]
    qs = qs.filter(region__code__startswith=prefix)
    eligible = _eligible_q(notice, list(conflicts), duty_ids)
    order = ["-score", F("last_designated_at").asc(nulls_first=True), "shuffle", "id"]
    # One pass over the pool ranks both lists: the eligible (group 1, the first `limit`) and the
    # active lawyers a hard filter excludes (group 2, the first `excluded_limit`), each within its
    # group; inactive lawyers (group 3) are never shown. That statement returns, for the rows shown,
    # what their rank and reasons need; the lawyers themselves (with firm and region) are then read
    # by id.
    ranked = qs.annotate(
        group=Case(When(eligible, then=1), When(status=Lawyer.Status.ACTIVE, then=2), default=3,
                   output_field=IntegerField()),
        place=Window(RowNumber(), partition_by=[F("group")], order_by=order))
    caps = {1: limit, 2: excluded_limit or 0}
    shown = {row["pk"]: row for row in ranked.filter(place__lte=max(caps.values())).order_by().values("pk", *_SHOWN)
             if row["place"] <= caps.get(row["group"], 0)}
    lawyers = Lawyer.objects.select_related("firm", "region").in_bulk(list(shown)) if shown else {}
    candidates, excluded = [], []
    for pk, values in sorted(shown.items(), key=lambda item: (item[1]["group"], item[1]["place"])):
        row = lawyers[pk]
        for name, value in values.items():
            setattr(row, name, value)
        reasons = _reasons(row, weights, wanted_specs, wanted_langs, today)
        if row.group == 1:
            candidates.append(Candidate(row, row.place, row.score, reasons, row.open_cases, row.recent,
                                        row.last_designated_at, shift_id=shifts.get(row.pk) if duty else None))
        else:
            excluded.append(Candidate(row, None, row.score, reasons, row.open_cases, row.recent,
                                      row.last_designated_at, failed=_failed(row, notice, conflicts, duty_ids)))
    return Recommendation(notice, candidates, excluded, weights, duty, wanted_specs, wanted_langs)


def assess(*, notice, lawyer_id, now=None) -> Candidate | None:
    """One lawyer measured against the notice, wherever they practise: their score, reasons and the
    hard filters they fail (for a designation off the list)."""
    now = now or clock.now()
    today = clock.beijing_date(now)
    weights = weights_for(notice.agency)
    duty = notice.category == Category.DUTY_LAWYER
    wanted_specs = rules.wanted_specialities(grounds=notice.grounds, charges=notice.defendant.charges)
    wanted_langs = rules.wanted_languages(conditions=notice.defendant.conditions,
                                          ethnicity=notice.defendant.ethnicity)
    conflicts = _conflicts(notice)
    shifts = _duty_shifts(notice, today) if duty else None
    row = (_annotated(notice, weights, today=today, wanted_specs=wanted_specs, wanted_langs=wanted_langs)
           .select_related("firm", "region").filter(pk=lawyer_id).first())
    if row is None:
        return None
    failed = _failed(row, notice, conflicts, set(shifts) if duty else None)
    return Candidate(row, None, row.score, _reasons(row, weights, wanted_specs, wanted_langs, today), row.open_cases,
                     row.recent, row.last_designated_at, failed=failed,
                     shift_id=shifts.get(row.pk) if duty else None)


