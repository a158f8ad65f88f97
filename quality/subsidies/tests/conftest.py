"""Fixtures of the subsidies tests (closings keep their files in a temporary folder)."""
from assignments.tests.work import uploads  # noqa: F401
