import datetime as dt

import pytest

from cases.tests.factories import make_id_number
from cases.validators import mask_id_number, parse_id_number
from legalaid.errors import InvalidInput


def test_a_valid_number_gives_birth_date_and_gender():
    number = make_id_number(dt.date(1990, 3, 7), male=False)
    assert parse_id_number(number) == (dt.date(1990, 3, 7), "female")


def test_a_lowercase_x_check_character_is_accepted():
    for seq in range(100, 400):
        number = make_id_number(dt.date(1985, 1, 1), seq=seq)
        if number.endswith("X"):
            break
    assert parse_id_number(number.lower())[0] == dt.date(1985, 1, 1)


@pytest.mark.parametrize("value, code", [
    ("12345", "invalid_id_format"),
    ("41172119900307123Y", "invalid_id_format"),
    ("411721199002301231", None),  # 30 February: check digit may pass, the date cannot
])
def test_bad_numbers(value, code):
    with pytest.raises(InvalidInput) as info:
        parse_id_number(value)
    if code:
        assert info.value.code == code


def test_an_impossible_birth_date_with_a_right_check_digit():
    from cases.validators import id_check_char

    body = "41172119900230123"
    with pytest.raises(InvalidInput) as info:
        parse_id_number(body + id_check_char(body))
    assert info.value.code == "invalid_id_birth_date"


def test_masking_keeps_region_and_last_four():
    assert mask_id_number("411721199003071233") == "411721********1233"
    assert mask_id_number("") == ""
