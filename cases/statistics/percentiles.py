"""Percentiles read off counts (a histogram: how many values of each size), with the continuous
percentile of PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks.
The time to designation is counted in whole days (DelayFigure), so the percentiles are exact to the
day — the unit the pages show — and cost as many rows as there are distinct delays, not notices."""


def from_counts(counts: dict, fractions) -> tuple:
    """(count, [value at each fraction]) of the values that `counts` ({value: how many}) holds,
    with the same continuous percentile as percentile_cont (linear interpolation between the two
    nearest ranks): the percentiles of a histogram, exact to its unit."""
    fractions = [float(f) for f in fractions]
    if not all(0 <= f <= 1 for f in fractions):
        raise ValueError("percentile fractions lie between 0 and 1")
    ordered = sorted((value, n) for value, n in counts.items() if n)
    total = sum(n for _value, n in ordered)
    if not total:
        return 0, [None] * len(fractions)

    def at(rank):  # the value at 0-based rank `rank` of the sorted values
        seen = 0
        for value, n in ordered:
            seen += n
            if rank < seen:
                return value
        return ordered[-1][0]

    out = []
    for f in fractions:
        position = f * (total - 1)
        low = int(position)
        below, above = at(low), at(min(low + 1, total - 1))
        out.append(float(below + (position - low) * (above - below)))
    return total, out
