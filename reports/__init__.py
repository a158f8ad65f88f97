"""Statistics that show coverage (issue 7, items 2 and 3): the staff dashboard, its exports and the
public summary. See README.md beside this file for the figures' definitions and the design."""
