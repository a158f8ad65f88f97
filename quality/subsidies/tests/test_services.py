"""Schedules and the subsidy's life: computed once when the closing is accepted (with the grade the
quality app gave), approved by a supervisor, paid with date and reference; a paid one never edited,
corrected by a new entry. Every bad input is refused and changes nothing."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from assignments.tests.test_work_closing import JUDGMENT, do_the_work, submit
from assignments.tests.work import designated_case, post
from assignments.work import services as work
from conftest import token_client
from legalaid import clock
from legalaid.errors import Conflict, InvalidInput, NotPermitted
from quality.models import CaseGrade
from quality.subsidies import services
from quality.subsidies.models import Subsidy, SubsidySchedule
from quality.subsidies.tests.factories import schedule

def TODAY():
    return clock.beijing_date(clock.now())


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads")]


@pytest.fixture(autouse=True)
def only_the_subsidy_receiver(settings):
    """These tests plant the grade (or none) themselves: on acceptance only the subsidy is computed,
    not the quality app's grade (quality/tests cover the two together)."""
    settings.HOOKS = {"closing_accepted": ("quality.subsidies.services.on_closing_accepted",)}


@pytest.fixture
def case(world):
    return designated_case(world)


@pytest.fixture
def closing(world, case, court_client):
    lawyer_client = token_client(case.user)
    do_the_work(case, lawyer_client)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    assert submit(lawyer_client, case.notice).status_code == 201
    return case.notice.closing


def accept(world, closing):
    return work.closing_accept(closing=closing, actor=world.staff)


# --- Schedules -------------------------------------------------------------------------------------

def test_a_schedule_is_entered_with_its_items_and_additions(world):
    entered = schedule(world)

    assert entered.items.count() == 9 and entered.additions.count() == 4
    assert entered.multiplier("excellent") == Decimal("1.20")
    assert services.schedule_for(region=world.yicheng, day=dt.date(2026, 6, 1)) == entered


@pytest.mark.parametrize("valid_from, valid_to", [
    (dt.date(2026, 6, 1), None),  # open-ended, inside the first
    (dt.date(2025, 1, 1), dt.date(2026, 1, 1)),  # ends on the first's first day
    (dt.date(2025, 1, 1), None),  # open-ended, before: runs into it
])
def test_a_schedule_overlapping_another_of_the_same_region_is_refused(world, valid_from, valid_to):
    schedule(world, valid_to=dt.date(2026, 12, 31))

    with pytest.raises(InvalidInput) as refused:
        schedule(world, valid_from=valid_from, valid_to=valid_to, name="另一标准")

    assert refused.value.code == "overlapping_schedule"
    assert SubsidySchedule.objects.count() == 1


def test_periods_that_meet_without_overlapping_and_other_regions_are_accepted(world):
    schedule(world, valid_to=dt.date(2026, 12, 31))
    schedule(world, valid_from=dt.date(2027, 1, 1), name="2027年标准")
    schedule(world, region=world.yicheng, name="驿城区标准")

    assert SubsidySchedule.objects.count() == 3
    # The county's own schedule is nearer to its court than the prefecture's.
    assert services.schedule_for(region=world.yicheng, day=dt.date(2026, 6, 1)).name == "驿城区标准"
    assert services.schedule_for(region=world.xiping, day=dt.date(2027, 6, 1)).name == "2027年标准"


@pytest.mark.parametrize("change, code", [
    ({"valid_to": dt.date(2025, 12, 31)}, "period_reversed"),
    ({"items": [("first_instance", "ordinary", "-5")]}, "negative_amount"),
    ({"items": [("first_instance", "ordinary", "12.345")]}, "invalid_amount"),
    ({"items": [("first_instance", "ordinary", "一千")]}, "invalid_amount"),
    ({"items": [("appeal", "", "100")]}, "invalid_choice"),
    ({"items": [("first_instance", "", "100"), ("first_instance", "", "200")]}, "duplicate_item"),
    ({"items": []}, "required"),
    ({"additions": {"hard_case": "100"}}, "invalid_choice"),
    ({"multipliers": {"excellent": "5"}}, "out_of_range"),
    ({"share": "120"}, "out_of_range"),
    ({"name": "  "}, "required"),
])
def test_a_bad_schedule_is_refused_and_nothing_is_entered(world, change, code):
    with pytest.raises(InvalidInput) as refused:
        schedule(world, **change)

    assert refused.value.code == code
    assert not SubsidySchedule.objects.exists()


