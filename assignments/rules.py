"""The law of designating lawyers, in one place (docs/RULES.md §1 and §3): the hard filters of the
recommendation with their basis, the branches of a defendant's refusal (M 6; SPCI 50, 311), the
grounds for ending aid (LAL 48) and for replacing a lawyer (LAL 55), and the data the soft order
reads (which specialities a charge calls for, which language a defendant needs). Pure: no queries.

Where a row is the project's reading rather than the text of the law it says so (`inference`), and
pages and the API show it as such."""
import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Category, Condition

# Qualification thresholds (LAL 26; PR2023 Art. 26).
SENIOR_YEARS = 3
# Counsel may be changed at most twice in one trial procedure (SPCI 311).
MAX_COUNSEL_CHANGES = 2
# A defendant allowed to refuse in a mandatory case retains counsel within 5 days (SPCI 50).
RETAIN_DAYS_RULE = "retain_after_refusal"


@dataclass(frozen=True)
class Filter:
    """A hard filter: a lawyer who fails it is not a candidate. Overriding it needs a supervisor and
    a written reason."""

    code: str
    basis: str
    title: Promise
    inference: object = ""


_FILTERS = [
    Filter("not_active", "LAL 16", _("Not on the active legal aid roster"),
           inference=_("The roster is the agency's list of lawyers who take legal aid cases.")),
    Filter("suspended", "LAL 59; N2018; LawyersL 49", _("Suspended from designations"),
           inference=_("Quality results and discipline decide whether a lawyer receives further designations.")),
    Filter("on_leave", "M 5; N2018", _("On leave during the designation window"),
           inference=_("A lawyer on leave, or whose leave starts within the agency's horizon (default 7 days), "
                     "cannot take up the case in time.")),
    Filter("needs_senior", "LAL 26; PR2023 Art. 26",
           _("Possible life imprisonment, death penalty or death review: needs at least 3 years of criminal "
             "defence")),
    Filter("needs_minors_experience", "LAL 26; PR2023 Art. 26; CPL 278",
           _("Minor defendant: needs a lawyer familiar with minors' cases")),
    Filter("codefendant", "SPCI 43", _("Defends or defended a co-defendant of the same case")),
    Filter("connected_case", "SPCI 43", _("Defends or defended a defendant of a connected case")),
    Filter("victim_or_witness", "LawyersL 39; SPCI 43",
           _("Acts for a victim or witness of the case, or is one"),
           inference=_("Matched on identity numbers, and on names by characters or by pinyin so that a variant "
                     "character is still caught; names match only where the identity numbers do not differ.")),
    Filter("previously_designated", "M 6(2); SPCI 50",
           _("Was already designated on this notice (declined, refused or replaced): designate another lawyer")),
    Filter("not_on_duty", "M 2(4); CPL 36", _("Not on duty at this court or detention centre today")),
]
FILTERS = {f.code: f for f in _FILTERS}


def filter_detail(code: str, **extra) -> dict:
    f = FILTERS[code]
    return {"code": code, "basis": f.basis, "title": str(f.title), "inference": str(f.inference), **extra}


# --- Who needs what --------------------------------------------------------------------------

def needs_senior(grounds) -> bool:
    """Possible life imprisonment or death, or death review (LAL 26; PR2023 Art. 26)."""
    return bool({"life_or_death", "death_penalty_review"} & set(grounds))


def needs_minors_experience(grounds) -> bool:
    return "minor" in grounds


def full_years_between(start: dt.date, day: dt.date) -> int:
    years = day.year - start.year - ((day.month, day.day) < (start.month, start.day))
    return max(years, 0)


def senior_cutoff(today: dt.date) -> dt.date:
    """Criminal defence since this day or earlier means at least SENIOR_YEARS full years today."""
    try:
        return today.replace(year=today.year - SENIOR_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - SENIOR_YEARS, day=28)


# Specialities a case calls for: from its grounds, and from the names of its charges (a keyword
# in the charge's name). Not law: the agency's classification, used only by the soft order.
GROUND_SPECIALITIES = {
    "minor": "minors",
    "life_or_death": "death_penalty",
    "death_penalty_review": "death_penalty",
    "mental_partial": "mental_health",
}
CHARGE_KEYWORDS = [
    ("电信网络诈骗", "cyber_fraud"), ("网络", "cyber_fraud"), ("信息网络", "cyber_fraud"), ("帮助信息网络", "cyber_fraud"),
    ("毒品", "drugs"), ("容留他人吸毒", "drugs"),
    ("故意杀人", "violent_crime"), ("故意伤害", "violent_crime"), ("抢劫", "violent_crime"), ("强奸", "violent_crime"),
    ("绑架", "violent_crime"),
    ("贪污", "duty_crime"), ("受贿", "duty_crime"), ("行贿", "duty_crime"), ("挪用公款", "duty_crime"),
    ("滥用职权", "duty_crime"), ("玩忽职守", "duty_crime"),
    ("非法吸收公众存款", "economic_crime"), ("集资诈骗", "economic_crime"), ("合同诈骗", "economic_crime"),
    ("职务侵占", "economic_crime"), ("虚开", "economic_crime"), ("走私", "economic_crime"), ("洗钱", "economic_crime"),
]


