"""GET /api/v1/quality-rules/ — the standard's items and the evaluation kinds with their legal basis
and roles, the formula, and the numbers that apply in a region (its nearest local rules)."""
from conftest import token_client
from quality.models import QualitySettings


def test_it_lists_the_standard_the_kinds_and_the_defaults(world):
    body = token_client(world.court_user).get("/api/v1/quality-rules/").json()
    assert [i["code"] for i in body["standard"]][:2] == ["met_defendant", "file_reviewed"]
    assert all(i["basis"] for i in body["standard"])
    kinds = {k["kind"]: k["roles"] for k in body["evaluations"]}
    assert kinds["peer_review"] == ["evaluator"] and kinds["court_feedback"] == []
    assert body["settings"]["meeting_within_days"] == 3 and body["settings"]["region"] is None
    assert "standard_weight" in body["formula"]


def test_it_gives_a_regions_local_rules(world):
    QualitySettings.objects.create(region=world.city, meeting_within_days=5)
    body = token_client(world.staff).get("/api/v1/quality-rules/?region=411702").json()
    assert body["settings"]["meeting_within_days"] == 5 and body["settings"]["region"] == world.city.name


def test_an_unknown_region_is_404(world):
    assert token_client(world.staff).get("/api/v1/quality-rules/?region=999999").status_code == 404
