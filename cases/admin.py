try:
    from cases.deadlines import admin as _deadlines_admin  # noqa: F401
except ImportError:
    pass
