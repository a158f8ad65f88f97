"""Writes of the assignments app: the roster, designations and what undoes them, duty lawyers.
Each service runs guard → transaction → save → event row → follow-up, like cases.services."""
from assignments.services.designations import (  # noqa: F401
    AlreadyDesignated,
    designation_accept,
    designation_decline,
    designation_end_for_notice,
    designation_refused,
    designation_replace,
    lawyer_designate,
    notice_aid_terminate,
    notice_retained_counsel,
)
from assignments.services.duty import (  # noqa: F401
    duty_route_notice,
    duty_shift_add,
    interim_help_request_create,
    plea_session_record,
)
from assignments.services.roster import (  # noqa: F401
    case_connection_add,
    case_party_add,
    lawfirm_create,
    lawyer_client_add,
    lawyer_create,
    lawyer_leave_add,
    lawyer_suspend,
    lawyer_suspension_lift,
    lawyer_update,
    roster_import,
)
