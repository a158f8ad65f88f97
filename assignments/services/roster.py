"""The roster: firms and lawyers entered by staff or imported from a file, their leave and
suspensions, the people they act for; and, on a case, its victims, witnesses and connected cases
(what the conflict check reads)."""
import datetime as dt
from dataclasses import dataclass, field

from django.core.validators import validate_email
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import (
    CaseConnection,
    CaseParty,
    LawFirm,
    Lawyer,
    LawyerClient,
    Language,
    LeavePeriod,
    Speciality,
    Suspension,
)
from assignments.names import clean_name, name_key
from assignments.validators import parse_licence_number
from cases.models import Region
from cases.validators import PHONE_RE, parse_id_number
from legalaid import clock, history
from legalaid.errors import InvalidInput
from legalaid.permissions import require_writer

LAWYER_FIELDS = ("name", "licence_number", "id_number", "firm", "region", "phone", "email",
                 "criminal_defence_since", "specialities", "languages", "user")


WRITERS_ONLY = gettext_lazy("Only agency staff may change the roster.")


def clean_lawyer(data: dict, *, today: dt.date, instance: Lawyer | None = None) -> dict:
    """Validate a lawyer's fields (forms, API and import alike). Raises InvalidInput on the first
    rule broken; returns the cleaned values."""
    name = (data.get("name") or "").strip()
    if not clean_name(name):
        raise InvalidInput(_("Give the lawyer's name."), code="required", field="name")
    id_number = (data.get("id_number") or "").strip().upper()
    gender = ""
    if id_number:
        _birth, gender = parse_id_number(id_number)
    licence = parse_licence_number(data.get("licence_number", ""), today=today, gender=gender)
    taken = Lawyer.objects.filter(licence_number=licence.number)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise InvalidInput(_("A lawyer with this licence number is already on the roster."),
                           code="duplicate_licence_number", field="licence_number")
    phone = (data.get("phone") or "").strip()
    if not PHONE_RE.match(phone):
        raise InvalidInput(_("Enter a telephone number."), code="invalid_phone", field="phone")
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Enter a valid email address."), code="invalid_email", field="email") from None
    since = data.get("criminal_defence_since")
    if isinstance(since, str) and since:
        raise InvalidInput(_("Enter the date as YYYY-MM-DD."), code="invalid_date", field="criminal_defence_since")
    if not isinstance(since, dt.date):
        raise InvalidInput(_("Give the date criminal defence practice began."), code="required",
                           field="criminal_defence_since")
    if since > today:
        raise InvalidInput(_("This date is in the future."), code="future_date", field="criminal_defence_since")
    if since.year < licence.first_year:
        raise InvalidInput(_("Criminal defence practice cannot begin before the year of first licensing "
                             "(%(year)s, digits 6-9 of the licence number).") % {"year": licence.first_year},
                           code="practice_before_licence", field="criminal_defence_since")
    specialities = list(dict.fromkeys(data.get("specialities") or []))
    bad = [s for s in specialities if s not in Speciality.values]
    if bad:
        raise InvalidInput(_("Unknown speciality: %(code)s.") % {"code": bad[0]}, code="invalid_choice",
                           field="specialities")
    languages = list(dict.fromkeys(data.get("languages") or []))
    bad = [s for s in languages if s not in Language.values]
    if bad:
        raise InvalidInput(_("Unknown language: %(code)s.") % {"code": bad[0]}, code="invalid_choice",
                           field="languages")
    if not isinstance(data.get("firm"), LawFirm):
        raise InvalidInput(_("Choose the lawyer's law firm."), code="required", field="firm")
    if not isinstance(data.get("region"), Region):
        raise InvalidInput(_("Choose the region where the lawyer practises."), code="required", field="region")
    return {"name": name, "name_key": name_key(name), "licence_number": licence.number, "id_number": id_number,
            "gender": licence.gender, "firm": data["firm"], "region": data["region"], "phone": phone, "email": email,
            "criminal_defence_since": since, "specialities": specialities, "languages": languages,
            **({"user": data["user"]} if "user" in data else {})}


