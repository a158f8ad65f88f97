"""Statistical disclosure control for the public summary: no published figure, alone or with the
others, may reveal a count from 1 to SUPPRESS_BELOW − 1.

A published table is a set of equations: in every figure, notified = with counsel + without counsel;
a region's total is the sum of its months, a month's total the sum of its regions, the grand total
the sum of either. Hiding the small counts (primary suppression) is not enough: a shown total minus
the shown cells gives a hidden one back. So, until nothing changes:

1. in a figure, one hidden count of the three is hidden with another (the smaller of the two parts);
2. on a line (a total and its parts), a member hidden alone is hidden with another — the total for a
   part, the smallest part for a total; and where the total is shown, the hidden parts' sum (the
   total minus the shown parts) must not itself be from 1 to 4, else the total is hidden too;
3. an exact audit: every hidden count that the published equations determine (linear algebra over
   the shown values) gets one more member of one of its equations hidden.

Zeros are shown: a zero says nothing of anyone."""
from dataclasses import dataclass

SUPPRESS_BELOW = 5
COUNTS = ("defendants", "with_counsel", "without_counsel")
_PRIME = (1 << 61) - 1  # the audit's arithmetic: exact for these small 0/±1 systems


@dataclass
class Line:
    """`total` = sum of `parts`, for each count (figures: anything with .counts and .suppressed)."""

    total: object
    parts: list


def _small(value) -> bool:
    return 0 < value < SUPPRESS_BELOW


def primary(counts: dict) -> set:
    """The counts of one figure to hide on their own account, and their complement in the figure."""
    hidden = {k for k, v in counts.items() if _small(v)}
    if "defendants" in hidden:
        return set(COUNTS)
    return _complete_figure(counts, hidden)


def _complete_figure(counts: dict, hidden: set) -> set:
    hidden = set(hidden)
    if len(hidden) == 1:
        (alone,) = hidden
        if alone == "defendants":
            parts = ("with_counsel", "without_counsel")
            hidden.add(min(parts, key=lambda k: (counts[k], k)))
        else:
            hidden.add("without_counsel" if alone == "with_counsel" else "with_counsel")
    return hidden


def _line_step(line: Line, key: str) -> bool:
    """Rule 2 for one line and one count; True when it hid something."""
    members = [line.total, *line.parts]
    hidden = [m for m in members if key in m.suppressed]
    if not hidden:
        return False
    if len(hidden) == 1:
        if hidden[0] is line.total:
            shown = [p for p in line.parts if key not in p.suppressed]
            if not shown:
                return False
            target = min(shown, key=lambda p: (p.counts[key] == 0, p.counts[key]))
        else:
            target = line.total
        target.suppressed.add(key)
        return True
    if key not in line.total.suppressed:
        hidden_sum = sum(p.counts[key] for p in line.parts if key in p.suppressed)
        if _small(hidden_sum):
            line.total.suppressed.add(key)
            return True
    return False


def _equations(figures: list, lines: list):
    """Every equation of the table, as {(figure index, count): coefficient} with its constant."""
    index = {id(f): i for i, f in enumerate(figures)}
    for f in figures:
        yield {(index[id(f)], "defendants"): 1, (index[id(f)], "with_counsel"): -1,
               (index[id(f)], "without_counsel"): -1}
    for line in lines:
        for key in COUNTS:
            terms = {(index[id(line.total)], key): 1}
            for part in line.parts:
                terms[(index[id(part)], key)] = terms.get((index[id(part)], key), 0) - 1
            yield terms


def disclosed(figures: list, lines: list) -> list:
    """The hidden small counts (figure index, count) that the shown values and the equations
    determine exactly."""
    hidden = [(i, k) for i, f in enumerate(figures) for k in COUNTS if k in f.suppressed]
    column = {var: c for c, var in enumerate(hidden)}
    rows = []
    for terms in _equations(figures, lines):
        row = {column[var]: coef % _PRIME for var, coef in terms.items() if var in column and coef}
        if row:
            rows.append(row)
    # Gauss-Jordan elimination on sparse rows.
    pivots = {}
    for row in rows:
        for col, prow in pivots.items():
            if col in row:
                factor = row[col]
                for c, v in prow.items():
                    row[c] = (row.get(c, 0) - factor * v) % _PRIME
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        row = {c: v * inverse % _PRIME for c, v in row.items()}
        for other_col, other in list(pivots.items()):
            if col in other:
                factor = other[col]
                merged = {c: (other.get(c, 0) - factor * row.get(c, 0)) % _PRIME for c in set(other) | set(row)}
                pivots[other_col] = {c: v for c, v in merged.items() if v}
        pivots[col] = row
    found = []
    for col, row in pivots.items():
        if len(row) == 1:
            i, key = hidden[col]
            if _small(figures[i].counts[key]):
                found.append((i, key))
    return found


def protect(figures: list, lines: list) -> None:
    """Hide, in place, what must be hidden so that no count from 1 to 4 can be worked out."""
    while True:
        changed = True
        while changed:
            changed = False
            for figure in figures:
                completed = _complete_figure(figure.counts, figure.suppressed)
                if completed != figure.suppressed:
                    figure.suppressed |= completed
                    changed = True
            for line in lines:
                for key in COUNTS:
                    changed |= _line_step(line, key)
        leaks = disclosed(figures, lines)
        if not leaks:
            return
        if not _hide_more(figures, lines, leaks[0]):
            for figure in figures:  # nothing left to hide near it: publish no count at all
                figure.suppressed |= set(COUNTS)
            return


def _hide_more(figures: list, lines: list, leak) -> bool:
    """Hide one more member of an equation of the disclosed count: its line's total if shown, else
    the smallest shown part of its line, else the rest of its figure. False when all are hidden."""
    figure, key = figures[leak[0]], leak[1]
    for line in lines:
        if figure is line.total or any(p is figure for p in line.parts):
            candidates = [m for m in (line.total, *line.parts) if key not in m.suppressed]
            if candidates:
                min(candidates, key=lambda m: (m is not line.total, m.counts[key])).suppressed.add(key)
                return True
    if figure.suppressed >= set(COUNTS):
        return False
    figure.suppressed |= set(COUNTS)
    return True
