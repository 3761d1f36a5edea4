"""Statistics for PostgreSQL's planner right after a listing changed many rows.

Autovacuum analyzes a table once more than 50 rows + 10 % of it changed since its last ANALYZE,
but only at its next round, a minute or more later. Work that runs straight after an import
would be planned on no statistics (a freshly loaded table: every range estimated at a row or
two, hence nested loops over tens of thousands of rows) or on last month's. `analyze_stale`
does what autovacuum is about to do, first, and only then: a table whose statistics are current
is left alone. A listing's date is its own case: a table of many months' positions gains under
10 % a month, so its statistics may well not know the newest date at all (the planner then
expects one row of it, not a million); `analyze_unseen` analyzes that one column then, which
leaves the rest of the table to autovacuum (a date of a handful of rows may never show in the
statistics: it is analyzed each time, which is as cheap as a sample of its column). SQLite (no planner statistics to speak of here)
does nothing.
"""

import logging

import sqlalchemy as sa

from aoapp.extensions import db

log = logging.getLogger(__name__)
THRESHOLD_ROWS, THRESHOLD_SHARE = 50, 0.1  # autovacuum_analyze_threshold and _scale_factor
WAIT_MS = 200  # a table locked by a running VACUUM or ANALYZE is left to it

STALE = sa.text(
    "SELECT relname FROM pg_stat_user_tables"
    " WHERE schemaname = current_schema() AND relname IN :names AND ("
    " COALESCE(last_analyze, last_autoanalyze) IS NULL"
    " OR n_mod_since_analyze > :rows + :share * n_live_tup)"
).bindparams(sa.bindparam("names", expanding=True))

# The statistics of the date column know `day`: among its most common values, or within its
# histogram (a column of more dates than the statistics target keeps).
SEEN = sa.text(
    "SELECT 1 FROM pg_stats WHERE schemaname = current_schema()"
    " AND tablename = :table AND attname = :column AND ("
    " CAST(:day AS date) = ANY (CAST(CAST(most_common_vals AS text) AS date[]))"
    " OR CAST(:day AS date) <= (SELECT max(bound)"
    " FROM unnest(CAST(CAST(histogram_bounds AS text) AS date[])) AS bound))"
)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _analyze(connection: sa.Connection, target: str) -> bool:
    """ANALYZE `target` in a short transaction of its own; False when a running VACUUM or
    ANALYZE of the table holds it (then that one brings the statistics)."""
    try:
        with connection.begin():
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {WAIT_MS}")
            connection.exec_driver_sql(f"ANALYZE {target}")
    except sa.exc.OperationalError:
        log.info("%s not analyzed: a vacuum or analyze of it is running", target)
        return False
    return True


def analyze_unseen(table: str, column: str, day) -> bool:
    """ANALYZE `table`'s date `column` when its statistics have not seen `day` (None: no
    listing yet); whether it did."""
    if day is None or not _postgresql():
        return False
    with db.engine.connect() as connection:
        params = {"table": table, "column": column, "day": day}
        with connection.begin():  # the read ends before ANALYZE's own transaction
            seen = connection.scalar(SEEN, params) is not None
        return not seen and _analyze(connection, f'"{table}" ("{column}")')


def analyze_stale(*tables: str) -> list[str]:
    """ANALYZE those of `tables` (names of aoapp's tables) never analyzed or changed past
    autovacuum's threshold since; each in its own short transaction. The ones analyzed."""
    if not tables or not _postgresql():
        return []
    with db.engine.connect() as connection:
        params = {"names": sorted(set(tables)), "rows": THRESHOLD_ROWS, "share": THRESHOLD_SHARE}
        with connection.begin():  # the read ends before each ANALYZE's own transaction
            stale = connection.scalars(STALE, params).all()
        return [name for name in sorted(stale) if _analyze(connection, f'"{name}"')]
