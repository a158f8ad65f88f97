"""Reading a roster file (CSV or Excel) into rows for services.roster.roster_import. Pure parsing:
column names in English or Chinese, lists separated by ; , 、 or spaces, dates as YYYY-MM-DD (a bare
year counts from its last day: the conservative reading of a lawyer's experience)."""
import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext as _

from legalaid.errors import InvalidInput

COLUMNS = {
    "name": ("name", "姓名"),
    "licence_number": ("licence_number", "license_number", "执业证号", "律师执业证号"),
    "id_number": ("id_number", "身份证号", "公民身份号码"),
    "firm": ("firm", "律师事务所", "执业机构"),
    "region": ("region", "行政区划代码", "区划代码"),
    "phone": ("phone", "电话", "联系电话"),
    "email": ("email", "邮箱", "电子邮箱"),
    "criminal_defence_since": ("criminal_defence_since", "刑辩执业起始", "刑事辩护起始日期"),
    "specialities": ("specialities", "专长"),
    "languages": ("languages", "语言"),
}
REQUIRED = ("name", "licence_number", "firm", "region", "phone", "criminal_defence_since")
MAX_ROWS = 5000
_SPLIT = re.compile(r"[;,、\s，；]+")


def _header_map(header):
    lookup = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    mapping = {}
    for index, title in enumerate(header):
        key = lookup.get(str(title or "").strip().lower())
        if key:
            mapping[index] = key
    missing = [k for k in REQUIRED if k not in mapping.values()]
    if missing:
        raise InvalidInput(_("The file lacks the column(s): %(cols)s.") % {"cols": ", ".join(missing)},
                           code="missing_columns", field="file")
    return mapping


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text or None  # the service reports it


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table(upload):
    name = (getattr(upload, "name", "") or "").lower()
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):  # an .xlsx is a zip
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).active
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same error to the user
            raise InvalidInput(_("The Excel file cannot be read."), code="unreadable_file", field="file") from None
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    if not name.endswith((".csv", ".txt")) and name:
        raise InvalidInput(_("Upload a CSV or an Excel (.xlsx) file."), code="unsupported_file", field="file")
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The CSV file is neither UTF-8 nor GB18030."), code="unreadable_file", field="file")
    return list(csv.reader(io.StringIO(text)))


def read_rows(upload) -> list:
    """The rows of the file as dicts, each with `_row` (its line number in the file)."""
    table = [row for row in _table(upload)]
    if not table:
        raise InvalidInput(_("The file is empty."), code="empty_file", field="file")
    mapping = _header_map(table[0])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(_text(v) for v in values):
            continue
        row = {"_row": number}
        for index, key in mapping.items():
            value = values[index] if index < len(values) else None
            if key == "criminal_defence_since":
                row[key] = _date(value)
            elif key in ("specialities", "languages"):
                row[key] = [v for v in _SPLIT.split(_text(value)) if v]
            else:
                row[key] = _text(value)
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise InvalidInput(_("At most %(n)s rows per file.") % {"n": MAX_ROWS}, code="too_many_rows", field="file")
    return rows
