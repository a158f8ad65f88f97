"""The finance export (Excel): the subsidies of a period, one row each with its amounts and payment,
and every line of their calculations on a second sheet."""
import io

from django.utils.translation import gettext as _

from cases.statistics.exports import XLSX_TYPE  # noqa: F401 (the views answer with it)
from legalaid import clock
from legalaid.exports import safe_row


def subsidies_xlsx(subsidies: list, filters: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Subsidies")[:31]
    period = _("Paid %(start)s – %(end)s") % {"start": filters.get("paid_from") or "…",
                                               "end": filters.get("paid_to") or "…"}
    sheet.append(safe_row([_("Lawyers' subsidies")]))
    sheet["A1"].font = Font(bold=True)
    sheet.append(safe_row([period]))
    exported = clock.to_beijing(clock.now()).strftime("%Y-%m-%d %H:%M")
    sheet.append(safe_row([_("Exported %(when)s (Beijing time)") % {"when": exported}]))
    sheet.append([])
    header = [_("No."), _("Kind"), _("Corrects"), _("Case"), _("Lawyer"), _("Law firm"), _("Quality grade"),
              _("Subsidy (yuan)"), _("Recipient's share (yuan)"), _("Payable by the fund (yuan)"), _("Status"),
              _("Approved at"), _("Paid on"), _("Payment reference")]
    sheet.append(safe_row(header))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for s in subsidies:
        sheet.append(safe_row([
            s.pk, s.get_kind_display(), s.corrects_id or "", s.notice.case.case_number, s.lawyer.name,
            s.lawyer.firm.name if s.lawyer.firm_id else "", s.grade, s.amount, s.recipient_share, s.payable,
            s.get_status_display(), clock.to_beijing(s.approved_at).strftime("%Y-%m-%d") if s.approved_at else "",
            s.paid_on, s.payment_reference]))
        for cell in sheet[sheet.max_row][7:10]:
            cell.number_format = "#,##0.00"
        sheet[sheet.max_row][12].number_format = "yyyy-mm-dd"
    sheet.append([])
    sheet.append([_("Total"), "", "", "", "", "", "", sum(s.amount for s in subsidies),
                  sum(s.recipient_share for s in subsidies), sum(s.payable for s in subsidies)])
    for index, width in enumerate([8, 10, 8, 26, 12, 22, 10, 14, 14, 14, 10, 12, 12, 20], start=1):
        sheet.column_dimensions[sheet.cell(row=5, column=index).column_letter].width = width
    lines = workbook.create_sheet(_("Calculation")[:31])
    lines.append(safe_row([_("No."), _("Line"), _("Basis"), _("Amount (yuan)")]))
    for cell in lines[1]:
        cell.font = Font(bold=True)
    for s in subsidies:
        for line in s.lines.all():
            lines.append(safe_row([s.pk, line.label, line.basis, line.amount]))
            lines[lines.max_row][3].number_format = "#,##0.00"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
