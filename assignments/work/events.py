"""The court's events about the lawyer's work (docs/court-api.md), registered into
cases.api.views.EXTRA_EVENT_HANDLERS by AssignmentsConfig.ready(). Bodies are validated by the
serializers in cases.api.serializers; the services decide what fits the notice's state (409)."""
from assignments.work import services


def not_heard(*, notice, data, actor):
    services.notice_not_heard(notice=notice, notified_on=data["notified_on"], actor=actor)


def judgment(*, notice, data, actor):
    services.notice_judgment(notice=notice, pronounced_on=data["pronounced_on"], outcome=data["outcome"],
                             adopted=data["defense_opinion_adopted"], reasons=data.get("reasons_if_not_adopted", ""),
                             actor=actor)


def procedural_decision(*, notice, data, actor):
    services.notice_procedural_decision(notice=notice, decision=data["decision"], decided_on=data["decided_on"],
                                        summary=data.get("summary", ""), actor=actor)


def evidence_request_decided(*, notice, data, actor):
    services.court_request_decide(notice=notice, request_id=data.get("request"), decision=data["decision"],
                                  decided_on=data["decided_on"], reasons=data.get("reasons", ""), actor=actor)


HANDLERS = {
    "not_heard": not_heard,
    "judgment": judgment,
    "procedural_decision": procedural_decision,
    "evidence_request_decided": evidence_request_decided,
}
