"""The court's events about the lawyer's work (docs/court-api.md), each handler beside the serializer
of its body; legalaid/hooks.py (`court_events`) routes each type here. The services decide what
fits the notice's state (409)."""
from rest_framework import serializers

from assignments.work import rules as work_rules
from assignments.work import services
from cases.api.serializers import not_future
from legalaid.api.fields import VisibleCharField
from legalaid.api.serializers import StrictSerializer


class NotHeardSerializer(StrictSerializer):
    """The court decided not to open a hearing: the lawyer's 10-day written opinion clock starts
    from `notified_on` (M 20)."""

    type = serializers.CharField()
    notified_on = serializers.DateField(validators=[not_future])


def not_heard(*, notice, data, actor):
    services.notice_not_heard(notice=notice, notified_on=data["notified_on"], actor=actor)


class JudgmentSerializer(StrictSerializer):
    """The judgment; `reasons_if_not_adopted` is required unless the defence opinion was adopted in
    full (M 18)."""

    type = serializers.CharField()
    pronounced_on = serializers.DateField(validators=[not_future])
    outcome = VisibleCharField(max_length=2000)
    defense_opinion_adopted = serializers.ChoiceField(choices=work_rules.OpinionAdopted.choices)
    reasons_if_not_adopted = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


def judgment(*, notice, data, actor):
    services.notice_judgment(notice=notice, pronounced_on=data["pronounced_on"], outcome=data["outcome"],
                             adopted=data["defense_opinion_adopted"], reasons=data.get("reasons_if_not_adopted", ""),
                             actor=actor)


class ProceduralDecisionSerializer(StrictSerializer):
    """A major procedural decision the court tells the lawyer of (M 14); `summary` is required
    for `other`."""

    type = serializers.CharField()
    decision = serializers.ChoiceField(choices=work_rules.ProceduralDecision.choices)
    decided_on = serializers.DateField(validators=[not_future])
    summary = VisibleCharField(max_length=2000, required=False, allow_blank=True, default="")


def procedural_decision(*, notice, data, actor):
    services.notice_procedural_decision(notice=notice, decision=data["decision"], decided_on=data["decided_on"],
                                        summary=data.get("summary", ""), actor=actor)


class EvidenceRequestDecidedSerializer(StrictSerializer):
    """The court's decision on the lawyer's evidence-collection or witness request (M 16: within 3
    days). `request` is the request's id (GET /api/v1/notices/<id>/court-requests/); it may be left
    out when exactly one request awaits a decision."""

    type = serializers.CharField()
    request = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    decision = serializers.ChoiceField(choices=work_rules.CourtDecision.choices)
    decided_on = serializers.DateField(validators=[not_future])
    reasons = VisibleCharField(max_length=4000, required=False, allow_blank=True, default="")


def evidence_request_decided(*, notice, data, actor):
    services.court_request_decide(notice=notice, request_id=data.get("request"), decision=data["decision"],
                                  decided_on=data["decided_on"], reasons=data.get("reasons", ""), actor=actor)

