"""Cells of every spreadsheet the system writes (Excel and CSV). A text that starts with `=`, `+`,
`-` or `@` (or a tab or a line break, which some programs skip before reading one) is taken by Excel
and its kin for a formula: a name or a note typed by a user could then run one when a clerk opens the
export (CSV/formula injection). Such a text is written with a leading apostrophe, as OWASP advises;
numbers, dates and empty cells are written as they are. Every export writes its cells through here."""
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
