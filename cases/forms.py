"""Forms of the staff pages: the inbox filters, the paper notice entry and the supplement request.

The paper form validates nothing of the notice itself: it builds the body the court API takes and
runs the API's own serializer on it, so one set of rules serves both (docs/court-api.md)."""
import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cases.api.serializers import PROMISED_KINDS, NoticeCreateSerializer
from cases.deadlines.models import Deadline
from cases.models import Category, Condition, Court, CustodyStatus, DocumentKind, Gender, Notice, Procedure
from cases.selectors import visible_agencies
from legalaid import clock
from legalaid.api.errors import flatten

# The clock the inbox's "due soon" filter watches: the agency's own duty to designate (M 5; N2018).
DESIGNATION_RULE = "agency_assign_lawyer"


def visible_courts(user):
    """Courts whose notices go to an agency the user can see (administrators: every court)."""
    if user is None or not user.is_authenticated:
        return Court.objects.none()
    if user.is_administrator:
        return Court.objects.order_by("code")
    if not user.agency_id:
        return Court.objects.none()
    return Court.objects.filter(agency__in=visible_agencies(user).values("pk")).order_by("code")


def _courts_of_request(request):
    return visible_courts(getattr(request, "user", None))


# --- Materials ------------------------------------------------------------------------------------

def material_label(code: str) -> str:
    """`indictment_copy` → "Copy of the indictment" (the codes eligibility.missing_materials gives)."""
    kind = code.removesuffix("_copy")
    if kind in DocumentKind.values:
        return _("Copy: %(document)s") % {"document": DocumentKind(kind).label}
    return code


MATERIAL_CODES = [f"{kind}_copy" for kind in PROMISED_KINDS]


# --- Inbox filters ----------------------------------------------------------------------------------

class NoticeInboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", max_length=64,
                                  label=_("Case number or defendant's name"))
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices, empty_label=_("Any status"),
                                         label=_("Status"))
    court = django_filters.ModelChoiceFilter(queryset=_courts_of_request, empty_label=_("Any court"),
                                             label=_("Court"))
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label=_("Any category"),
                                           label=_("Category"))
    due_soon = django_filters.ChoiceFilter(
        method="filter_due_soon", empty_label=_("Any designation deadline"), label=_("Designation due"),
        choices=[("0", _("Today or overdue")), ("1", _("Within 1 day")), ("3", _("Within 3 days")),
                 ("7", _("Within 7 days"))])

    class Meta:
        model = Notice
        fields = ["q", "status", "court", "category", "due_soon"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(case__case_number__icontains=value) | Q(defendant__name__icontains=value))

    def filter_due_soon(self, queryset, name, value):
        """The designation clock still runs (open, or breached and not yet met) and ends within
        `value` Beijing days from today, or has ended already."""
        if value in (None, ""):
            return queryset
        cutoff = clock.end_of_day(clock.today() + dt.timedelta(days=int(value)))
        running = Deadline.objects.filter(notice=OuterRef("pk"), rule_code=DESIGNATION_RULE,
                                          status__in=Deadline.ACTIVE_STATUSES, due_at__lte=cutoff)
        return queryset.filter(Exists(running))


# --- Paper notice entry -----------------------------------------------------------------------------

class AnyListField(forms.Field):
    """A list of submitted values, passed to the serializer unchecked (it owns the choices)."""

    def to_python(self, value):
        if value in (None, ""):
            return []
        return [v for v in value if v != ""]


def _select(choices):
    return forms.Select(choices=[("", "---------"), *choices])


