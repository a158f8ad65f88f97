"""Reads: a user's inbox and preferences, and the delivery log as each role may see it."""
from django.db.models import Q

from legalaid.models import AGENCY_ROLES
from notifications import kinds
from notifications.models import ChannelPreference, Delivery, DigestSubscription, Message


def inbox_for_user(*, user, unread_only: bool = False):
    qs = Message.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for_user(*, user) -> dict:
    """{"kinds": [(kind, {channel: enabled})], "daily_digest": bool}, defaults filled in."""
    chosen = {(kind, channel): enabled for kind, channel, enabled in
              ChannelPreference.objects.filter(user=user).values_list("kind", "channel", "enabled")}
    rows = [(kind, {channel: chosen.get((code, channel), channel in kind.channels) for channel in kinds.USER_CHANNELS})
            for code, kind in kinds.all_kinds().items()]
    return {"kinds": rows, "daily_digest": DigestSubscription.objects.filter(user=user).exists()}


def can_read_deliveries(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_administrator or user.role in AGENCY_ROLES)


def can_replay_deliveries(user) -> bool:
    return user.is_authenticated and user.is_active and user.can_write_cases


def delivery_list_for_user(*, user):
    """Deliveries the user may read: an administrator all; agency roles those about notices of, or
    sent to people in, the agencies of their region and the regions under it; others none."""
    qs = Delivery.objects.select_related("notice__case", "notice__defendant", "endpoint__court", "recipient",
                                         "replayed_by")
    if not can_read_deliveries(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if not user.agency_id:
        return qs.none()
    prefix = user.agency.region.prefix  # the user's region and the regions under it
    return qs.filter(Q(notice__agency__region__code__startswith=prefix)
                     | Q(recipient__agency__region__code__startswith=prefix))
