"""The public summary: no login, no personal data, small numbers suppressed by the documented rule,
cacheable; and its bad input."""
import csv
import io

import pytest

from cases.statistics.disclosure import Line, protect
from cases.statistics.public import _figure
from cases.tests.test_statistics_figures import seed

pytestmark = pytest.mark.django_db

URL = "/statistics/public/"


def figure(defendants, with_counsel):
    return _figure({"defendants": defendants, "with_counsel": with_counsel})


def test_a_cell_with_fewer_than_5_defendants_shows_nothing_but_that():
    assert figure(3, 3).as_row() == ["<5", "<5", "—", "—"]
    assert figure(4, 0).as_row() == ["<5", "—", "<5", "—"]


def test_counts_from_1_to_4_are_suppressed_with_a_complement_and_the_rate_becomes_a_band():
    # A hidden count takes another of its figure with it (notified − with counsel would give it back);
    # the rate is a band only over 50 or more defendants (tests/security/test_public_statistics_disclosure.py).
    assert figure(20, 18).as_row() == [20, "—", "<5", "—"]
    assert figure(37, 2).as_row() == [37, "<5", "—", "—"]
    assert figure(120, 118).as_row() == [120, "—", "<5", "90–100%"]
    assert figure(20, 10).as_row() == [20, 10, 10, "50%"]
    assert figure(12, 12).as_row() == [12, 12, 0, "100%"]  # zero says nothing of anyone
    assert figure(0, 0).as_row() == [0, 0, 0, "—"]


def test_a_total_that_would_reveal_a_single_suppressed_cell_is_suppressed_too():
    march, april = figure(20, 18), figure(30, 25)  # without counsel: 2 (suppressed) and 5
    total = figure(50, 43)  # 7 without counsel: minus April's 5 it would give March's 2
    protect([march, april, total], [Line(total, [march, april])])
    assert total.as_row() == [50, "—", "—", "80–90%"]
    first, second, both = figure(20, 18), figure(20, 18), figure(40, 36)  # two hidden cells (2 and 2)
    protect([first, second, both], [Line(both, [first, second])])
    assert both.as_row() == [40, "—", "<5", "—"]  # their sum, 4, is under 5 itself: hidden


def test_the_public_summary_needs_no_login_and_shows_no_personal_data(client, world):
    notices, _lawyers = seed(world)
    response = client.get(URL, {"year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    for notice in notices.values():
        assert notice.defendant.name not in html
        assert notice.defendant.id_number not in html
        assert notice.case.case_number not in html
    assert 'data-region="411702" data-month="2026-03"' in html
    summary = response.context["summary"]
    yicheng = next(row for row in summary["rows"] if row["code"] == "411702")
    # 驿城区: 6 defendants in the year (3 in March, 1 each in April, May and June): every cell is
    # under 5; the year's total is 6, with 5 with counsel and 1 without.
    assert [figure.counts["defendants"] for _month, figure in yicheng["cells"]] == [3, 1, 1, 1]
    assert all(figure.as_row()[0] == "<5" for _month, figure in yicheng["cells"])
    assert yicheng["total"].counts == {"defendants": 6, "with_counsel": 5, "without_counsel": 1}
    # With counsel is hidden beside without counsel (6 − 5 would give 1); no band over 6 defendants.
    assert yicheng["total"].as_row() == [6, "—", "<5", "—"]
    assert summary["total"].counts == {"defendants": 8, "with_counsel": 6, "without_counsel": 2}
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response["Vary"]


def test_the_public_summary_downloads_as_published(client, world):
    seed(world)
    response = client.get("/statistics/public/coverage.csv", {"year": "2026", "region": "411700"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The grand total's notified count is hidden too: with the other regions' small ones it would give
    # 驿城区's 6 back, and so the cells.
    assert rows[-1][3:] == ["—", "—", "<5", "—"]
    assert ["411702", "驿城区", "2026-03", "<5", "<5", "—", "—"] in rows
    assert all(len(row) == 7 for row in rows)


def test_a_second_visit_is_served_from_the_cache(client, world, django_assert_max_num_queries):
    seed(world)
    assert client.get(URL, {"year": "2026"}).status_code == 200
    with django_assert_max_num_queries(2):  # when the figures were refreshed, and the region list
        assert client.get(URL, {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("query, code", [({"year": "2016"}, "invalid_year"), ({"year": "abc"}, "invalid_year"),
                                         ({"year": "2099"}, "invalid_year"), ({"region": "999999"}, "unknown_region")])
def test_bad_input_is_refused_with_its_code(client, world, query, code):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert f'data-code="{code}"' in response.content.decode()
    assert client.get("/statistics/public/coverage.csv", query).status_code == 400
