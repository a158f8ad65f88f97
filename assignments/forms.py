"""Page forms: they parse and type what staff enter; the services decide (no business logic here)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assignments import rules
from assignments.models import CaseParty, DutyStation, LawFirm, Language, Lawyer, LawyerClient, Speciality
from cases.models import Region


class DesignateForm(forms.Form):
    candidate = forms.IntegerField(required=False)
    licence_number = forms.CharField(label=_("Or another lawyer: licence number"), max_length=17, required=False)
    reason = forms.CharField(label=_("Why this lawyer (required unless first-ranked)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(label=_("Written reason to override a hard filter (supervisor)"),
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        lawyer = None
        if data.get("licence_number"):
            lawyer = Lawyer.objects.filter(licence_number=data["licence_number"].strip()).first()
            if lawyer is None:
                self.add_error("licence_number", _("No lawyer on the roster has this licence number."))
        elif data.get("candidate"):
            lawyer = Lawyer.objects.filter(pk=data["candidate"]).first()
        if lawyer is None and not self.errors:
            self.add_error("candidate", _("Choose a candidate or give a licence number."))
        data["lawyer"] = lawyer
        return data


class TerminateForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Legal Aid Law Art. 48)"),
                               choices=[(g.code, f"{g.basis} · {g.title}") for g in rules.TERMINATION_GROUNDS.values()])
    note = forms.CharField(label=_("Written reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplaceForm(forms.Form):
    licence_number = forms.CharField(label=_("New lawyer: licence number"), max_length=17)
    ground = forms.ChoiceField(label=_("Ground"),
                               choices=[(g.code, f"{g.basis} · {g.title}") for g in rules.REPLACEMENT_GROUNDS.values()])
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(label=_("Written reason to override a hard filter (supervisor)"),
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_licence_number(self):
        lawyer = Lawyer.objects.filter(licence_number=self.cleaned_data["licence_number"].strip()).first()
        if lawyer is None:
            raise forms.ValidationError(_("No lawyer on the roster has this licence number."))
        self.cleaned_data["lawyer"] = lawyer
        return lawyer.licence_number


class CasePartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CaseParty.Role.choices)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    id_number = forms.CharField(label=_("Identity number"), max_length=18, required=False)


class LawyerForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    licence_number = forms.CharField(label=_("Practice licence number"), max_length=17)
    id_number = forms.CharField(label=_("Identity number"), max_length=18, required=False)
    firm = forms.ModelChoiceField(label=_("Law firm"), queryset=LawFirm.objects.all())
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    phone = forms.CharField(label=_("Phone"), max_length=32)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    criminal_defence_since = forms.DateField(label=_("Criminal defence practice since"))
    specialities = forms.MultipleChoiceField(label=_("Specialities"), choices=Speciality.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("Roster status"), choices=Lawyer.Status.choices, required=False)


class LawFirmForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    licence_number = forms.CharField(label=_("Firm licence number"), max_length=32, required=False)


class PeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("From"))
    ends_on = forms.DateField(label=_("Until (inclusive)"), required=False)


class LeaveForm(PeriodForm):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class SuspensionForm(PeriodForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ClientForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    id_number = forms.CharField(label=_("Identity number"), max_length=18, required=False)
    capacity = forms.ChoiceField(label=_("Acts as"), choices=LawyerClient.Capacity.choices)
    matter = forms.CharField(label=_("Matter or case number"), max_length=128, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))


class ShiftForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=DutyStation.objects.all())
    date = forms.DateField(label=_("Date"))
    licence_number = forms.CharField(label=_("Lawyer: licence number"), max_length=17)


class HelpRequestForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=DutyStation.objects.all())
    person_name = forms.CharField(label=pgettext_lazy("help request", "Person"), max_length=64)
    custody_place = forms.CharField(label=_("Where held"), max_length=128, required=False)
    details = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 2}))


class FairnessForm(forms.Form):
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=pgettext_lazy("period", "To"))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}))
