"""Reads of the quality app: the settings that apply, the standard a designation met, a case's
evaluations and grade, a lawyer's rolling record, the training report, proposals and complaints."""
import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse

from assignments.models import Designation, Lawyer, Suspension
from assignments.work.models import Closing, CourtFeedback
from assignments.work.rules import EntryKind
from assignments.work.selectors import duty_record
from cases.models import Notice
from assignments.selectors import notice_scope
from legalaid import clock
from quality import rules
from quality.models import (
    CaseGrade,
    Complaint,
    Evaluation,
    Grade,
    QualitySettings,
    SuspensionProposal,
    TrainingRecord,
)
from quality.rules import ItemStatus


def case_grade(*, designation) -> str | None:
    """The designation's current grade (a quality.models.Grade value), or None while it has none."""
    return CaseGrade.objects.filter(designation=designation).values_list("grade", flat=True).first()


# --- Settings ------------------------------------------------------------------------------------

def _ancestor_codes(region) -> list:
    """The region's code and its ancestors', nearest first. Division codes are hierarchical
    (cases.models.Region): a county 411702 lies in the prefecture 411700, in the province 410000."""
    code = region.code
    return list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000"]))


def settings_for(*, region) -> dict:
    """The nearest ancestor region's settings (the region's own first), else the defaults; with
    `region` naming where they come from (None: the defaults). One query."""
    codes = _ancestor_codes(region)
    found = {s.region.code: s for s in QualitySettings.objects.filter(region__code__in=codes).select_related("region")}
    for code in codes:
        if code in found:
            return {**found[code].as_dict(), "region": found[code].region.name}
    return {**rules.DEFAULTS, "region": None}


def all_settings() -> dict:
    """Every region's settings by division code, for reports over many lawyers (one query)."""
    return {s.region.code: s.as_dict() for s in QualitySettings.objects.select_related("region")}


def settings_in(table: dict, region) -> dict:
    for code in _ancestor_codes(region):
        if code in table:
            return table[code]
    return dict(rules.DEFAULTS)


# --- The designation a case is judged by -------------------------------------------------------------

def quality_designation(notice) -> Designation | None:
    """The designation whose defence the notice's quality is about: the current one (pending or
    accepted), else the last that ended after the lawyer had accepted it (closed, replaced,
    terminated). A declined designation, or one ended before the lawyer answered, had no defence."""
    return (Designation.objects.select_related("lawyer", "notice__case")
            .filter(notice=notice)
            .filter(Q(status__in=Designation.CURRENT) | Q(status=Designation.Status.ENDED, answered_at__isnull=False))
            .order_by("-designated_at", "-id").first())


# --- The standard ----------------------------------------------------------------------------------

def _entry_link(entry_id) -> str:
    return reverse("work-entry-edit", kwargs={"entry_id": entry_id})


def _item(code, status, entries=(), note=""):
    item = rules.STANDARD_BY_CODE[code]
    return {"code": code, "title": str(item.title), "basis": item.basis, "explanation": str(item.explanation),
            "status": str(status), "status_display": str(ItemStatus(status).label),
            "evidence": [{"entry": pk, "url": _entry_link(pk)} for pk in entries], "note": str(note)}


