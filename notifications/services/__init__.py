"""The one way any app tells a user or an organisation something (`notify`), and the way a notice's
state change reaches its court (`notice_state_changed`). Everything here writes inside the caller's
transaction and sends only after it commits."""
from notifications.services.deliveries import deliveries_due, delivery_replay, delivery_send
from notifications.services.digest import digests_prepare
from notifications.services.messages import (
    build_messages,
    message_mark_read,
    messages_mark_all_read,
    notify,
    resolve_recipients,
    save_messages,
)
from notifications.services.preferences import preferences_update
from notifications.services.webhooks import notice_state_changed, webhook_endpoint_save

__all__ = [
    "build_messages", "save_messages", "notify", "resolve_recipients", "message_mark_read",
    "messages_mark_all_read", "preferences_update", "notice_state_changed", "webhook_endpoint_save",
    "delivery_send", "delivery_replay", "deliveries_due", "digests_prepare",
]
