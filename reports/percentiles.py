"""Percentiles computed by the database. PostgreSQL has the ordered-set aggregate percentile_cont;
SQLite has none, so there the same continuous percentile (linear interpolation between the two
nearest ranks, as percentile_cont does) is read off ROW_NUMBER() and COUNT(*) windows."""
from django.db import connection, transaction

SORT_MEMORY = "64MB"


def percentiles(queryset, field: str, fractions, group_by: str | None = None) -> dict:
    """{group: (count, [value at each fraction])} over the non-null `field` of `queryset` (a
    queryset whose SQL selects nothing else matters: it is wrapped); the single group is None
    when `group_by` is None. One query."""
    fractions = [float(f) for f in fractions]
    if not all(0 <= f <= 1 for f in fractions):
        raise ValueError("percentile fractions lie between 0 and 1")
    columns = {"v": field} if group_by is None else {"v": field, "g": group_by}
    sql, params = queryset.order_by().values(**{f"pct_{k}": _f(v) for k, v in columns.items()}).query.sql_with_params()
    qn = connection.ops.quote_name
    value, group = f"s.{qn('pct_v')}", (f"s.{qn('pct_g')}" if group_by else "NULL")
    if connection.vendor == "postgresql":
        # One sort for every fraction: percentile_cont over an array of fractions.
        array = ", ".join(str(f) for f in fractions)
        query = (f"SELECT {group} AS g, COUNT({value}), percentile_cont(ARRAY[{array}]) WITHIN GROUP "
                 f"(ORDER BY {value}) FROM ({sql}) s WHERE {value} IS NOT NULL GROUP BY 1 ORDER BY 1")
    else:
        parts = []
        for f in fractions:
            pos = f"({f} * (n - 1))"
            low = f"CAST({pos} AS INTEGER)"
            at_low = f"MAX(CASE WHEN i = {low} THEN v END)"
            at_high = f"MAX(CASE WHEN i = {low} + 1 THEN v END)"
            parts.append(f"{at_low} + ({pos} - {low}) * (COALESCE({at_high}, {at_low}) - {at_low})")
        partition = f"PARTITION BY {group} " if group_by else ""
        query = (f"SELECT g, MAX(n), {', '.join(parts)} FROM ("
                 f"SELECT {group} AS g, {value} AS v, ROW_NUMBER() OVER ({partition}ORDER BY {value}) - 1 AS i, "
                 f"COUNT(*) OVER ({partition.strip()}) AS n FROM ({sql}) s WHERE {value} IS NOT NULL) r "
                 f"GROUP BY g ORDER BY g")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sort of a country's five years of delays fits in memory with this much; for
            # this statement only (SET LOCAL ends with the transaction).
            cursor.execute("SET LOCAL work_mem = '%s'" % SORT_MEMORY)
        cursor.execute(query, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        rows = [(row[0], row[1], *row[2]) for row in rows]
    out = {row[0]: (row[1] or 0, [float(x) if x is not None else None for x in row[2:]]) for row in rows}
    if group_by is None and None not in out:
        out[None] = (0, [None] * len(fractions))
    return out


def _f(value):
    from django.db.models import F
    from django.db.models.expressions import BaseExpression

    return value if isinstance(value, BaseExpression) else F(value)