def standard_items(*, designation, settings: dict | None = None) -> list:
    """Each item of the standard for the designation, from its lawyer's work log, the court's
    feedback and the closing: {code, title, basis, explanation, status, evidence: [{entry, url}],
    note}. Three queries (four without settings)."""
    notice = designation.notice
    settings = settings or settings_for(region=notice.agency.region)
    # The duties of M 20 as the closing's check reads them (assignments.work.selectors.duty_record);
    # the standard adds when each was done.
    record = duty_record(notice_id=designation.notice_id, designation=designation)
    duties, feedback = record.m20(), record.feedback
    closing = (Closing.objects.filter(notice_id=designation.notice_id, designation=designation)
               .values("pk", "status", "submitted_at", "accepted_at").first())
    of = {k: record.of_kind(k) for k in EntryKind.values}
    not_heard = record.not_heard
    judgment = feedback.get(CourtFeedback.Kind.JUDGMENT)
    items = []

    # Met the defendant, within N days of the designation (local rule).
    meetings = of[EntryKind.MEETING]
    if not duties["meeting"][0]:
        items.append(_item("met_defendant", ItemStatus.MISSING))
    else:
        limit = designation.designated_at + dt.timedelta(days=settings["meeting_within_days"])
        on_time = meetings[0]["started_at"] <= limit
        items.append(_item("met_defendant", ItemStatus.MET if on_time else ItemStatus.LATE,
                           [m["pk"] for m in meetings],
                           "" if on_time else f"> {settings['meeting_within_days']} d"))

    # The work log requires a file review's notes (assignments.work.rules.SPECS), so an entry is
    # a review with notes.
    met, reviews = duties["file_review"]
    items.append(_item("file_reviewed", ItemStatus.MET if met else ItemStatus.MISSING, reviews))

    hearing_at = notice.case.hearing_starts_at
    preparations = of[EntryKind.PREPARATION]
    if not_heard:
        items.append(_item("prepared", ItemStatus.NOT_APPLICABLE, [p["pk"] for p in preparations]))
    elif not preparations:
        items.append(_item("prepared", ItemStatus.MISSING))
    else:
        before = hearing_at is None or preparations[0]["started_at"] <= hearing_at
        items.append(_item("prepared", ItemStatus.MET if before else ItemStatus.LATE,
                           [p["pk"] for p in preparations]))

    whole, hearings = duties["hearing_in_full"]
    if whole is None:  # the court did not hear the case
        items.append(_item("hearing_in_full", ItemStatus.NOT_APPLICABLE))
    elif not hearings:
        items.append(_item("hearing_in_full", ItemStatus.MISSING))
    else:
        items.append(_item("hearing_in_full", ItemStatus.MET if whole else ItemStatus.LATE, hearings))

    opinions = of[EntryKind.WRITTEN_OPINION]
    if not duties["written_opinion"][0]:
        items.append(_item("written_opinion", ItemStatus.MISSING))
    else:
        pronounced = judgment and judgment["pronounced_on"]
        late = bool(pronounced) and clock.beijing_date(opinions[0]["started_at"]) > pronounced
        items.append(_item("written_opinion", ItemStatus.LATE if late else ItemStatus.MET, [o["pk"] for o in opinions]))

    if closing is None or closing["status"] != Closing.Status.ACCEPTED:
        items.append(_item("closing", ItemStatus.MISSING))
    else:
        end = (judgment and (judgment["pronounced_on"] or clock.beijing_date(judgment["reported_at"])))
        not_heard_fb = feedback.get(CourtFeedback.Kind.NOT_HEARD)
        end = end or (not_heard_fb and (not_heard_fb["notified_on"] or clock.beijing_date(not_heard_fb["reported_at"])))
        late = bool(end) and clock.beijing_date(closing["submitted_at"]) > end + dt.timedelta(
            days=settings["closing_within_days"])
        items.append(_item("closing", ItemStatus.LATE if late else ItemStatus.MET))
    return items


def missed_duties(items) -> list:
    return [i["code"] for i in items if i["code"] in rules.DUTY_ITEMS and i["status"] == ItemStatus.MISSING]


# --- Evaluations and the case's quality ----------------------------------------------------------------

def evaluations_of(notice, designation=None):
    qs = Evaluation.objects.filter(notice=notice).select_related("author", "designation__lawyer")
    if designation is not None:
        qs = qs.filter(designation=designation)
    return qs.order_by("created_at", "id")


def case_quality(*, notice) -> dict:
    """What the case quality page and the API show: the designation judged, the standard's items,
    the evaluations, the stored grade, the settings and the kinds of evaluation."""
    designation = quality_designation(notice)
    settings = settings_for(region=notice.agency.region)
    if designation is None:
        return {"designation": None, "items": [], "evaluations": [], "grade": None, "settings": settings}
    designation.notice = notice
    return {
        "designation": designation,
        "items": standard_items(designation=designation, settings=settings),
        "evaluations": list(evaluations_of(notice, designation)),
        "grade": CaseGrade.objects.filter(designation=designation).first(),
        "settings": settings,
    }


# --- The lawyer's record ----------------------------------------------------------------------------

def window_start(now, months: int) -> dt.datetime:
    return now - dt.timedelta(days=round(months * 365 / 12))


