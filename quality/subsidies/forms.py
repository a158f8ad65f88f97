from django import forms
from django.utils.translation import gettext_lazy as _

from quality.subsidies.models import Subsidy


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Subsidy.Status.choices))
    paid_from = forms.DateField(label=_("Paid from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    paid_to = forms.DateField(label=_("Paid to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("paid_from") and data.get("paid_to") and data["paid_to"] < data["paid_from"]:
            raise forms.ValidationError(_("The period ends before it starts."), code="period_reversed")
        return data


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment reference"), max_length=64)


class CorrectionForm(forms.Form):
    amount = forms.CharField(label=_("Difference (yuan; negative to recover)"), max_length=16)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
