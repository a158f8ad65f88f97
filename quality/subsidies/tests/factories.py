"""A subsidy schedule like Zhumadian's (docs/RULES.md §4: trial ¥1,200, +¥1,000 for a complex case; tiers
by quality grade), entered through the service."""
import datetime as dt

from quality.subsidies.services import schedule_create

ITEMS = [("investigation", "", "800"), ("prosecution", "", "1000"), ("first_instance", "ordinary", "1200"),
         ("first_instance", "summary", "800"), ("first_instance", "fast_track", "500"),
         ("second_instance", "", "1000"), ("retrial", "", "1200"), ("death_penalty_review", "", "3000"),
         ("duty_lawyer", "", "300")]
ADDITIONS = {"life_or_death": "1000", "many_defendants": "300", "cross_region": "200", "minority_language": "200"}
MULTIPLIERS = {"excellent": "1.20", "good": "1.00", "pass": "0.90", "fail": "0"}


def schedule(world, *, region=None, valid_from=dt.date(2026, 1, 1), valid_to=None, share="10", **overrides):
    values = dict(region=region or world.city, name="驻马店市刑事法律援助办案补贴标准", basis="驻司通〔2026〕1号",
                  valid_from=valid_from, valid_to=valid_to, items=ITEMS, additions=ADDITIONS,
                  multipliers=MULTIPLIERS, recipient_share_percent=share, actor=world.supervisor)
    values.update(overrides)
    return schedule_create(**values)
