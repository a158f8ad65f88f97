"""Fixtures of the quality app's tests (the lawyer's work keeps its files in a temporary folder)."""
from assignments.tests.work import uploads  # noqa: F401
