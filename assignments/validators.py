"""Validation of the roster's identifiers. Pure functions shared by the forms, the API and the
roster import, so a rule is written once.

A lawyer's practice licence number (律师执业证号) has 17 digits, laid out by the Ministry of
Justice's numbering rules for lawyers' licences (2008):
  1       the kind of certificate: 1 = lawyer's practice licence (律师执业证, 律师工作证)
  2-3     the province of the practice institution (the first two digits of its division code)
  4-5     the prefecture (or a municipality's district)
  6-9     the year the holder was first licensed
  10      the practice category: 1 full-time, 2 part-time, 3 Hong Kong, 4 Macao, 5 Taiwan resident,
          6 public-service lawyer, 7 company lawyer, 8 legal aid lawyer, 9 military lawyer
  11      the holder's sex: 0 male, 1 female
  12-17   a sequence number
What can be known from the number alone is checked: its shape, the kind, a real province, a year
that has passed, a category and sex code that exist; with the holder's identity number, that the
sexes agree."""
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from legalaid.errors import InvalidInput

LICENCE_BASIS = "MOJ numbering rules for lawyers' practice licences (2008)"
_LICENCE_RE = re.compile(r"^\d{17}$")
# Province-level division codes (GB/T 2260): the first two digits.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
})
FIRST_LICENCE_YEAR = 1980  # the Provisional Regulations on Lawyers (1980) began today's licensing
PRACTICE_CATEGORIES = {
    "1": _("Full-time lawyer"), "2": _("Part-time lawyer"), "3": _("Hong Kong resident lawyer"),
    "4": _("Macao resident lawyer"), "5": _("Taiwan resident lawyer"), "6": _("Public-service lawyer"),
    "7": _("Company lawyer"), "8": _("Legal aid lawyer"), "9": _("Military lawyer"),
}


@dataclass(frozen=True)
class Licence:
    number: str
    province: str
    first_year: int
    category: str
    gender: str


def parse_licence_number(value: str, *, today: dt.date, gender: str = "", field="licence_number") -> Licence:
    value = (value or "").strip()
    if not _LICENCE_RE.match(value):
        raise InvalidInput(_("A practice licence number has exactly 17 digits."), code="invalid_licence_format",
                           field=field)
    if value[0] != "1":
        raise InvalidInput(_("A lawyer's practice licence number starts with 1."), code="invalid_licence_kind",
                           field=field)
    if value[1:3] not in PROVINCE_CODES:
        raise InvalidInput(_("Digits 2-3 of the licence number are not a province code."),
                           code="invalid_licence_province", field=field)
    year = int(value[5:9])
    if not FIRST_LICENCE_YEAR <= year <= today.year:
        raise InvalidInput(_("Digits 6-9 of the licence number are not a year of first licensing."),
                           code="invalid_licence_year", field=field)
    if value[9] not in PRACTICE_CATEGORIES:
        raise InvalidInput(_("Digit 10 of the licence number is not a practice category."),
                           code="invalid_licence_category", field=field)
    if value[10] not in "01":
        raise InvalidInput(_("Digit 11 of the licence number is the holder's sex: 0 or 1."),
                           code="invalid_licence_sex", field=field)
    licence_gender = "male" if value[10] == "0" else "female"
    if gender and gender != licence_gender:
        raise InvalidInput(_("The licence number's sex code disagrees with the identity number."),
                           code="licence_sex_mismatch", field=field)
    return Licence(value, value[1:3], year, value[9], licence_gender)


def make_licence_number(*, province="41", prefecture="17", year=2015, category="1", male=True, seq=1) -> str:
    """A well-formed licence number (for demo data and tests)."""
    return f"1{province}{prefecture}{year:04d}{category}{0 if male else 1}{seq:06d}"
