"""CSV and Excel files of the statistics' tables: the same rows the page shows, with a header of
the column labels (percentages as percent numbers in CSV, as percent-formatted ratios in Excel)."""
import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from legalaid import clock
from legalaid.exports import safe_cell, safe_row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(column) -> str:
    label = str(column.label)
    return f"{label} (%)" if column.kind == "percent" else label


def csv_value(value, kind):
    if value is None:
        return ""
    if kind == "percent":
        return f"{100 * value:.1f}"
    if kind == "month" and isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    return str(value)


def table_csv(table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese names correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(_label(c) for c in table.columns))
    for row in table.rows:
        writer.writerow([csv_value(safe_cell(v), c.kind) for v, c in zip(row, table.columns)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet(workbook, table, caption: list, title: str | None = None):
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=(title or table.key)[:31])
    sheet.append(safe_row([str(table.title)]))
    sheet["A1"].font = Font(bold=True)
    for line in caption:
        sheet.append(safe_row([line]))
    sheet.append([])
    sheet.append(safe_row(_label(c) for c in table.columns))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(safe_row((str(v) if c.kind == "text" and v is not None else v)
                              for v, c in zip(row, table.columns)))
        for value, column, cell in zip(row, table.columns, sheet[sheet.max_row]):
            if column.kind == "percent":
                cell.number_format = "0.0%"
            elif column.kind == "month":
                cell.number_format = "yyyy-mm"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(_label(column)) * 2)
    return sheet


def caption(params, as_of) -> list:
    where = params.court.name if params.court else (params.region.name if params.region else (
        params.scope.name if params.scope else _("Whole country")))
    lines = [_("Period: %(start)s – %(end)s") % {"start": params.start, "end": params.end}, f"{where}"]
    if as_of:
        when = clock.to_beijing(as_of).strftime("%Y-%m-%d %H:%M")
        lines.append(_("Figures as of %(when)s (Beijing time)") % {"when": when})
    return lines


def tables_xlsx(tables, caption_lines: list) -> bytes:
    """One sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _sheet(workbook, table, caption_lines)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def public_csv(summary) -> bytes:
    """The public summary as it is published (suppressed values as shown on the page)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row([_("Division code"), _("Region"), _("Month"), _("Defendants notified"),
                              _("With counsel"), _("Without counsel"), _("Defence rate")]))
    for row in summary["rows"]:
        for month, figure in row["cells"]:
            writer.writerow(safe_row([row["code"], row["name"], month.strftime("%Y-%m"), *figure.as_row()]))
        writer.writerow(safe_row([row["code"], row["name"], _("Total"), *row["total"].as_row()]))
    for month, figure in summary["month_totals"]:
        writer.writerow(safe_row(["", _("Total"), month.strftime("%Y-%m"), *figure.as_row()]))
    writer.writerow(safe_row(["", _("Total"), _("Total"), *summary["total"].as_row()]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
