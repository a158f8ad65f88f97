"""Reading a roster file (CSV or Excel) into rows for services.roster.roster_import. Pure parsing:
column names in English or Chinese, lists separated by ; , 、 or spaces, dates as YYYY-MM-DD (a bare
year counts from its last day: the conservative reading of a lawyer's experience)."""
import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext as _

from legalaid.errors import InvalidInput, PayloadTooLarge

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
# Blank lines count too, up to twice the rows: a sheet formatted far below its data still reads.
MAX_LINES = 2 * MAX_ROWS
MAX_COLUMNS = 64
# 5,000 lawyers are well under 2 MiB as CSV and far less as Excel.
MAX_BYTES = 4 * 1024 * 1024
# What an Excel file may unpack to: far beyond 5,000 rows of ten columns.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
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


def _check_size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size > MAX_BYTES:
        raise PayloadTooLarge(_("A roster file may be at most %(mib)s MiB; split it into several files.")
                              % {"mib": MAX_BYTES // (1024 * 1024)}, field="file")


def _too_many_rows():
    return InvalidInput(_("At most %(n)s rows per file.") % {"n": MAX_ROWS}, code="too_many_rows", field="file")


def _excel_rows(upload):
    """The sheet's rows, read as a stream (openpyxl's read-only mode) and never past MAX_LINES: a
    small file may declare a million rows."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput(_("The Excel file cannot be read."), code="unreadable_file", field="file") from None
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:  # a zip bomb: small to send, huge to open
        raise _too_many_rows()
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same error to the user
        raise InvalidInput(_("The Excel file cannot be read."), code="unreadable_file", field="file") from None
    try:
        yield from workbook.active.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True)
    except Exception:  # noqa: BLE001 - a sheet that breaks while read: the same error
        raise InvalidInput(_("The Excel file cannot be read."), code="unreadable_file", field="file") from None
    finally:
        workbook.close()


def _csv_rows(upload):
    raw = upload.read()  # at most MAX_BYTES (checked first)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The CSV file is neither UTF-8 nor GB18030."), code="unreadable_file", field="file")
    del raw
    yield from csv.reader(io.StringIO(text))


def _table(upload):
    """The file's rows, lazily: the caller stops reading at the limit."""
    _check_size(upload)
    name = (getattr(upload, "name", "") or "").lower()
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):  # an .xlsx is a zip
        return _excel_rows(upload)
    if not name.endswith((".csv", ".txt")) and name:
        raise InvalidInput(_("Upload a CSV or an Excel (.xlsx) file."), code="unsupported_file", field="file")
    return _csv_rows(upload)


def read_rows(upload) -> list:
    """The rows of the file as dicts, each with `_row` (its line number in the file). Reading stops
    as soon as the file proves too long (MAX_ROWS rows with data, or MAX_LINES lines in all)."""
    table = iter(_table(upload))
    header = next(table, None)
    if header is None:
        raise InvalidInput(_("The file is empty."), code="empty_file", field="file")
    mapping = _header_map(header)
    rows = []
    for number, values in enumerate(table, start=2):
        if number > MAX_LINES + 1:
            raise _too_many_rows()
        if not any(_text(v) for v in values):
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many_rows()
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
    return rows
