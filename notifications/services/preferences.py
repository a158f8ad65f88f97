"""A user's choice of channels per kind of message, and of the daily digest."""
from django.db import transaction
from django.utils.translation import gettext as _

from legalaid import clock
from legalaid.errors import InvalidInput
from notifications import kinds
from notifications.models import ChannelPreference, DigestSubscription


def preferences_update(*, user, choices: dict, daily_digest: bool, now=None) -> None:
    """`choices` maps kinds to the channels wanted for them (email, sms); a kind it names gets
    exactly those, the others keep their setting. Channels need the address they send to."""
    for kind, channels in choices.items():
        if kind not in kinds.all_kinds():
            raise InvalidInput(_("Unknown kind of message."), code="unknown_kind", field=kind)
        unknown = set(channels) - set(kinds.USER_CHANNELS)
        if unknown:
            raise InvalidInput(_("Unknown channel."), code="unknown_channel", field=f"{kind}.{sorted(unknown)[0]}")
    wanted = {channel for channels in choices.values() for channel in channels}
    if kinds.SMS in wanted and not user.phone:
        raise InvalidInput(_("Add a mobile number to your account before choosing text messages."),
                           code="no_phone", field="sms")
    if (kinds.EMAIL in wanted or daily_digest) and not user.email:
        raise InvalidInput(_("Add an email address to your account before choosing email."),
                           code="no_email", field="email")
    rows = [ChannelPreference(user=user, kind=kind, channel=channel, enabled=channel in set(channels))
            for kind, channels in choices.items() for channel in kinds.USER_CHANNELS]
    with transaction.atomic():
        if rows:
            ChannelPreference.objects.bulk_create(rows, update_conflicts=True,
                                                  unique_fields=["user", "kind", "channel"], update_fields=["enabled"])
        if daily_digest:
            DigestSubscription.objects.get_or_create(user=user, defaults={"since": now or clock.now()})
        else:
            DigestSubscription.objects.filter(user=user).delete()
