"""Demo data: Zhumadian's subsidy schedule (docs/RULES.md §4's local example), entered once."""
import datetime as dt

from quality.models import Grade
from quality.subsidies.models import SubsidySchedule
from quality.subsidies.services import schedule_create

ITEMS = [("investigation", "", "800"), ("prosecution", "", "1000"), ("first_instance", "ordinary", "1200"),
         ("first_instance", "summary", "800"), ("first_instance", "fast_track", "500"),
         ("second_instance", "", "1000"), ("retrial", "", "1200"), ("death_penalty_review", "", "3000"),
         ("duty_lawyer", "", "300")]
ADDITIONS = {"life_or_death": "1000", "many_defendants": "300", "cross_region": "200", "minority_language": "200"}


def seed(*, region, actor) -> SubsidySchedule:
    existing = SubsidySchedule.objects.filter(region=region).first()
    if existing is not None:
        return existing
    return schedule_create(region=region, name="驻马店市刑事法律援助案件办案补贴标准", basis="驻马店市司法局 驻司通〔2026〕1号",
                           valid_from=dt.date(2024, 1, 1), items=ITEMS, additions=ADDITIONS,
                           multipliers=dict(zip(Grade.values, ["1.20", "1.00", "0.90", "0"])),
                           recipient_share_percent="0", actor=actor)
