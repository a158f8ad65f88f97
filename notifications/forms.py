from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.models import Delivery

CHANNEL_LABELS = {kinds.EMAIL: _("Email"), kinds.SMS: _("Text message")}


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel, and the daily digest. The inbox keeps every message."""

    daily_digest = forms.BooleanField(label=_("Send my emails as one daily digest"), required=False)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, channels in rows:
            names = []
            for channel in kinds.USER_CHANNELS:
                name = f"{kind.code}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=CHANNEL_LABELS[channel], required=False, initial=channels[channel],
                    widget=forms.CheckboxInput(attrs={"aria-label": format_lazy("{} · {}", kind.label,
                                                                                CHANNEL_LABELS[channel])}))
                names.append(name)
            self.rows.append((kind, [self[name] for name in names]))

    def choices(self) -> dict:
        return {kind.code: {channel for channel in kinds.USER_CHANNELS
                            if self.cleaned_data.get(f"{kind.code}__{channel}")}
                for kind, _fields in self.rows}


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(Delivery.Status.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel"))] + list(Delivery.Channel.choices))
