"""Messages: build them, store them (inbox), and plan their email and SMS deliveries by each
recipient's preferences. Runs inside the caller's transaction: a rolled-back change tells no one."""
import operator
from functools import reduce


from legalaid import clock
from legalaid.models import User
from notifications import kinds
from notifications.models import ChannelPreference, Delivery, Message
from notifications.recipients import Accounts
from notifications.services.deliveries import dispatch_on_commit, max_attempts


def resolve_recipients(recipients) -> list:
    """Users from a mix of users and groups of accounts (notifications.recipients: an agency's staff,
    a court's accounts...; active ones only, in one query), each user once. A single user or group
    may be passed alone."""
    if isinstance(recipients, (User, Accounts)):
        recipients = [recipients]
    users, groups = {}, []
    for item in recipients:
        if isinstance(item, Accounts):
            groups.append(item.q)
        else:
            users.setdefault(item.pk, item)
    if groups:
        # With their digest subscriptions: planning the deliveries reads them.
        members = User.objects.filter(reduce(operator.or_, groups), is_active=True)
        for user in members.select_related("digest_subscription").order_by("pk"):
            users.setdefault(user.pk, user)
    return list(users.values())


def build_messages(*, key: str, recipients, kind: str, params=None, link: str = "", notice=None) -> list:
    """One unsaved message per recipient, keyed so that a repeat of the same event adds nothing."""
    return [
        Message(key=f"{key}:u{user.pk}", recipient=user, kind=kind, params=params or {}, link=link, notice=notice)
        for user in resolve_recipients(recipients)
    ]


def save_messages(messages) -> None:
    """Store messages, skipping any already stored under the same key, and plan the email and SMS
    deliveries of the new ones, sent after the caller's transaction commits. A message told again
    sends nothing, even if its recipient has chosen other channels since."""
    if not messages:
        return
    stored = set(Message.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True))
    fresh = [m for m in messages if m.key not in stored]
    if fresh:
        # A concurrent transaction may store the same key first: its row wins, and the delivery
        # keys below keep the two from sending twice.
        Message.objects.bulk_create(fresh, ignore_conflicts=True)
        _plan_deliveries([m.key for m in fresh])


def save_new_messages(messages) -> None:
    """Store messages whose keys name something that did not exist before this transaction (a
    notice just received), so that no earlier copy can be stored: one insert, and the deliveries
    planned from the recipients as loaded (with their digest subscriptions)."""
    if messages:
        Message.objects.bulk_create(messages)
        _plan_deliveries_of(messages)


def notify(*, key: str, recipients, kind: str, params=None, link: str = "", notice=None, new=False) -> int:
    """Tell users, an agency's staff or a court's accounts something: an inbox message each, and
    by email or SMS as each recipient chose. Returns the number of recipients. `new`: the key is of
    something created in this transaction (see save_new_messages)."""
    messages = build_messages(key=key, recipients=recipients, kind=kind, params=params, link=link, notice=notice)
    (save_new_messages if new else save_messages)(messages)
    return len(messages)


def chosen_channels(preferences: dict, user_id: int, kind: str) -> set:
    """The channels a user wants for a kind: their own choice where they made one, else the kind's."""
    default = kinds.get(kind).channels
    return {channel for channel in kinds.USER_CHANNELS
            if preferences.get((user_id, kind, channel), channel in default)}


def preferences_of(user_ids, kind_codes) -> dict:
    rows = ChannelPreference.objects.filter(user_id__in=set(user_ids), kind__in=set(kind_codes))
    return {(user_id, kind, channel): enabled
            for user_id, kind, channel, enabled in rows.values_list("user_id", "kind", "channel", "enabled")}


def _plan_deliveries(keys):
    _plan_deliveries_of(list(Message.objects.filter(key__in=keys)
                             .select_related("recipient", "recipient__digest_subscription")))


def _plan_deliveries_of(stored):
    if not stored:
        return
    preferences = preferences_of([m.recipient_id for m in stored], [m.kind for m in stored])
    now = clock.now()
    deliveries = []
    for message in stored:
        user = message.recipient
        if not user.is_active:
            continue
        channels = chosen_channels(preferences, user.pk, message.kind)
        # Daily-digest readers get this message in tomorrow's digest instead of an email now.
        if kinds.EMAIL in channels and user.email and getattr(user, "digest_subscription", None) is None:
            deliveries.append(_delivery(message, Delivery.Channel.EMAIL, now))
        if kinds.SMS in channels and user.phone:
            deliveries.append(_delivery(message, Delivery.Channel.SMS, now))
    if deliveries:
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        dispatch_on_commit(d.key for d in deliveries)


def _delivery(message, channel, now):
    return Delivery(key=f"{message.key}:{channel}", channel=channel, message=message, recipient=message.recipient,
                    notice_id=message.notice_id, event=message.kind, max_attempts=max_attempts(channel),
                    next_attempt_at=now, created_at=now)


def message_mark_read(*, message: Message, now=None) -> Message:
    """Mark a message read; the first reading is the one kept."""
    if message.read_at is None:
        message.read_at = now or clock.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def messages_mark_all_read(*, user, now=None) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or clock.now())
