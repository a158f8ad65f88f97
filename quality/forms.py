"""Forms of the quality pages. They parse; the services decide (no rules here)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import Lawyer
from quality import rules
from quality.models import Complaint


def _lawyer_by_licence(value):
    lawyer = Lawyer.objects.filter(licence_number=(value or "").strip()).first()
    if lawyer is None:
        raise forms.ValidationError(_("No lawyer on the roster has this licence number."))
    return lawyer


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    score = forms.IntegerField(label=_("Score (0-100)"), widget=forms.NumberInput(attrs={"step": 1}))
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reached = forms.TypedChoiceField(label=_("Client reached (follow-up)"), required=False, empty_value=None,
                                     coerce=lambda v: v == "yes",
                                     choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))])
    satisfaction = forms.IntegerField(label=_("Satisfaction (1-5, follow-up)"), required=False)
    complaint = forms.CharField(label=_("Complaint voiced (follow-up)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, rules.EvaluationKind(k).label) for k in rules.EVALUATIONS
                                       if rules.may_give(user, k)]


class ConfirmForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("Suspended from"))
    ends_on = forms.DateField(label=_("Until (inclusive)"), required=False)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why dismissed"), widget=forms.Textarea(attrs={"rows": 2}))


class TrainingForm(forms.Form):
    licence_number = forms.CharField(label=_("Lawyer: licence number"), max_length=17)
    course = forms.CharField(label=_("Course"), max_length=200)
    held_on = forms.DateField(label=_("Held on"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)

    def clean_licence_number(self):
        self.cleaned_data["lawyer"] = _lawyer_by_licence(self.cleaned_data["licence_number"])
        return self.cleaned_data["licence_number"]


class ComplaintForm(forms.Form):
    complainant = forms.CharField(label=_("Complainant"), max_length=64)
    relation = forms.ChoiceField(label=_("Who complains"), choices=Complaint.Relation.choices)
    received_on = forms.DateField(label=_("Received on"), required=False)
    summary = forms.CharField(label=_("The complaint"), widget=forms.Textarea(attrs={"rows": 3}))


class InvestigateForm(forms.Form):
    note = forms.CharField(label=_("Investigation note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Complaint.Outcome.choices)
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    replace_licence = forms.CharField(label=_("Replace with (licence number; upheld only)"), max_length=17,
                                      required=False)
    override_reason = forms.CharField(label=_("Written reason to override a hard filter (supervisor)"),
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_replace_licence(self):
        value = (self.cleaned_data.get("replace_licence") or "").strip()
        self.cleaned_data["replace_with"] = _lawyer_by_licence(value) if value else None
        return value
