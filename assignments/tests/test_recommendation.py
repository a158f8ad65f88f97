"""The ranked candidates: the soft order with its reasons, each hard filter excluding a lawyer who
would otherwise rank first, per-agency weights, and a fixed number of queries."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.load import load_check
from assignments.models import Designation, Lawyer, RecommendationWeights
from assignments.recommendation import recommend
from assignments.services import (
    case_connection_add,
    case_party_add,
    lawyer_client_add,
    lawyer_leave_add,
    lawyer_suspend,
)
from assignments.tests import factories as f
from cases.tests.factories import make_id_number, receive
from legalaid import clock


def ids(rec):
    return [c.lawyer.pk for c in rec.candidates]


def test_it_ranks_the_same_county_and_lighter_caseload_first_with_reasons(world):
    county = f.lawyer(world, name="本县律师")
    pool = f.lawyer(world, name="市里律师", region=world.xiping)
    busy = f.lawyer(world, name="忙碌律师")
    for _ in range(3):
        f.designate(world, f.notice(world), busy, reason="load")
    rec = recommend(notice=f.notice(world))
    assert ids(rec) == [county.pk, pool.pk, busy.pk]
    first = rec.candidates[0]
    codes = {r["code"]: r["points"] for r in first.reasons}
    assert codes["same_county"] == 30 and codes["open_cases"] == 0
    busy_reasons = {r["code"]: r["points"] for r in rec.candidates[2].reasons}
    assert busy_reasons["open_cases"] == -18 and busy_reasons["rotation"] == -12
    assert rec.candidates[2].open_cases == 3
    assert "Rank 1" in first.summary() or first.summary()  # a sentence for the page


def test_matching_experience_and_language_raise_a_lawyer(world):
    plain = f.lawyer(world, name="普通律师")
    expert = f.lawyer(world, name="毒品律师", region=world.xiping, specialities=["drugs"])
    signer = f.lawyer(world, name="手语律师", region=world.xiping, languages=["csl"])
    rec = recommend(notice=f.notice(world, charges=["贩卖毒品罪"]))
    assert ids(rec)[0] == plain.pk  # same county (30) beats one speciality (12)
    assert ids(rec).index(expert.pk) < ids(rec).index(signer.pk)
    deaf = recommend(notice=f.notice(world, defendant__conditions=["deaf"]))
    assert ids(deaf).index(signer.pk) < ids(deaf).index(expert.pk)
    assert any(r["code"] == "language" for r in deaf.position(signer.pk).reasons)


def test_rotation_puts_the_least_recently_designated_first_among_equals(world):
    a, b = f.lawyer(world, name="甲律师"), f.lawyer(world, name="乙律师")
    notice = f.notice(world)
    first = recommend(notice=notice).first.lawyer
    d = f.designate(world, notice, first)
    Designation.objects.filter(pk=d.pk).update(designated_at=clock.now() - dt.timedelta(days=200))
    Designation.objects.filter(pk=d.pk).update(status=Designation.Status.ENDED)
    load_check()  # the lawyers' loads follow those writes made around the services
    other = {a.pk, b.pk} - {first.pk}
    assert recommend(notice=f.notice(world)).first.lawyer.pk == other.pop()


def test_weights_are_configurable_per_agency(world):
    county = f.lawyer(world, name="本县律师")
    expert = f.lawyer(world, name="专家律师", region=world.xiping, specialities=["drugs"])
    notice = f.notice(world, charges=["贩卖毒品罪"])
    assert recommend(notice=notice).first.lawyer == county
    RecommendationWeights.objects.create(agency=world.agency, same_county=5, per_matching_speciality=40)
    assert recommend(notice=notice).first.lawyer == expert


def test_the_pool_is_the_prefecture_unless_widened(world):
    from cases.models import Region

    other_province = Region.objects.create(code="420100", name="武汉市", level=Region.Level.PREFECTURE)
    far = f.lawyer(world, name="外省律师", region=other_province)
    notice = f.notice(world)
    assert far.pk not in ids(recommend(notice=notice))
    Region.objects.filter(pk=other_province.pk).update(code="410100")  # same province, other prefecture
    assert far.pk not in ids(recommend(notice=notice))
    assert far.pk in ids(recommend(notice=notice, pool="province"))


# --- Each hard filter excludes the lawyer who would otherwise rank first --------------------------

def _not_active(world, star, notice):
    Lawyer.objects.filter(pk=star.pk).update(status=Lawyer.Status.INACTIVE)


def _suspended(world, star, notice):
    lawyer_suspend(lawyer=star, starts_on=clock.today() - dt.timedelta(days=1), ends_on=None,
                   reason="违反执业纪律", actor=world.staff)


def _on_leave(world, star, notice):
    lawyer_leave_add(lawyer=star, starts_on=clock.today() + dt.timedelta(days=2),
                     ends_on=clock.today() + dt.timedelta(days=30), actor=world.staff)


def _codefendant(world, star, notice):
    co = receive(world, case_number=notice.case.case_number)
    f.designate(world, co, star)


def _connected_case(world, star, notice):
    other = receive(world)
    f.designate(world, other, star)
    case_connection_add(case=notice.case, other=other.case, note="分案处理", actor=world.staff)


def _victim_by_id(world, star, notice):
    number = make_id_number(dt.date(1980, 1, 1))
    case_party_add(case=notice.case, role="victim", name="王五", id_number=number, actor=world.staff)
    lawyer_client_add(lawyer=star, name="王小五", id_number=number, capacity="victim", actor=world.staff)


def _witness_by_pinyin(world, star, notice):
    case_party_add(case=notice.case, role="witness", name="张伟", actor=world.staff)
    lawyer_client_add(lawyer=star, name="張偉", capacity="client", actor=world.staff)  # a variant spelling


def _lawyer_is_witness(world, star, notice):
    case_party_add(case=notice.case, role="witness", name=star.name, actor=world.staff)


def _previously_designated(world, star, notice):
    designation = f.designate(world, notice, star)
    star.user.refresh_from_db()
    from assignments.services import designation_decline

    designation_decline(designation=designation, actor=star.user, reason="出差")


FILTER_CASES = [
    ("not_active", _not_active, {}),
    ("suspended", _suspended, {}),
    ("on_leave", _on_leave, {}),
    ("needs_senior", None, {"defendant__may_face_life_or_death": True}),
    ("needs_minors_experience", None, {"defendant__id_number": "", "defendant__birth_date": "2010-05-01"}),
    ("codefendant", _codefendant, {}),
    ("connected_case", _connected_case, {}),
    ("victim_or_witness", _victim_by_id, {}),
    ("victim_or_witness", _witness_by_pinyin, {}),
    ("victim_or_witness", _lawyer_is_witness, {}),
    ("previously_designated", _previously_designated, {}),
]


@pytest.mark.parametrize("code,apply,notice_kwargs", FILTER_CASES,
                         ids=[c[0] + ":" + (c[1].__name__ if c[1] else "grounds") for c in FILTER_CASES])
def test_each_filter_excludes_the_lawyer_who_would_rank_first(world, code, apply, notice_kwargs):
    star = f.lawyer(world, name="明星律师", since=dt.date(2024, 6, 1), account=True)  # same county, no cases
    f.lawyer(world, name="外县律师", region=world.xiping, since=dt.date(2010, 1, 1),
             specialities=["minors"])  # senior, minors' experience: passes every filter
    control = f.notice(world)
    assert recommend(notice=control).first.lawyer == star  # without the filter, the star ranks first
    notice = f.notice(world, **notice_kwargs)
    if apply:
        apply(world, star, notice)
    rec = recommend(notice=notice)
    assert star.pk not in ids(rec)
    assert rec.candidates, "another lawyer still qualifies"
    excluded = {c.lawyer.pk: [x["code"] for x in c.failed] for c in rec.excluded}
    if code != "not_active":
        assert code in excluded[star.pk]
        detail = next(x for c in rec.excluded if c.lawyer == star for x in c.failed if x["code"] == code)
        assert detail["basis"]


def test_names_with_different_identity_numbers_are_not_a_conflict(world):
    star = f.lawyer(world, name="明星律师")
    notice = f.notice(world)
    case_party_add(case=notice.case, role="victim", name="张伟", id_number=make_id_number(dt.date(1980, 1, 1)),
                   actor=world.staff)
    lawyer_client_add(lawyer=star, name="張偉", id_number=make_id_number(dt.date(1990, 2, 2)), capacity="client",
                      actor=world.staff)
    assert recommend(notice=notice).first.lawyer == star


def test_it_runs_a_fixed_number_of_queries_whatever_the_roster_size(world):
    def count(n):
        for i in range(n):
            f.lawyer(world, region=world.xiping if i % 2 else world.yicheng, specialities=["drugs"])
        notice = f.notice(world)
        f.designate(world, f.notice(world), Lawyer.objects.last(), reason="load")
        with CaptureQueriesContext(connection) as ctx:
            rec = recommend(notice=notice)
            [c.as_dict() for c in rec.candidates + rec.excluded]
        return len(ctx)

    assert count(5) == count(45)