def test_only_a_supervisor_enters_a_schedule(world):
    with pytest.raises(NotPermitted):
        schedule(world, actor=world.staff)
    assert not SubsidySchedule.objects.exists()


# --- Computed when the closing is accepted -----------------------------------------------------------

def test_accepting_the_closing_computes_the_subsidy_with_the_cases_grade(world, case, closing):
    schedule(world)
    CaseGrade.objects.create(designation=case.designation, notice=case.notice, grade="excellent",
                             score=Decimal("93"), computed_at=case.start)

    accept(world, closing)

    subsidy = Subsidy.objects.get(designation=case.designation)
    assert subsidy.status == "pending" and subsidy.grade == "excellent" and subsidy.lawyer == case.lawyer
    base = {"ordinary": Decimal("1200"), "summary": Decimal("800"), "fast_track": Decimal("500")}[
        case.notice.case.procedure]
    assert subsidy.amount == base * Decimal("1.2")
    assert [line.code for line in subsidy.lines.all()][:1] == ["base"] and subsidy.note == ""
    assert subsidy.history.count() == 1


def test_without_a_grade_the_pass_tier_applies_and_the_subsidy_says_so(world, case, closing):
    schedule(world)

    accept(world, closing)

    subsidy = Subsidy.objects.get(designation=case.designation)
    assert subsidy.grade == "pass"
    assert subsidy.note == _("No quality grade was computed for this case: paid at the pass tier.")
    assert subsidy.lines.get(code="quality").amount < 0  # × 0.9


def test_computing_again_for_the_same_closing_makes_no_second_subsidy(world, case, closing):
    schedule(world)
    accept(world, closing)
    closing.refresh_from_db()

    again = services.subsidy_compute(closing=closing, actor=world.staff)

    assert Subsidy.objects.filter(designation=case.designation).count() == 1
    assert again == Subsidy.objects.get(designation=case.designation)


def test_with_no_schedule_the_closing_is_still_accepted_and_the_subsidy_waits_for_one(world, case, closing):
    accept(world, closing)
    subsidy = Subsidy.objects.get(designation=case.designation)
    assert subsidy.amount == 0 and not subsidy.lines.exists() and subsidy.note
    with pytest.raises(Conflict) as refused:
        services.subsidy_approve(subsidy=subsidy, actor=world.supervisor)
    assert refused.value.code == "incomplete"

    schedule(world, valid_from=dt.date(2020, 1, 1))
    recomputed = services.subsidy_recompute(subsidy=subsidy, actor=world.staff)

    assert recomputed.amount > 0 and recomputed.lines.exists()
    assert Subsidy.objects.get(pk=subsidy.pk).amount == recomputed.amount


# --- Approval, payment, corrections ------------------------------------------------------------------

@pytest.fixture
def subsidy(world, case, closing):
    schedule(world)
    accept(world, closing)
    return Subsidy.objects.get(designation=case.designation)


def test_a_supervisor_approves_and_staff_record_the_payment(world, subsidy):
    approved = services.subsidy_approve(subsidy=subsidy, actor=world.supervisor)
    paid = services.subsidy_pay(subsidy=approved, paid_on=TODAY(), reference="财付2026-0012",
                                actor=world.staff)

    stored = Subsidy.objects.get(pk=subsidy.pk)
    assert stored.status == "paid" and stored.payment_reference == "财付2026-0012" and stored.paid_by == world.staff
    assert stored.approved_by == world.supervisor and paid.paid_on == TODAY()
    assert [h.status for h in stored.history.order_by("history_date")] == ["pending", "approved", "paid"]


def test_staff_cannot_approve(world, subsidy):
    with pytest.raises(NotPermitted):
        services.subsidy_approve(subsidy=subsidy, actor=world.staff)
    assert Subsidy.objects.get(pk=subsidy.pk).status == "pending"


