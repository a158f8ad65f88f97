from django import forms
from django.utils.translation import gettext_lazy as _

from cases.deadlines.services import WAIVE_REASON_MAX


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for waiving"), max_length=WAIVE_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
