"""Reads of the quality app."""
from quality.models import CaseGrade


def case_grade(*, designation) -> str | None:
    """The designation's current grade (a quality.models.Grade value), or None while it has none."""
    return CaseGrade.objects.filter(designation=designation).values_list("grade", flat=True).first()