def lawyer_record(*, lawyer, now=None) -> dict:
    """The lawyer's rolling quality record: the grades of the last window (default 12 months) with
    their case, counts by grade, cases with a missed M 20 duty, training this year against the
    minimum, suspension proposals and suspensions. A fixed number of queries."""
    now = now or clock.now()
    settings = settings_for(region=lawyer.region)
    since = window_start(now, settings["suspension_window_months"])
    grades = list(CaseGrade.objects.filter(designation__lawyer=lawyer, computed_at__gte=since)
                  .select_related("notice__case", "notice__defendant").order_by("-computed_at"))
    counts = [{"grade": value, "label": label, "count": sum(1 for g in grades if g.grade == value)}
              for value, label in Grade.choices]
    year = clock.beijing_date(now).year
    training = list(TrainingRecord.objects.filter(lawyer=lawyer).order_by("-held_on", "-id"))
    this_year = [t for t in training if t.held_on.year == year]
    return {
        "lawyer": lawyer, "since": since, "settings": settings, "grades": grades, "counts": counts,
        "missed_cases": sum(1 for g in grades if g.missed_duties),
        "training": training, "training_this_year": len(this_year),
        "training_hours_this_year": sum((t.hours for t in this_year), 0),
        "training_minimum": settings["training_minimum"], "year": year,
        "under_minimum": len(this_year) < settings["training_minimum"],
        "proposals": list(SuspensionProposal.objects.filter(lawyer=lawyer).select_related("decided_by")),
        "suspensions": list(Suspension.objects.filter(lawyer=lawyer)),
        "complaints": list(Complaint.objects.filter(lawyer=lawyer).select_related("notice__case")),
    }


def pattern_for(*, lawyer, now, settings: dict) -> dict | None:
    """The suspension pattern, if the lawyer's record in the window shows it: {fails, missed_cases,
    window_months, grades: [ids]}; else None."""
    since = window_start(now, settings["suspension_window_months"])
    rows = list(CaseGrade.objects.filter(designation__lawyer=lawyer, computed_at__gte=since)
                .values("pk", "grade", "missed_duties"))
    fails = [r["pk"] for r in rows if r["grade"] == Grade.FAIL]
    missed = [r["pk"] for r in rows if r["missed_duties"]]
    if len(fails) >= settings["suspension_fails"] or len(missed) >= settings["suspension_missed_cases"]:
        return {"fails": len(fails), "missed_cases": len(missed), "window_months": settings["suspension_window_months"],
                "thresholds": {"fails": settings["suspension_fails"],
                               "missed_cases": settings["suspension_missed_cases"]},
                "grades": sorted(set(fails) | set(missed))}
    return None


# --- Lists ------------------------------------------------------------------------------------------

def proposals_list(*, status=None):
    qs = SuspensionProposal.objects.select_related("lawyer__firm", "decided_by", "suspension")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-proposed_at", "-id")


def training_report(*, year: int) -> list:
    """Every active lawyer on the roster with their sessions and hours in the year and the minimum
    that applies to them; those under it first. Two queries."""
    table = all_settings()
    lawyers = (Lawyer.objects.filter(status=Lawyer.Status.ACTIVE).select_related("region", "firm")
               .annotate(sessions=Count("training_records", filter=Q(training_records__held_on__year=year)))
               .order_by("name", "pk"))
    rows = []
    for lawyer in lawyers:
        minimum = settings_in(table, lawyer.region)["training_minimum"]
        rows.append({"lawyer": lawyer, "sessions": lawyer.sessions, "minimum": minimum,
                     "under": lawyer.sessions < minimum})
    rows.sort(key=lambda r: (not r["under"], r["lawyer"].name))
    return rows


def training_list(*, year: int):
    return (TrainingRecord.objects.filter(held_on__year=year).select_related("lawyer", "recorded_by")
            .order_by("-held_on", "-id"))


def complaints_for(user):
    """Client complaints on notices the user may see, open ones first."""
    return (Complaint.objects.filter(notice__in=Notice.objects.filter(notice_scope(user)).values("pk"))
            .select_related("notice__case", "notice__defendant", "lawyer", "received_by", "decided_by")
            .order_by("status", "-created_at", "-id"))
