"""Validation of personal identifiers. Pure functions used by the API serializers, the forms and the
roster import alike, so a rule is written once."""
import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

from legalaid.errors import InvalidInput

# GB 11643-1999: weights of the first 17 digits and the check character for sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def parse_id_number(value: str, *, field="id_number"):
    """Validate an 18-character resident identity number; return (birth_date, gender)."""
    value = value.strip().upper()
    if not _ID_RE.match(value):
        raise InvalidInput(_("An identity number has 17 digits and a check digit or X."), code="invalid_id_format",
                           field=field)
    if id_check_char(value[:17]) != value[17]:
        raise InvalidInput(_("The identity number's check digit is wrong."), code="invalid_id_check_digit",
                           field=field)
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidInput(_("The identity number holds an impossible birth date."), code="invalid_id_birth_date",
                           field=field) from None
    gender = "male" if int(value[16]) % 2 == 1 else "female"
    return birth, gender


def compose_id_number(birth: dt.date, *, male: bool, region: str, seq: int) -> str:
    """A well-formed identity number (for demo and test data): region, birth date, a sequence whose
    parity gives the gender, and the right check character."""
    seq = seq % 999
    if (seq % 2 == 1) != male:
        seq = seq + 1 if seq < 998 else seq - 1
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def mask_id_number(value: str) -> str:
    """Shown in lists: region and the last four characters only."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_text(value: str, keep: int = 6) -> str:
    if not value:
        return ""
    return value[:keep] + ("…" if len(value) > keep else "")


PHONE_RE = re.compile(r"^[0-9+\-() ]{5,32}$")
