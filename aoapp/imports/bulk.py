"""The first listing into an empty bank, loaded as pg_restore loads a table: secondary indexes and
foreign keys dropped, the rows inserted, then each index built once and each key validated by one
set-based check, instead of a million index insertions and key lookups row by row.

Only for a big listing (below MIN_ROWS the rebuild costs more than it saves) into a table that is
still empty (nobody can be reading what is not there yet), and only on PostgreSQL; everything stays in the import's transaction, so a failed load leaves the table, its
indexes and its keys as they were.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

MIN_ROWS = 50_000
SECONDARY_INDEXES = sa.text(
    """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = CAST(:table AS regclass)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
       ORDER BY i.relname"""
)
FOREIGN_KEYS = sa.text(
    """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
       WHERE conrelid = CAST(:table AS regclass) AND contype = 'f' ORDER BY conname"""
)


@contextmanager
def built_after_if_empty(conn: sa.Connection, table: str, rows: int) -> Iterator[bool]:
    """Around the inserts of up to `rows` rows into `table`: yields whether its indexes and keys
    were set aside."""
    empty = (
        conn.dialect.name == "postgresql"
        and rows >= MIN_ROWS
        and not conn.scalar(
            sa.text(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 (a table name we own)
        )
    )
    if not empty:
        yield False
        return
    indexes = conn.execute(SECONDARY_INDEXES, {"table": table}).all()
    keys = conn.execute(FOREIGN_KEYS, {"table": table}).all()
    for name, _definition in keys:
        conn.execute(sa.text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _definition in indexes:
        conn.execute(sa.text(f'DROP INDEX "{name}"'))
    yield True
    conn.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
    for _name, definition in indexes:
        conn.execute(sa.text(definition))
    for name, definition in keys:
        conn.execute(sa.text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    conn.execute(sa.text(f"ANALYZE {table}"))
