"""Who may act, the rules every app's services and pages share (the roles: legalaid.models.Role)."""
from legalaid.errors import NotPermitted
from legalaid.models import Role


def is_supervisor(user) -> bool:
    """A supervisor, or an administrator, who may do what a supervisor does."""
    return user is not None and (user.role == Role.SUPERVISOR or user.is_administrator)


def require_writer(actor, message) -> None:
    """Agency staff, supervisors and administrators change cases (User.can_write_cases); anyone else
    gets NotPermitted with `message`, which says what they tried."""
    if actor is None or not actor.can_write_cases:
        raise NotPermitted(message)
