"""The daily digest: for users who chose it, one email a day listing the messages of the Beijing day
before, instead of one email per message."""
from collections import defaultdict
from datetime import timedelta

from legalaid import clock
from notifications import conf, kinds
from notifications.models import Delivery, Message
from notifications.services.deliveries import dispatch_on_commit, max_attempts
from notifications.services.messages import chosen_channels, preferences_of


def digests_prepare(*, now=None) -> int:
    """Once the digest hour has passed (Beijing time), record one digest email per subscriber for
    yesterday's messages that chose email and were not emailed already; sent after the commit. Safe
    to run every hour and in several workers: each user's digest of a day has one key, recorded once.
    Returns the number of users with a digest for that day."""
    now = now or clock.now()
    local = clock.to_beijing(now)
    if local.hour < int(conf.get("NOTIFY_DIGEST_HOUR")):
        return 0
    day = local.date() - timedelta(days=1)
    rows = list(
        Message.objects.filter(recipient__digest_subscription__isnull=False, recipient__is_active=True,
                               created_at__gte=clock.start_of_day(day),
                               created_at__lt=clock.start_of_day(day + timedelta(days=1)))
        .exclude(recipient__email="")
        .exclude(deliveries__channel=Delivery.Channel.EMAIL)
        .order_by("created_at", "id").values_list("pk", "recipient_id", "kind"))
    if not rows:
        return 0
    preferences = preferences_of([user_id for _pk, user_id, _kind in rows], [kind for _pk, _u, kind in rows])
    per_user = defaultdict(list)
    for pk, user_id, kind in rows:
        if kinds.EMAIL in chosen_channels(preferences, user_id, kind):
            per_user[user_id].append(pk)
    digests = [
        Delivery(key=f"digest:u{user_id}:{day.isoformat()}", channel=Delivery.Channel.EMAIL, recipient_id=user_id,
                 event="digest", payload={"date": day.isoformat(), "messages": ids},
                 max_attempts=max_attempts(Delivery.Channel.EMAIL), next_attempt_at=now, created_at=now)
        for user_id, ids in per_user.items()
    ]
    Delivery.objects.bulk_create(digests, ignore_conflicts=True)
    dispatch_on_commit(d.key for d in digests)
    return len(digests)
