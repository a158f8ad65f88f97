"""The registry of statutory deadlines (docs/RULES.md §2 and §5): every clock the system runs, with its
legal basis, trigger, period and unit, responsible party, reminders and escalation. The law lives
here and nowhere else; a jurisdiction may override a rule's period or unit, or add a local rule
(JurisdictionRule rows), and `rule_for` resolves which applies to a region."""
import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.deadlines.models import Party, Unit
from legalaid import clock

from .calendar import WorkingCalendar

# Reminder offsets: ("working_days", n) is the morning of the n-th working day before the due day;
# ("due_day", 0) is the morning of the due day; ("hours", n) is n hours before the due moment.
DAY_REMINDERS = (("working_days", 1), ("due_day", 0))
NO_REMINDERS = ()

# Who hears of a breach (the escalation target).
ESCALATE_AGENCY = "agency_supervisor"  # the agency's supervisors
ESCALATE_COURT = "court_liaison"  # the court's accounts (its liaison), and the agency's supervisors
ESCALATE_LAWYER = "lawyer_and_agency"  # the designated lawyer and the agency's supervisors


@dataclass(frozen=True)
class Rule:
    code: str
    title_zh: str  # the official Chinese name, shown to Chinese readers as is
    title_en: str  # English msgid (gettext_lazy), for every other language
    basis: str
    trigger: str  # the domain event that starts the clock
    period: int
    unit: str
    party: str
    rolls_over: bool = True  # a last day on a rest day moves to the next working day (CPL 105)
    # CPL 105: for a person in custody a period ends on its actual last day. The article targets
    # custody durations, so the exception is a per-rule flag (docs/RULES.md §5, inference).
    custody_period: bool = False
    reminders: tuple = DAY_REMINDERS
    escalate_to: str = ESCALATE_AGENCY
    inference: str = ""  # where the reading is the project's, shown to users as such
    local: bool = False  # a jurisdiction's own rule, not in the national registry

    @property
    def title(self) -> str:
        if (get_language() or "zh-hans").startswith("zh") and self.title_zh:
            return self.title_zh
        return str(self.title_en)


