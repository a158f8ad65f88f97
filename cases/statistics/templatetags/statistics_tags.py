from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value, kind="int"):
    """A figure as the statistics pages show it: percentages from ratios, days with one decimal,
    months as YYYY-MM, a dash for no value."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{number_format(100 * value, 1)}%"
    if kind == "days":
        return number_format(value, 1)
    if kind == "month":
        return value.strftime("%Y-%m")
    if kind == "int" and isinstance(value, int):
        return number_format(value, force_grouping=True)
    return value


@register.filter
def cells(row, columns):
    """[(value, column)] of a table row."""
    return list(zip(row, columns))
