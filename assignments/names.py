"""Matching people by name across variant characters: a name's pinyin key, so that 张伟 and 張偉
(or a variant character entered by a clerk) are caught as the same name (issue 4: conflicts are
matched on identity numbers and on names by pinyin as well as characters)."""
import re

from pypinyin import lazy_pinyin

_SEPARATORS = re.compile(r"[\s·•．.・]+")


def clean_name(name: str) -> str:
    return _SEPARATORS.sub("", (name or "").strip())


def name_key(name: str) -> str:
    """Tone-less pinyin of the name, lower case, without separators (minority names written with a
    middle dot match with or without it)."""
    cleaned = clean_name(name)
    return "".join(lazy_pinyin(cleaned)).lower() if cleaned else ""


def same_person(a_name, a_id, b_name, b_id) -> str | None:
    """How two records match: "id_number", "name" (same characters) or "pinyin", or None. Two
    different identity numbers are two people whatever their names."""
    a_id, b_id = (a_id or "").upper(), (b_id or "").upper()
    if a_id and b_id:
        return "id_number" if a_id == b_id else None
    if clean_name(a_name) and clean_name(a_name) == clean_name(b_name):
        return "name"
    if name_key(a_name) and name_key(a_name) == name_key(b_name):
        return "pinyin"
    return None
