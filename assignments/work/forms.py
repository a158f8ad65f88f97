"""Forms of the lawyer's pages. They only collect what was typed: each builds the API body and
validates it with the API's serializer (one set of rules), and the service decides the rest; its
errors come back to the field they name. Times typed are Beijing time."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assignments.work.api.serializers import EntryCreateSerializer, EntryFieldsSerializer
from assignments.work.rules import SPECS, EntryKind, MeetingMode, ObstructedRight
from legalaid.api.errors import flatten


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _datetime(label, **kwargs):
    return forms.CharField(label=label, required=False, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), **kwargs)


def _text(label, rows=4, **kwargs):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


# What a field is called for a kind, where the general name says too little.
LABELS = {
    (EntryKind.MEETING, "notes"): _("Meeting record"),
    (EntryKind.FILE_REVIEW, "subject"): _("What was read"),
    (EntryKind.FILE_REVIEW, "notes"): _("Review notes"),
    (EntryKind.EVIDENCE_REQUEST, "subject"): _("Evidence asked for, and why"),
    (EntryKind.WITNESS_REQUEST, "subject"): _("Witnesses asked for, and why"),
    (EntryKind.PREPARATION, "notes"): _("Defence outline or preparation"),
    (EntryKind.OBSTRUCTION_COMPLAINT, "subject"): _("The facts"),
    (EntryKind.OBSTRUCTION_COMPLAINT, "started_at"): _("When it happened"),
    (EntryKind.WRITTEN_OPINION, "started_at"): _("Submitted to the court at"),
    (EntryKind.WRITTEN_OPINION, "notes"): _("Summary"),
    (EntryKind.EVIDENCE_REQUEST, "started_at"): _("Filed with the court at"),
    (EntryKind.WITNESS_REQUEST, "started_at"): _("Filed with the court at"),
    (EntryKind.PAPERS_FILED, "started_at"): _("Filed with the court at"),
    (EntryKind.HEARING, "started_at"): _("Hearing started at"),
}
YES_NO = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


class WorkEntryForm(forms.Form):
    """An entry of one kind: the fields of its spec, in its order."""

    started_at = _datetime(_("Date and time"))
    ended_at = _datetime(_("Ended at"))
    duration_minutes = forms.CharField(label=_("Duration (minutes)"), required=False,
                                       widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}))
    place = forms.CharField(label=_("Place"), required=False, max_length=128)
    mode = forms.ChoiceField(label=_("How"), required=False, choices=MeetingMode.choices, widget=forms.RadioSelect)
    subject = _text(_("What"))
    copied = _text(_("What was copied"), rows=2)
    notes = _text(_("Notes"), rows=6)
    whole_hearing = forms.ChoiceField(label=_("Attended the whole hearing"), required=False, choices=YES_NO)
    absence_reason = _text(_("Why not the whole hearing"), rows=2)
    obstructed_right = forms.ChoiceField(label=_("Right obstructed"), required=False,
                                         choices=[("", "—"), *ObstructedRight.choices])
    obstructed_by = forms.CharField(label=_("Obstructed by (organ or person)"), required=False, max_length=128)
    files = MultipleFileField(label=_("Files (PDF, Word, JPEG, PNG; at most 20 MiB each)"), required=False)
    reason = _text(_("Why the entry is corrected"), rows=2)

    def __init__(self, *args, kind, editing=False, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.spec = kind, SPECS[kind]
        shown = list(self.spec.fields)
        if self.spec.end:
            # A hearing is logged by its start and end, other work by its length.
            shown.remove("duration_minutes" if kind == EntryKind.HEARING else "ended_at")
        if not editing:
            shown.append("files")
        if needs_reason:
            shown.append("reason")
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        for name in shown:
            if (kind, name) in LABELS:
                self.fields[name].label = LABELS[(kind, name)]
        # Marked "required" on the page; the service is what enforces it.
        self.required_names = {"started_at", *self.spec.required}
        if self.spec.needs_end:
            self.required_names |= {"ended_at", "duration_minutes"}
        if self.spec.needs_file:
            self.required_names.add("files")
        if needs_reason:
            self.required_names.add("reason")
        self.order_fields(shown)
        self.values = None

    def payload(self) -> dict:
        body = {"kind": self.kind}
        for name in self.fields:
            if name in ("files", "reason"):
                continue
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                body[name] = value
        return body

    def clean(self):
        cleaned = super().clean()
        body = self.payload()
        serializer = EntryCreateSerializer(data=body)
        if serializer.is_valid():
            self.values = {key: value for key, value in serializer.validated_data.items() if key in body}
            self.values.pop("kind", None)
        else:
            for error in flatten(serializer.errors):
                field = (error["field"] or "").split(".")[0]
                self.add_error(field if field in self.fields else None,
                               ValidationError(error["message"], code=error["code"]))
        return cleaned


def entry_initial(entry) -> dict:
    """An entry's values as the form shows them (Beijing time)."""
    from legalaid import clock

    initial = {}
    for name in EntryFieldsSerializer().fields:
        if name == "duration_minutes":
            initial[name] = entry.duration_minutes
            continue
        value = getattr(entry, name, None)
        if name in ("started_at", "ended_at") and value:
            value = clock.to_beijing(value).strftime("%Y-%m-%dT%H:%M")
        elif name == "whole_hearing":
            value = "" if value is None else ("true" if value else "false")
        initial[name] = value
    return initial


class ClosingForm(forms.Form):
    summary = _text(_("Closing report"), rows=8)
    judgment = forms.FileField(label=_("Judgment (if the court did not report it)"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
    materials = MultipleFileField(label=_("Closing materials"), required=False)


class ReviewForm(forms.Form):
    note = _text(_("Note"), rows=3)


class AmendForm(forms.Form):
    summary = _text(_("Closing report"), rows=6)
    reason = _text(_("Why it is amended"), rows=2)


class AnswerForm(forms.Form):
    answer = _text(_("Answer"), rows=3)