def lawyer_create(*, data: dict, actor, now=None) -> Lawyer:
    require_writer(actor, WRITERS_ONLY)
    now = now or clock.now()
    values = clean_lawyer(data, today=clock.beijing_date(now))
    with transaction.atomic():
        lawyer = Lawyer(**values)
        history.save(lawyer, actor=actor)
    return lawyer


def lawyer_update(*, lawyer: Lawyer, data: dict, actor, now=None) -> Lawyer:
    """Change a lawyer's record (every change is in its history). `status` may be given to take a
    lawyer off the roster or back on it."""
    require_writer(actor, WRITERS_ONLY)
    now = now or clock.now()
    merged = {f: getattr(lawyer, f) for f in LAWYER_FIELDS if f != "user"}
    merged.update({k: v for k, v in data.items() if k in LAWYER_FIELDS})
    values = clean_lawyer(merged, today=clock.beijing_date(now), instance=lawyer)
    if "status" in data:
        if data["status"] not in Lawyer.Status.values:
            raise InvalidInput(_("Unknown roster status."), code="invalid_choice", field="status")
        values["status"] = data["status"]
    changed = [k for k, v in values.items() if getattr(lawyer, k) != v]
    for k in changed:
        setattr(lawyer, k, values[k])
    if changed:
        with transaction.atomic():
            history.save(lawyer, actor=actor, fields=changed)
    return lawyer


def lawfirm_create(*, name: str, region, address: str = "", phone: str = "", licence_number: str = "",
                   actor) -> LawFirm:
    require_writer(actor, WRITERS_ONLY)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the firm's name."), code="required", field="name")
    if LawFirm.objects.filter(name=name).exists():
        raise InvalidInput(_("A firm with this name is already on the roster."), code="duplicate_firm",
                           field="name")
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(_("Enter a telephone number."), code="invalid_phone", field="phone")
    firm = LawFirm(name=name, region=region, address=address.strip(), phone=phone.strip(),
                   licence_number=licence_number.strip())
    history.save(firm, actor=actor)
    return firm


def _period(starts_on, ends_on):
    if not starts_on:
        raise InvalidInput(_("Give the first day."), code="required", field="starts_on")
    if ends_on and ends_on < starts_on:
        raise InvalidInput(_("The period ends before it starts."), code="ends_before_start", field="ends_on")


def lawyer_leave_add(*, lawyer, starts_on, ends_on, note: str = "", actor) -> LeavePeriod:
    require_writer(actor, WRITERS_ONLY)
    if not ends_on:
        raise InvalidInput(_("Give the last day of leave."), code="required", field="ends_on")
    _period(starts_on, ends_on)
    leave = LeavePeriod(lawyer=lawyer, starts_on=starts_on, ends_on=ends_on, note=(note or "").strip(),
                        created_by=actor)
    history.save(leave, actor=actor)
    return leave


