"""The public summary publishes no count from 1 to 4, directly or by arithmetic (complementary
suppression, cases.statistics.disclosure). Each crafted table below leaked before: a count hidden as
"<5" came back as a shown total minus the shown parts — within a figure (notified − with counsel),
along a row or a column, through the totals, or as the sum of a group of hidden cells — or through a
rate band over few defendants. An auditor written here, independently of the code, solves the
published equations exactly (fractions) and finds no hidden small count determined."""
from fractions import Fraction

import pytest

from cases.statistics.disclosure import COUNTS, Line, protect
from cases.statistics.public import _figure
from cases.tests.test_statistics_figures import seed


def figure(defendants, with_counsel):
    return _figure({"defendants": defendants, "with_counsel": with_counsel})


def determined(figures, lines) -> list:
    """(figure index, count) of every hidden count the shown values and the table's equations fix."""
    hidden = [(i, k) for i, f in enumerate(figures) for k in COUNTS if k in f.suppressed]
    position = {v: n for n, v in enumerate(hidden)}
    ident = {id(f): i for i, f in enumerate(figures)}
    equations = []
    for i, f in enumerate(figures):
        equations.append({(i, "defendants"): 1, (i, "with_counsel"): -1, (i, "without_counsel"): -1})
    for line in lines:
        for k in COUNTS:
            terms = {(ident[id(line.total)], k): 1}
            for part in line.parts:
                terms[(ident[id(part)], k)] = terms.get((ident[id(part)], k), 0) - 1
            equations.append(terms)
    matrix = []
    for terms in equations:
        row = [Fraction(0)] * len(hidden)
        for var, coef in terms.items():
            if var in position:
                row[position[var]] += coef
        if any(row):
            matrix.append(row)
    # Reduced row echelon form; a hidden count is fixed when a row is its unit vector.
    pivot_row = 0
    for col in range(len(hidden)):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [v / lead for v in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row])]
        pivot_row += 1
    fixed = [hidden[row.index(1)] for row in matrix if sum(1 for v in row if v != 0) == 1]
    return [(i, k) for i, k in fixed if 0 < figures[i].counts[k] < 5]


def table(cells: dict):
    """A region × month table from {(region, month): (notified, with counsel)}, protected as the
    public summary is."""
    figures = {key: figure(*value) for key, value in cells.items()}
    regions = sorted({r for r, _m in cells})
    months = sorted({m for _r, m in cells})

    def total(parts):
        return figure(sum(p.counts["defendants"] for p in parts), sum(p.counts["with_counsel"] for p in parts))

    row_totals = {r: total([f for (fr, _m), f in figures.items() if fr == r]) for r in regions}
    month_totals = {m: total([f for (_r, fm), f in figures.items() if fm == m]) for m in months}
    grand = total(list(figures.values()))
    lines = [Line(row_totals[r], [f for (fr, _m), f in figures.items() if fr == r]) for r in regions]
    lines += [Line(month_totals[m], [f for (_r, fm), f in figures.items() if fm == m]) for m in months]
    lines += [Line(grand, list(row_totals.values())), Line(grand, list(month_totals.values()))]
    everything = [*figures.values(), *row_totals.values(), *month_totals.values(), grand]
    protect(everything, lines)
    return figures, row_totals, month_totals, grand, everything, lines


def test_a_figure_does_not_give_its_hidden_count_by_subtraction():
    assert figure(20, 18).as_row() == [20, "—", "<5", "—"]  # was [20, 18, "<5", "90–100%"]: 20 − 18 = 2
    assert figure(37, 2).as_row() == [37, "<5", "—", "—"]
    assert figure(100, 97).as_row() == [100, "—", "<5", "90–100%"]  # a band over 100 spans 10 values
    assert figure(20, 10).as_row() == [20, 10, 10, "50%"]
    assert figure(3, 3).as_row() == ["<5", "<5", "—", "—"]
    assert figure(0, 0).as_row() == [0, 0, 0, "—"]


def test_a_rate_band_over_few_defendants_is_not_shown():
    # 6 notified, 5 with counsel: "80–90%" would put with counsel in [4.8, 5.4): exactly 5, so 1 without.
    assert figure(6, 5).rate == "—"


CRAFTED = {
    # One small cell in a row: the row total minus the other month gave it back.
    "row": {("A", 3): (20, 18), ("A", 4): (30, 25), ("B", 3): (40, 30), ("B", 4): (40, 30)},
    # Two small cells in one row whose sum is 2: each is 1.
    "group": {("A", 3): (20, 19), ("A", 4): (20, 19), ("A", 5): (30, 20), ("B", 3): (30, 20), ("B", 4): (30, 20),
              ("B", 5): (30, 20)},
    # The region totals are suppressed, but the grand total is the sum of the shown month totals.
    "through_totals": {("A", 3): (20, 17), ("B", 3): (25, 20), ("A", 4): (30, 22), ("B", 4): (35, 30)},
    # A region with one month only: its total is the cell.
    "single": {("A", 3): (12, 10), ("B", 3): (40, 35), ("B", 4): (50, 41)},
    # Small counts everywhere.
    "sparse": {("A", 3): (3, 3), ("A", 4): (6, 5), ("B", 3): (7, 6), ("B", 4): (1, 0), ("C", 3): (9, 5)},
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_no_hidden_small_count_can_be_worked_out(name):
    *_parts, everything, lines = table(CRAFTED[name])
    assert determined(everything, lines) == []
    for f in everything:
        for key in COUNTS:
            if 0 < f.counts[key] < 5:
                assert f.shown(key) == "<5"
        rate = f.rate
        if f.suppressed & {"with_counsel", "without_counsel"} and f.counts["defendants"] < 50:
            assert rate == "—"


def test_the_auditor_finds_what_the_old_rule_leaked():
    """The auditor itself: the old rule (a total hidden when exactly one of its parts was) let 20 − 18
    through, and the auditor sees it."""
    cells = {("A", 3): figure(20, 18)}
    cells[("A", 3)].suppressed = {"without_counsel"}
    total = figure(20, 18)
    total.suppressed = {"without_counsel"}
    assert determined([cells[("A", 3)], total], [Line(total, [cells[("A", 3)]])]) != []


def test_the_published_summary_of_the_seeded_year_leaks_nothing(client, world):
    seed(world)
    response = client.get("/statistics/public/", {"year": "2026", "region": "411700"})
    summary = response.context["summary"]
    figures = [f for row in summary["rows"] for _m, f in row["cells"]]
    row_totals = [row["total"] for row in summary["rows"]]
    month_totals = [f for _m, f in summary["month_totals"]]
    lines = [Line(row["total"], [f for _m, f in row["cells"]]) for row in summary["rows"]]
    lines += [Line(total, [f for row in summary["rows"] for m, f in row["cells"] if m == month])
              for month, total in summary["month_totals"]]
    lines += [Line(summary["total"], row_totals), Line(summary["total"], month_totals)]
    assert determined([*figures, *row_totals, *month_totals, summary["total"]], lines) == []
