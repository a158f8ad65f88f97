"""Court case numbers (案号), e.g. `（2026）豫1702刑初123号`: the year in brackets, the court's code
(法院代字: a province's one-character abbreviation and the court's digits), the type of case and its
number (Supreme People's Court, Provisions on Case Numbers, 2015).

The same number reaches us written several ways — ASCII `()` or other brackets for the full-width
`（）`, full-width digits, spaces anywhere, zero-width characters — and must still be one case: every
number is stored and compared in one canonical form (full-width brackets, ASCII digits and letters, no
spaces or invisible characters)."""
import re
import unicodedata

from legalaid.text import visible_text

_OPEN = "(（[【〔［｛{"
_CLOSE = ")）]】〕］｝}"
_BRACKETS = str.maketrans({**{c: "（" for c in _OPEN}, **{c: "）" for c in _CLOSE}})
# The one-character abbreviations of the provinces, regions and municipalities (and 兵 for the
# Production and Construction Corps' courts) that begin every local court's code.
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"
# The year in brackets, then the court's code: the province's abbreviation and the court's digits
# (none for a high court), then the case type's characters.
_COURT_CODE = re.compile(rf"^（\d{{4}}）([{PROVINCES}]\d{{0,6}})(?=[\u4e00-\u9fff])")
_CODE_SHAPE = re.compile(rf"^[{PROVINCES}]\d{{0,6}}$")


def normalise(number: str) -> str:
    """The canonical form of a case number."""
    text = unicodedata.normalize("NFKC", visible_text(number or ""))
    text = "".join(c for c in text if not c.isspace() and unicodedata.category(c)[0] not in "ZC")
    return text.translate(_BRACKETS)


def court_code(number: str) -> str | None:
    """The court's code the (canonical) number carries, or None when it carries none we recognise."""
    match = _COURT_CODE.match(number)
    return match.group(1) if match else None


def belongs_elsewhere(number: str, code: str) -> bool:
    """True when the number carries a recognisable court code that is not `code` (a court's own
    code, of the same shape)."""
    carried = court_code(number)
    return bool(carried and _CODE_SHAPE.match(code or "") and carried != code)