class PaperNoticeForm(forms.Form):
    """A notice of defence that arrived on paper: the court API's body as form fields."""

    # Form field → dotted path in the API body (docs/court-api.md). The serializer's errors arrive on
    # these paths and are put back on the fields.
    PATHS = {
        "case_number": "case_number",
        "procedure": "procedure",
        "accepted_on": "accepted_on",
        "charges": "charges",
        "reason": "reason",
        "hearing_starts_at": "hearing.starts_at",
        "hearing_place": "hearing.place",
        "judge_name": "judge.name",
        "judge_phone": "judge.phone",
        "defendant_name": "defendant.name",
        "id_number": "defendant.id_number",
        "gender": "defendant.gender",
        "birth_date": "defendant.birth_date",
        "ethnicity": "defendant.ethnicity",
        "custody_status": "defendant.custody.status",
        "custody_place": "defendant.custody.place",
        "residence": "defendant.residence",
        "conditions": "defendant.conditions",
        "may_face_life_or_death": "defendant.may_face_life_or_death",
        "documents_attached": "documents_attached",
    }

    court = forms.ModelChoiceField(queryset=Court.objects.none(), label=_("Court"))
    case_number = forms.CharField(label=_("Case number"), required=False,
                                  widget=forms.TextInput(attrs={"placeholder": "（2026）豫1702刑初123号"}))
    procedure = forms.CharField(label=_("Procedure"), required=False, widget=_select(Procedure.choices))
    accepted_on = forms.CharField(label=_("Accepted on"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    charges = forms.CharField(label=_("Charges"), required=False, help_text=_("One charge per line."),
                              widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Court's stated ground"), required=False, widget=_select(Category.choices))
    hearing_starts_at = forms.CharField(label=_("Hearing starts at (Beijing time)"), required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    hearing_place = forms.CharField(label=_("Hearing place"), required=False)
    judge_name = forms.CharField(label=_("Judge"), required=False)
    judge_phone = forms.CharField(label=_("Judge's phone"), required=False,
                                  widget=forms.TextInput(attrs={"type": "tel"}))
    defendant_name = forms.CharField(label=_("Defendant's name"), required=False)
    id_number = forms.CharField(label=_("Identity number"), required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    gender = forms.CharField(label=_("Gender"), required=False, widget=_select(Gender.choices))
    birth_date = forms.CharField(label=_("Birth date"), required=False,
                                 help_text=_("Required when there is no identity number."),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    ethnicity = forms.CharField(label=_("Ethnicity"), required=False)
    custody_status = forms.CharField(label=_("Custody"), required=False, widget=_select(CustodyStatus.choices))
    custody_place = forms.CharField(label=_("Custody place"), required=False)
    residence = forms.CharField(label=_("Residence"), required=False)
    conditions = AnyListField(label=_("Conditions"), required=False,
                              widget=forms.CheckboxSelectMultiple(choices=Condition.choices))
    may_face_life_or_death = forms.BooleanField(label=_("May face life imprisonment or death"), required=False)
    documents_attached = AnyListField(
        label=_("Documents the court will send"), required=False,
        widget=forms.CheckboxSelectMultiple(choices=[(k.value, k.label) for k in PROMISED_KINDS]))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = visible_courts(user)
        self.validated_data = None

    def payload(self) -> dict:
        """The body a court would POST to /api/v1/notices/ for what was entered."""
        c = self.cleaned_data

        def put(target, key, value):
            if value not in (None, ""):
                target[key] = value

        body = {}
        for key in ("case_number", "procedure", "accepted_on", "reason"):
            put(body, key, c.get(key))
        body["charges"] = [line.strip() for line in (c.get("charges") or "").splitlines() if line.strip()]
        if c.get("hearing_starts_at") or c.get("hearing_place"):
            body["hearing"] = {}
            put(body["hearing"], "starts_at", c.get("hearing_starts_at"))
            put(body["hearing"], "place", c.get("hearing_place"))
        body["judge"] = {}
        put(body["judge"], "name", c.get("judge_name"))
        put(body["judge"], "phone", c.get("judge_phone"))
        defendant = body["defendant"] = {}
        put(defendant, "name", c.get("defendant_name"))
        for key in ("id_number", "gender", "birth_date", "ethnicity", "residence"):
            put(defendant, key, c.get(key))
        if c.get("custody_status") or c.get("custody_place"):
            defendant["custody"] = {}
            put(defendant["custody"], "status", c.get("custody_status"))
            put(defendant["custody"], "place", c.get("custody_place"))
        defendant["conditions"] = c.get("conditions") or []
        defendant["may_face_life_or_death"] = bool(c.get("may_face_life_or_death"))
        body["documents_attached"] = c.get("documents_attached") or []
        return body

    def field_for(self, path):
        """The form field an error at a dotted API path belongs to (None: the form as a whole)."""
        if not path:
            return None
        parts = path.split(".")
        while parts:  # "charges.0" → "charges"; "defendant.custody.place" exactly
            candidate = ".".join(parts)
            for field, field_path in self.PATHS.items():
                if field_path == candidate:
                    return field
            parts.pop()
        for field, field_path in self.PATHS.items():  # "hearing" → its first field
            if field_path.startswith(path + "."):
                return field
        return None

    def clean(self):
        cleaned = super().clean()
        serializer = NoticeCreateSerializer(data=self.payload())
        if serializer.is_valid():
            self.validated_data = serializer.validated_data
        else:
            for error in flatten(serializer.errors):
                self.add_error(self.field_for(error["field"]), ValidationError(error["message"], code=error["code"]))
        return cleaned


# --- Supplement requests ----------------------------------------------------------------------------

class SupplementRequestForm(forms.Form):
    """What the agency asks the court to supplement (M 5(3))."""

    items = forms.MultipleChoiceField(label=_("Missing materials"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note to the court"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    ask_move_hearing = forms.BooleanField(label=_("Ask the court to move the hearing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels are computed per request, in the user's language.
        self.fields["items"].choices = [(code, material_label(code)) for code in MATERIAL_CODES]


class SupplementSendForm(forms.Form):
    note = forms.CharField(label=_("Note to the court"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
