"""The one way any app tells a user something."""
from notifications.models import Message


def build_messages(*, key: str, recipients, kind: str, params=None, link: str = "", notice=None) -> list:
    """One unsaved message per recipient, keyed so that a repeat of the same event adds nothing."""
    return [
        Message(key=f"{key}:u{user.pk}", recipient=user, kind=kind, params=params or {}, link=link, notice=notice)
        for user in {u.pk: u for u in recipients}.values()
    ]


def save_messages(messages) -> None:
    """Store messages in one query, skipping any already stored under the same key. Runs inside the
    caller's transaction: a rolled-back change tells no one."""
    if messages:
        Message.objects.bulk_create(messages, ignore_conflicts=True)


def notify(*, key: str, recipients, kind: str, params=None, link: str = "", notice=None) -> int:
    messages = build_messages(key=key, recipients=recipients, kind=kind, params=params, link=link, notice=notice)
    save_messages(messages)
    return len(messages)