_RULES = [
    Rule("court_inform_rights", "法院告知被告人有权委托辩护人及获得法律援助",
         _("Court informs the defendant of the right to counsel"),
         "M 3; N2018; CPL 34; SPCI 44", "case_accepted", 3, Unit.CALENDAR_DAYS, Party.COURT,
         escalate_to=ESCALATE_COURT,
         inference=_("The notice's arrival is taken as evidence that the defendant was informed.")),
    Rule("agency_assign_lawyer", "法律援助机构指派律师并函告法院", _("Agency designates a lawyer and informs the court"),
         "M 5; N2018; LAL 36", "notice_received", 3, Unit.WORKING_DAYS, Party.AGENCY,
         inference=_("3 working days (N2018) by default; a jurisdiction may choose LAL 36's 3 calendar days.")),
    Rule("court_supplement_materials", "法院补充通知辩护材料（开庭15日前）",
         _("Court completes the notice materials (15 days before the hearing)"),
         "M 4, 5; SPCI 49", "hearing_scheduled", 15, Unit.DAYS_BEFORE_EVENT, Party.COURT,
         escalate_to=ESCALATE_COURT,
         inference=_("A last day on a rest day moves earlier, to the working day before.")),
    Rule("court_decide_evidence_request", "法院对调取证据申请作出决定", _("Court decides on an evidence-collection request"),
         "M 16", "evidence_request_filed", 3, Unit.CALENDAR_DAYS, Party.COURT, escalate_to=ESCALATE_COURT,
         inference=_("SPCI 61 allows 5 days; the Measures govern pilot cases.")),
    Rule("court_arrange_file_review", "法院安排阅卷（障碍消除后3个工作日）",
         _("Court arranges the file review (3 working days after the obstacle ends)"),
         "M 15", "file_review_requested", 3, Unit.WORKING_DAYS, Party.COURT, escalate_to=ESCALATE_COURT),
    Rule("lawyer_written_opinion_no_hearing", "不开庭审理案件律师提交书面辩护意见",
         _("Lawyer submits a written defence opinion (no hearing)"),
         "M 20", "not_heard_notified", 10, Unit.CALENDAR_DAYS, Party.LAWYER, escalate_to=ESCALATE_LAWYER),
    Rule("notify_agency_mandatory", "发现应当通知辩护情形后通知法律援助机构",
         _("The case organ notifies the agency once a mandatory ground is found"),
         "LAL 36; SPPR 42; MPSR 46", "mandatory_ground_found", 3, Unit.CALENDAR_DAYS, Party.CASE_ORGAN,
         escalate_to=ESCALATE_COURT),
    Rule("forward_application", "转交在押人员的法律援助申请", _("Forward a detained person's application for legal aid"),
         "LAL 39; MPSR 47", "application_from_custody", 24, Unit.HOURS, Party.DETENTION_CENTRE,
         reminders=(("hours", 6),)),
    Rule("agency_decide_application", "法律援助机构审查申请并作出决定", _("Agency decides on an application for legal aid"),
         "LAL 43", "application_received", 7, Unit.CALENDAR_DAYS, Party.AGENCY),
    Rule("agency_designate_after_grant", "决定给予法律援助后指派律师", _("Agency designates a lawyer after granting aid"),
         "LAL 43", "application_granted", 3, Unit.CALENDAR_DAYS, Party.AGENCY),
    Rule("lawyer_file_papers", "律师向法院提交法律援助手续", _("Lawyer files the legal aid papers with the court"),
         "SPCI 52", "designation_accepted", 3, Unit.CALENDAR_DAYS, Party.LAWYER, escalate_to=ESCALATE_LAWYER),
    Rule("detention_arrange_meeting", "看守所安排律师会见", _("Detention centre arranges the lawyer's meeting"),
         "CPL 39", "meeting_requested", 48, Unit.HOURS, Party.DETENTION_CENTRE, reminders=(("hours", 12),)),
    Rule("retain_after_refusal", "被告人拒绝指派律师后另行委托辩护人",
         _("Defendant retains counsel after refusing the designated lawyer"),
         "SPCI 50", "refusal_allowed", 5, Unit.CALENDAR_DAYS, Party.DEFENDANT, reminders=(("due_day", 0),)),
    Rule("new_counsel_preparation", "新辩护人准备辩护的时间（不少于15日）",
         _("Preparation time for new counsel (at least 15 days)"),
         "SPCI 313", "counsel_replaced", 15, Unit.CALENDAR_DAYS, Party.COURT, rolls_over=False,
         reminders=NO_REMINDERS, escalate_to=ESCALATE_COURT,
         inference=_("A minimum, not a limit: the hearing should not open before it ends.")),
    Rule("death_review_designate", "最高法院死刑复核案件指派律师", _("Designate a lawyer for a death-penalty review"),
         "法〔2021〕348号", "death_review_application", 3, Unit.CALENDAR_DAYS, Party.AGENCY),
    Rule("objection_review", "对不予/终止法律援助的异议作出决定", _("Justice bureau decides an objection to a refusal"),
         "LAL 49", "objection_filed", 5, Unit.CALENDAR_DAYS, Party.JUSTICE_BUREAU),
]
REGISTRY = {rule.code: rule for rule in _RULES}
# Fixed by docs/court-api.md: these codes never change.
CONTRACT_CODES = ("court_inform_rights", "agency_assign_lawyer", "court_supplement_materials",
                  "court_decide_evidence_request", "lawyer_written_opinion_no_hearing")