def test_paying_an_unapproved_subsidy_is_refused(world, subsidy):
    with pytest.raises(Conflict) as refused:
        services.subsidy_pay(subsidy=subsidy, paid_on=TODAY(), reference="X1", actor=world.staff)

    assert refused.value.code == "not_approved"
    stored = Subsidy.objects.get(pk=subsidy.pk)
    assert stored.status == "pending" and stored.paid_on is None and stored.payment_reference == ""


@pytest.mark.parametrize("paid_on, reference, code", [
    (TODAY() + dt.timedelta(days=1), "X1", "future_date"),
    (dt.date(2020, 1, 1), "X1", "before_approval"),
    (TODAY(), "  ", "required"),
    (TODAY(), "X" * 65, "too_long"),
    (None, "X1", "required"),
])
def test_a_bad_payment_is_refused(world, subsidy, paid_on, reference, code):
    approved = services.subsidy_approve(subsidy=subsidy, actor=world.supervisor)

    with pytest.raises(InvalidInput) as refused:
        services.subsidy_pay(subsidy=approved, paid_on=paid_on, reference=reference, actor=world.staff)

    assert refused.value.code == code
    assert Subsidy.objects.get(pk=subsidy.pk).status == "approved"


def test_a_paid_subsidy_is_never_edited_and_a_correction_is_a_new_entry(world, subsidy):
    approved = services.subsidy_approve(subsidy=subsidy, actor=world.supervisor)
    paid = services.subsidy_pay(subsidy=approved, paid_on=TODAY(), reference="财付1", actor=world.staff)
    with pytest.raises(Conflict) as refused:
        services.subsidy_recompute(subsidy=paid, actor=world.staff)
    assert refused.value.code == "subsidy_paid"
    with pytest.raises(Conflict):
        services.subsidy_approve(subsidy=paid, actor=world.supervisor)

    correction = services.subsidy_correct(subsidy=paid, amount="-200", reason="跨市交通补贴重复计算", actor=world.staff)

    original = Subsidy.objects.get(pk=subsidy.pk)
    assert original.status == "paid" and original.amount == paid.amount and original.history.count() == 3
    assert correction.kind == "correction" and correction.corrects == original and correction.amount == -200
    assert correction.status == "pending" and correction.lines.get().amount == -200


@pytest.mark.parametrize("amount, reason, code", [("0", "理由", "zero_amount"), ("abc", "理由", "invalid_amount"),
                                                  ("100", "", "required")])
def test_a_bad_correction_is_refused(world, subsidy, amount, reason, code):
    approved = services.subsidy_approve(subsidy=subsidy, actor=world.supervisor)
    paid = services.subsidy_pay(subsidy=approved, paid_on=TODAY(), reference="财付1", actor=world.staff)

    with pytest.raises(InvalidInput) as refused:
        services.subsidy_correct(subsidy=paid, amount=amount, reason=reason, actor=world.staff)

    assert refused.value.code == code
    assert Subsidy.objects.count() == 1


def test_an_unpaid_subsidy_is_recomputed_not_corrected(world, subsidy):
    with pytest.raises(Conflict) as refused:
        services.subsidy_correct(subsidy=subsidy, amount="100", reason="理由", actor=world.staff)
    assert refused.value.code == "not_paid" and Subsidy.objects.count() == 1


def test_the_admin_refuses_an_overlapping_schedule(world, client):
    schedule(world, valid_to=dt.date(2026, 12, 31))
    client.force_login(world.admin)

    response = client.post("/admin/subsidies/subsidyschedule/add/", {
        "region": world.city.pk, "name": "重叠标准", "valid_from": "2026-06-01", "many_defendants_from": 3,
        "multiplier_excellent": "1.2", "multiplier_good": "1", "multiplier_pass": "0.9", "multiplier_fail": "0",
        "recipient_share_percent": "0",
        "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0, "additions-TOTAL_FORMS": 0, "additions-INITIAL_FORMS": 0})

    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert SubsidySchedule.objects.count() == 1
