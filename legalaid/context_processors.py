from legalaid.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "is_agency_member": user.is_agency_member or user.is_administrator,
        "is_lawyer": user.role == Role.LAWYER,
        "is_supervisor": user.role == Role.SUPERVISOR or user.is_administrator,
    }
