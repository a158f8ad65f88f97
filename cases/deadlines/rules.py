"""The registry of statutory deadlines (RULES.md §2 and §5): every clock the system runs, with its
legal basis, trigger, period and unit, responsible party, reminders and escalation. The law lives
here and nowhere else; a jurisdiction may override a rule's period or unit, or add a local rule
(JurisdictionRule rows), and `rule_for` resolves which applies to a region."""
import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import get_language

from cases.deadlines.models import Party, Unit
from legalaid import clock

from .calendar import WorkingCalendar


@dataclass(frozen=True)
class Rule:
    code: str
    title_zh: str
    title_en: str
    basis: str
    trigger: str  # the domain event that starts the clock
    period: int
    unit: str
    party: str
    rolls_over: bool = True  # calendar days: a last day on a rest day moves to the next working day
    custody_exempt: bool = False  # CPL 105: in custody the period ends on its actual last day (inference)
    # Reminders before the due moment: ("working_days", 1) is the morning of the working day before;
    # ("due_day", 0) is the morning of the due day; ("hours", n) is n hours before.
    reminders: tuple = (("working_days", 1), ("due_day", 0))
    escalate_to: str = "agency_supervisor"  # or "court_liaison", "lawyer_and_agency"
    inference: str = ""  # where the reading is the project's, shown to users as such

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


_RULES = [
    Rule("court_inform_rights", "法院告知被告人有权委托辩护人及获得法律援助", "Court informs the defendant of the right to counsel",
         "M 3; N2018; CPL 34; SPCI 44", "case_accepted", 3, Unit.CALENDAR_DAYS, Party.COURT,
         escalate_to="court_liaison",
         inference="The notice's arrival is taken as evidence that the defendant was informed."),
    Rule("agency_assign_lawyer", "法律援助机构指派律师并函告法院", "Agency designates a lawyer and informs the court",
         "M 5; N2018; LAL 36", "notice_received", 3, Unit.WORKING_DAYS, Party.AGENCY),
    Rule("court_supplement_materials", "法院补充通知辩护材料（开庭15日前）",
         "Court completes the notice materials (15 days before the hearing)",
         "M 4, 5; SPCI 49", "hearing_scheduled", 15, Unit.DAYS_BEFORE_EVENT, Party.COURT,
         escalate_to="court_liaison",
         inference="A last day on a rest day moves earlier, to the working day before."),
    Rule("court_decide_evidence_request", "法院对调取证据申请作出决定", "Court decides on an evidence-collection request",
         "M 16", "evidence_request_filed", 3, Unit.CALENDAR_DAYS, Party.COURT, escalate_to="court_liaison"),
    Rule("court_arrange_file_review", "法院安排阅卷（障碍消除后3个工作日）",
         "Court arranges the file review (3 working days after the obstacle ends)",
         "M 15", "file_review_requested", 3, Unit.WORKING_DAYS, Party.COURT, escalate_to="court_liaison"),
    Rule("lawyer_written_opinion_no_hearing", "不开庭审理案件律师提交书面辩护意见",
         "Lawyer submits a written defence opinion (no hearing)",
         "M 20", "not_heard_notified", 10, Unit.CALENDAR_DAYS, Party.LAWYER, escalate_to="lawyer_and_agency"),
    Rule("lawyer_file_papers", "律师向法院提交法律援助手续", "Lawyer files the legal aid papers with the court",
         "SPCI 52", "designation_accepted", 3, Unit.CALENDAR_DAYS, Party.LAWYER, escalate_to="lawyer_and_agency"),
    Rule("detention_arrange_meeting", "看守所安排律师会见", "Detention centre arranges the lawyer's meeting",
         "CPL 39", "meeting_requested", 48, Unit.HOURS, Party.DETENTION_CENTRE, reminders=(("hours", 12),)),
    Rule("retain_after_refusal", "被告人拒绝指派律师后另行委托辩护人", "Defendant retains counsel after refusing the designated lawyer",
         "SPCI 50", "refusal_allowed", 5, Unit.CALENDAR_DAYS, Party.DEFENDANT, reminders=(("due_day", 0),)),
    Rule("agency_decide_application", "法律援助机构审查申请并作出决定", "Agency decides on an application for legal aid",
         "LAL 43", "application_received", 7, Unit.CALENDAR_DAYS, Party.AGENCY),
    Rule("new_counsel_preparation", "新辩护人准备辩护的时间（不少于15日）",
         "Preparation time for new counsel (at least 15 days)",
         "SPCI 313", "counsel_replaced", 15, Unit.CALENDAR_DAYS, Party.COURT, rolls_over=False,
         reminders=(), escalate_to="court_liaison"),
]
REGISTRY = {rule.code: rule for rule in _RULES}
# Fixed by contracts/court-api.md: these codes never change.
CONTRACT_CODES = ("court_inform_rights", "agency_assign_lawyer", "court_supplement_materials",
                  "court_decide_evidence_request", "lawyer_written_opinion_no_hearing")


def rule_for(code: str, region=None) -> Rule | None:
    """The rule as it applies in a region: the most local JurisdictionRule (county, then prefecture,
    then province) overrides the registry; a code only a jurisdiction knows is a local rule."""
    from cases.deadlines.models import JurisdictionRule

    base = REGISTRY.get(code)
    override = None
    if region is not None:
        prefixes = {region.code[:2], region.code[:4], region.code}
        candidates = JurisdictionRule.objects.filter(code=code, active=True, region__code__in=[
            p.ljust(6, "0") for p in prefixes] + [region.code])
        override = max(candidates.select_related("region"), key=lambda r: len(r.region.prefix), default=None)
    if override is None:
        return base
    if base is None:
        return Rule(code, override.title_zh or code, override.title_en or code, override.basis,
                    override.trigger or "notice_received", override.period, override.unit,
                    override.party or Party.AGENCY, rolls_over=override.rolls_over)
    return replace(base, period=override.period, unit=override.unit, rolls_over=override.rolls_over,
                   basis=override.basis or base.basis)


@dataclass(frozen=True)
class Due:
    due_at: dt.datetime
    provisional: bool
    last_day: dt.date | None = None


def compute_due(rule: Rule, start, calendar: WorkingCalendar, *, in_custody: bool = False) -> Due:
    """The due moment of `rule` counted from `start` (a datetime or a Beijing date). For
    days_before_event, `start` is the event (the hearing). A day-counted period ends at the end of
    its Beijing day; an hour-counted one runs from the next whole hour (RULES.md §5)."""
    if rule.unit == Unit.HOURS:
        moment = start if isinstance(start, dt.datetime) else clock.start_of_day(start)
        moment = clock.to_beijing(moment)
        first_hour = moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        due = first_hour + dt.timedelta(hours=rule.period)
        return Due(due, not calendar.is_known(due.date()))
    start_day = clock.beijing_date(start) if isinstance(start, dt.datetime) else start
    if rule.unit == Unit.WORKING_DAYS:
        day = calendar.add_working_days(start_day, rule.period)
    elif rule.unit == Unit.DAYS_BEFORE_EVENT:
        day = calendar.add_days(start_day, -rule.period)
        if rule.rolls_over:
            rolled = calendar.roll_backward(day.date)
            day = type(day)(rolled.date, day.provisional or rolled.provisional)
    else:
        day = calendar.add_days(start_day, rule.period)
        if rule.rolls_over and not (rule.custody_exempt and in_custody):
            rolled = calendar.roll_forward(day.date)
            day = type(day)(rolled.date, day.provisional or rolled.provisional)
    return Due(clock.end_of_day(day.date), day.provisional, day.date)
