"""The fairness report per agency and period: designations against the expected share, and every
designation that passed over the first-ranked candidate with its reason."""
from assignments.tests import factories as f
from legalaid import clock


def test_it_reports_shares_and_overrides(world, staff_client):
    a = f.lawyer(world, name="甲律师")
    b = f.lawyer(world, name="乙律师", region=world.xiping)
    first = f.designate(world, f.notice(world), a)
    assert first.rank == 1
    passed_over = f.designate(world, f.notice(world), b, reason="被告人为聋哑人，乙律师懂手语")
    today = clock.today().isoformat()
    body = staff_client.get(f"/api/v1/fairness/?from={today}&to={today}").json()
    assert body["total"] == 2 and body["pool_size"] == 2 and body["expected_share"] == 1.0
    assert {r["name"]: r["designations"] for r in body["lawyers"]} == {"甲律师": 1, "乙律师": 1}
    assert [o["designation"] for o in body["overrides"]] == [passed_over.pk]
    assert body["overrides"][0]["reason"] == "被告人为聋哑人，乙律师懂手语"
    assert body["overrides"][0]["first_candidate"] == "甲律师"
    bad = staff_client.get(f"/api/v1/fairness/?from={today}&to=2000-01-01")
    assert bad.status_code == 400 and f.codes(bad) == {"ends_before_start"}
    assert staff_client.get("/api/v1/fairness/").status_code == 400
