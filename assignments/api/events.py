"""The court's `defendant_refused` event (docs/court-api.md), handled by this app."""
from assignments.services import designation_refused


def defendant_refused(*, notice, data, actor):
    designation_refused(notice=notice, reason=data["reason"], valid_reason=data["valid_reason"],
                        defend_self=data.get("defend_self"), actor=actor)