def lawyer_suspend(*, lawyer, starts_on, ends_on=None, reason: str, actor) -> Suspension:
    """Suspend a lawyer from designations, with the reason and period (open-ended without an end)."""
    require_writer(actor, WRITERS_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the suspension."), code="required", field="reason")
    _period(starts_on, ends_on)
    suspension = Suspension(lawyer=lawyer, starts_on=starts_on, ends_on=ends_on, reason=reason, decided_by=actor)
    history.save(suspension, actor=actor)
    return suspension


def lawyer_suspension_lift(*, suspension, actor, now=None) -> Suspension:
    require_writer(actor, WRITERS_ONLY)
    now = now or clock.now()
    if suspension.lifted_at:
        from legalaid.errors import IllegalTransition

        raise IllegalTransition(_("This suspension was already lifted."))
    suspension.lifted_at, suspension.lifted_by = now, actor
    history.save(suspension, actor=actor, fields=["lifted_at", "lifted_by"])
    return suspension


def lawyer_client_add(*, lawyer, name: str, id_number: str = "", capacity: str, matter: str = "",
                      since=None, actor) -> LawyerClient:
    require_writer(actor, WRITERS_ONLY)
    name, id_number = (name or "").strip(), (id_number or "").strip().upper()
    if not name:
        raise InvalidInput(_("Give the name."), code="required", field="name")
    if id_number:
        parse_id_number(id_number)
    if capacity not in LawyerClient.Capacity.values:
        raise InvalidInput(_("Choose in what capacity the lawyer acts."), code="invalid_choice", field="capacity")
    return LawyerClient.objects.create(lawyer=lawyer, name=name, name_key=name_key(name), id_number=id_number,
                                       capacity=capacity, matter=(matter or "").strip(), since=since)


def case_party_add(*, case, role: str, name: str, id_number: str = "", actor) -> CaseParty:
    """A victim or witness of the case, for the conflict check."""
    require_writer(actor, WRITERS_ONLY)
    name, id_number = (name or "").strip(), (id_number or "").strip().upper()
    if not name:
        raise InvalidInput(_("Give the name."), code="required", field="name")
    if id_number:
        parse_id_number(id_number)
    if role not in CaseParty.Role.values:
        raise InvalidInput(_("Choose victim or witness."), code="invalid_choice", field="role")
    party = CaseParty(case=case, role=role, name=name, name_key=name_key(name), id_number=id_number, added_by=actor)
    history.save(party, actor=actor)
    return party


def case_connection_add(*, case, other, note: str = "", actor) -> CaseConnection:
    require_writer(actor, WRITERS_ONLY)
    if case.pk == other.pk:
        raise InvalidInput(_("A case is not connected to itself."), code="same_case", field="other")
    a, b = sorted([case, other], key=lambda c: c.pk)
    connection, _created = CaseConnection.objects.get_or_create(case=a, other=b, defaults={
        "note": (note or "").strip(), "added_by": actor})
    return connection


# --- Import ------------------------------------------------------------------------------------

@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list = field(default_factory=list)  # [{row, field, code, message}]

    @property
    def ok(self) -> bool:
        return not self.errors


def roster_import(*, rows: list, actor, now=None) -> ImportReport:
    """Import lawyers from parsed rows (assignments.imports.read_rows). Every row is checked first,
    against the roster and against the other rows; if any row is wrong nothing is imported and the
    report lists every error by row."""
    require_writer(actor, WRITERS_ONLY)
    now = now or clock.now()
    today = clock.beijing_date(now)
    report = ImportReport(rows=len(rows))
    firms = {f.name: f for f in LawFirm.objects.filter(name__in={(r.get("firm") or "").strip() for r in rows})}
    regions = {r.code: r for r in Region.objects.filter(code__in={(r.get("region") or "").strip() for r in rows})}
    seen = {}
    cleaned = []
    for row in rows:
        line = row.get("_row")
        try:
            data = dict(row)
            firm_name = (row.get("firm") or "").strip()
            data["firm"] = firms.get(firm_name)
            if data["firm"] is None:
                raise InvalidInput(_("Unknown law firm: %(name)s.") % {"name": firm_name or "—"},
                                   code="unknown_firm", field="firm")
            data["region"] = regions.get((row.get("region") or "").strip())
            if data["region"] is None:
                raise InvalidInput(_("Unknown region code: %(code)s.") % {"code": row.get("region") or "—"},
                                   code="unknown_region", field="region")
            number = (row.get("licence_number") or "").strip()
            if number in seen:
                raise InvalidInput(_("The same licence number is on row %(row)s.") % {"row": seen[number]},
                                   code="duplicate_in_file", field="licence_number")
            if number:
                seen[number] = line
            cleaned.append(clean_lawyer(data, today=today))
        except InvalidInput as exc:
            report.errors.append({"row": line, "field": exc.field, "code": exc.code, "message": str(exc.message)})
    if report.errors:
        return report
    with transaction.atomic():
        for values in cleaned:
            history.save(Lawyer(**values), actor=actor)
    report.created = len(cleaned)
    return report