def wanted_specialities(*, grounds, charges) -> list:
    wanted = [GROUND_SPECIALITIES[g] for g in grounds if g in GROUND_SPECIALITIES]
    for charge in charges:
        wanted += [spec for keyword, spec in CHARGE_KEYWORDS if keyword in charge]
    return list(dict.fromkeys(wanted))


# Languages a defendant may need: sign language for a deaf or mute defendant; the language of a
# minority nationality (CPL 9: the right to use one's own language). Inference: ethnicity is not
# proof that the defendant does not speak Mandarin, so this only orders, never filters.
ETHNIC_LANGUAGES = {
    "维吾尔族": "ug", "藏族": "bo", "蒙古族": "mn", "哈萨克族": "kk", "朝鲜族": "ko", "彝族": "ii", "壮族": "za",
    "柯尔克孜族": "ky", "傣族": "th_dai",
}


def wanted_languages(*, conditions, ethnicity) -> list:
    wanted = []
    if Condition.DEAF in conditions or Condition.MUTE in conditions:
        wanted.append("csl")
    if ethnicity in ETHNIC_LANGUAGES:
        wanted.append(ETHNIC_LANGUAGES[ethnicity])
    return wanted


# --- Refusal by the defendant (M 6; SPCI 50, 311; N2018) ---------------------------------------

@dataclass(frozen=True)
class RefusalBranch:
    outcome: str
    basis: str
    title: Promise
    changes_counsel: bool  # counts towards SPCI 311's two changes


_BRANCHES = [
    RefusalBranch("retain_window", "M 6(1); SPCI 50",
                  _("Refusal allowed (mandatory case, valid reason): the defendant is to retain counsel within 5 days; "
                    "otherwise the agency designates another lawyer"), True),
    RefusalBranch("not_allowed", "M 6(1); SPCI 50",
                  _("Refusal not allowed (mandatory case, no valid reason): the designated lawyer continues"), False),
    RefusalBranch("terminated", "M 6(2); LAL 48",
                  _("The defendant defends themself and the court allows it: legal aid is terminated"), False),
    RefusalBranch("redesignate", "M 6(2)",
                  _("Justified request for a different lawyer: the agency designates another lawyer"), True),
    RefusalBranch("limit_reached", "SPCI 311",
                  _("Counsel has already been changed twice in this procedure: the refusal is not allowed"), False),
]
REFUSAL_BRANCHES = {b.outcome: b for b in _BRANCHES}


def refusal_branch(*, category: str, valid_reason: bool, defend_self, changes_so_far: int) -> RefusalBranch:
    """What follows a defendant's refusal of the designated lawyer.

    Mandatory cases (M 6(1); SPCI 50): the court asks why; with a valid reason the refusal is allowed
    and the defendant must retain counsel within 5 days, else the agency designates again; without
    one it is not allowed. Other cases (M 6(2)): a defendant who defends themself ends the aid; a
    justified request for another lawyer brings a new designation. When the court does not say
    whether the defendant defends themself, an invalid reason is read as self-defence (inference:
    the contract's event carries only `reason` and `valid_reason`). Counsel changes at most twice
    (SPCI 311)."""
    if category == Category.MANDATORY:
        outcome = "retain_window" if valid_reason else "not_allowed"
    else:
        self_defence = (not valid_reason) if defend_self is None else defend_self
        if self_defence:
            outcome = "terminated"
        elif valid_reason:
            outcome = "redesignate"
        else:
            outcome = "not_allowed"
    branch = REFUSAL_BRANCHES[outcome]
    if branch.changes_counsel and changes_so_far >= MAX_COUNSEL_CHANGES:
        return REFUSAL_BRANCHES["limit_reached"]
    return branch


# --- Ending aid (LAL 48) and replacing a lawyer (LAL 55) ---------------------------------------

@dataclass(frozen=True)
class Ground:
    code: str
    basis: str
    title: Promise
    changes_counsel: bool = False


TERMINATION_GROUNDS = {g.code: g for g in [
    Ground("fraud", "LAL 48(1)", _("Aid obtained by deception or other improper means")),
    Ground("concealment", "LAL 48(2)", _("The recipient concealed important facts or gave false evidence")),
    Ground("unlawful_use", "LAL 48(3)", _("The recipient used legal aid for unlawful ends")),
    Ground("means_changed", "LAL 48(4)", _("The recipient's means changed and no longer qualify"),),
    Ground("proceedings_ended", "LAL 48(5)", _("The proceedings ended or the case was withdrawn")),
    Ground("retained_counsel", "LAL 48(6); N2018", _("The recipient retained a lawyer or other counsel")),
    Ground("recipient_request", "LAL 48(7)", _("The recipient asked, with good reason, to end legal aid")),
    Ground("other_law", "LAL 48(8)", _("Another ground laid down by law")),
]}
TERMINATION_OBJECTION = "LAL 49"  # the recipient may object within 5 days

REPLACEMENT_GROUNDS = {g.code: g for g in [
    Ground("client_request", "LAL 55", _("The recipient complained and asked for another lawyer"), True),
    Ground("lawyer_unable", "PR2023", _("The lawyer cannot continue (illness, leave, licence, conflict found later)")),
    Ground("quality", "LAL 57-59; N2018", _("The lawyer's service fell short of the standards")),
]}
