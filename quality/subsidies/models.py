"""Lawyers subsidies: schedules per jurisdiction, computed subsidies, approval and payment."""