def default_reminders(unit: str, period: int) -> tuple:
    """Reminders of a rule that names none (a local rule): an hours rule is reminded a quarter of
    its period before the due moment, a day rule the working day before and on the due morning."""
    if unit == Unit.HOURS:
        return (("hours", max(1, period // 4)),)
    return DAY_REMINDERS


def check_jurisdiction_rule(*, code: str, unit: str, period: int, title_zh: str, title_en: str, party: str) -> dict:
    """What is wrong with a JurisdictionRule, as {field: message}: an override must keep a code the
    registry has; a local rule needs its title and responsible party."""
    errors = {}
    if not period or period < 1:
        errors["period"] = _("The period must be at least 1.")
    if unit == Unit.DAYS_BEFORE_EVENT and code not in REGISTRY:
        errors["unit"] = _("A local rule cannot count days before an event: no event would start it.")
    if code not in REGISTRY:
        if not (title_zh or title_en):
            errors["title_zh"] = _("A local rule needs a title.")
        if not party:
            errors["party"] = _("A local rule needs a responsible party.")
    return errors


def _region_codes(region) -> list:
    """The division codes of a region and the province and prefecture above it."""
    code = region.code
    return sorted({code[:2].ljust(6, "0"), code[:4].ljust(6, "0"), code})


def _apply(base: Rule | None, row) -> Rule:
    if base is None:
        return Rule(row.code, row.title_zh, row.title_en or row.title_zh or row.code, row.basis,
                    row.trigger or "notice_received", row.period, row.unit, row.party or Party.AGENCY,
                    rolls_over=row.rolls_over, custody_period=row.custody_period,
                    reminders=default_reminders(row.unit, row.period), local=True)
    return replace(base, period=row.period, unit=row.unit, rolls_over=row.rolls_over,
                   custody_period=row.custody_period or base.custody_period, basis=row.basis or base.basis,
                   reminders=base.reminders if row.unit == base.unit else default_reminders(row.unit, row.period))


def _most_local(rows) -> dict:
    """{code: the row of the most local jurisdiction} (county over prefecture over province)."""
    best = {}
    for row in rows:
        if row.code not in best or len(row.region.prefix) > len(best[row.code].region.prefix):
            best[row.code] = row
    return best


def rule_for(code: str, region=None) -> Rule | None:
    """The rule as it applies in a region: the most local active JurisdictionRule (county, then
    prefecture, then province) overrides the registry; a code only a jurisdiction knows is a local
    rule. One query when a region is given, none otherwise."""
    from cases.deadlines.models import JurisdictionRule

    base = REGISTRY.get(code)
    if region is None:
        return base
    rows = JurisdictionRule.objects.filter(code=code, active=True, region__code__in=_region_codes(region))
    row = _most_local(rows.select_related("region")).get(code)
    return base if row is None else _apply(base, row)


def rules_for_region(region=None) -> list:
    """Every rule as it applies in a region (registry rules with their overrides, then the region's
    local rules), in one query."""
    from cases.deadlines.models import JurisdictionRule

    if region is None:
        return list(REGISTRY.values())
    rows = _most_local(JurisdictionRule.objects.filter(active=True, region__code__in=_region_codes(region))
                       .select_related("region").order_by("code"))
    out = [_apply(rule, rows[code]) if code in rows else rule for code, rule in REGISTRY.items()]
    return out + [_apply(None, row) for code, row in sorted(rows.items()) if code not in REGISTRY]


@dataclass(frozen=True)
class Due:
    due_at: dt.datetime
    provisional: bool
    last_day: dt.date | None = None


def compute_due(rule: Rule, start, calendar: WorkingCalendar, *, in_custody: bool = False) -> Due:
    """The due moment of `rule` counted from `start` (an aware datetime or a Beijing date). For
    days_before_event, `start` is the event (the hearing). A day-counted period ends at the end of
    its Beijing day (23:59:59+08:00); an hour-counted one runs from the next whole hour and does not
    depend on the calendar (docs/RULES.md §5)."""
    if rule.unit == Unit.HOURS:
        moment = start if isinstance(start, dt.datetime) else clock.start_of_day(start)
        moment = clock.to_beijing(moment)
        first_hour = moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        return Due(first_hour + dt.timedelta(hours=rule.period), False, None)
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
        if rule.rolls_over and not (rule.custody_period and in_custody):
            rolled = calendar.roll_forward(day.date)
            day = type(day)(rolled.date, day.provisional or rolled.provisional)
    return Due(clock.end_of_day(day.date), day.provisional, day.date)


def breach_moment(due_at: dt.datetime) -> dt.datetime:
    """The first moment a deadline is missed: due moments are whole seconds (23:59:59 for a day),
    and the duty is done in time until that second has passed."""
    return due_at + dt.timedelta(seconds=1)
