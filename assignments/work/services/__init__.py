"""Writes of the lawyer's work: entries, the court's feedback, closing and verified records. Each
service runs guard → transaction → save → event row → follow-up, like cases.services."""
from assignments.work.services.closing import (  # noqa: F401
    closing_accept,
    closing_amend,
    closing_return,
    closing_submit,
    on_closing_accepted,
)
from assignments.work.services.court import (  # noqa: F401
    court_request_decide,
    notice_judgment,
    notice_not_heard,
    notice_procedural_decision,
)
from assignments.work.services.entries import (  # noqa: F401
    complaint_answer,
    work_entry_attach,
    work_entry_log,
    work_entry_update,
)
from assignments.work.services.verification import (  # noqa: F401
    meetings_flag_unverified,
    verified_record_receive,
)
