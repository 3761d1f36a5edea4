"""A full listing's positions on PostgreSQL, loaded the way PostgreSQL loads bulk data.

`positions` (migration 0029) and `deposit_positions` (0042) are partitioned by calendar month of
`as_of`. Instead of inserting a listing's rows into a table whose indexes are maintained row by
row, the import builds the month's partition as a plain table — the month's other dates copied
over, the listing's positions inserted set-based (the parent's CHECKs on each row), then the keys,
indexes and a CHECK on the month built once — and swaps it in: the old partition detached and
dropped (a re-import), or the month's rows taken out of the default partition, then the new table
attached. The month's CHECK lets the attach skip its scan; everything happens in the import's
transaction, so readers see the month before or after, never half of it. A loan listing's rows are
written in branch, officer and customer order (the order its one-obligor window sorts them in
anyway): a branch's or an officer's positions of the month then lie together on a few pages
instead of one or two on each page of the month (a branch's 12,500 positions on ~300 pages
instead of 6,300), which is what a team dashboard, a watchlist or an officer's portfolio reads.
A deposits listing's are not: its figures are read from its rollups and by account, and the sort
would cost a second per million rows. The loader keeps the ids
of a re-imported date's positions (audit entries and Kol upgrades point to them).

Full listings of one parent take turns (`hold`, before their first write): an import building a
month must see the month's other dates, and swapping partitions while another import writes
would deadlock.
"""

from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa

from aoapp.common import dates, serial
from aoapp.funding.relationship_tables import hold_joined

WAIT_SECONDS = 3600  # the per-date import lock already bounds how long an import waits
# The shape a partition must have to be attached, read from the parent itself (its migrations
# and any later one), so it is written once: its keys and its partitioned indexes. Its CHECKs
# come with `LIKE … INCLUDING CONSTRAINTS`: the attach wants each the same expression as the
# parent's, and one read back as text is not always parsed into it again (an `IN` list).
PARENT_KEYS = """SELECT pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = CAST(:parent AS regclass) AND contype IN ('p', 'u') ORDER BY conname"""
PARENT_INDEXES = """SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x
    WHERE x.indrelid = CAST(:parent AS regclass)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY x.indexrelid::regclass::text"""


def hold(conn: sa.Connection, parent: str) -> None:
    """Wait for any other full listing's load into `parent` to end (held until this one's
    commit)."""
    serial.hold(conn, f"{parent}:partitions", WAIT_SECONDS)


def month_bounds(as_of: date) -> tuple[date, date]:
    """The first day of as_of's month and of the next month (a partition's range)."""
    first, last = dates.month_bounds(as_of)
    return first, last + timedelta(days=1)


def partition_name(parent: str, as_of: date) -> str:
    """The month partition of `parent` that holds as_of (`positions_p202610`)."""
    return f"{parent}_p{as_of:%Y%m}"


class MonthBuild:
    """The new partition of as_of's month of `parent`, built beside the live one and swapped in."""

    def __init__(
        self,
        conn: sa.Connection,
        parent: str,
        as_of: date,
        import_id: int,
        lap: Callable[[str], None],
    ):
        self.conn = conn
        self.parent = parent
        self.as_of = as_of
        self.start, self.end = month_bounds(as_of)
        self.name = partition_name(parent, as_of)
        self.table = f"{parent}_build_{import_id}"
        self._lap = lap  # records the seconds of each part in the import's timings

    def _sql(self, statement: str, params: dict | None = None):
        bounds = {"as_of": self.as_of, "start": self.start, "end": self.end, "parent": self.parent}
        return self.conn.execute(sa.text(statement), {**bounds, **(params or {})})

    def begin(self) -> None:
        """The empty build table, with the parent's CHECKs, and the month's other dates in it
        (after `hold`)."""
        self._sql(f"DROP TABLE IF EXISTS {self.table}")
        self._sql(
            f"CREATE TABLE {self.table}"
            f" (LIKE {self.parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        self._sql(
            f"""INSERT INTO {self.table} SELECT * FROM {self.parent}
                WHERE as_of >= :start AND as_of < :end AND as_of <> :as_of"""
        )

    def finish(self) -> None:
        """Keys and indexes as the parent's, and the month's CHECK, built once."""
        table = self.table
        self._lap("insert")
        self._sql("SET LOCAL maintenance_work_mem = '256MB'")
        keys = self._sql(PARENT_KEYS).scalars().all()
        for number, text in enumerate(keys):
            self._sql(f"ALTER TABLE {table} ADD CONSTRAINT {table}_k{number} {text}")
        self.indexes = [row[0] for row in self._sql(PARENT_INDEXES)]
        for number, text in enumerate(self.indexes):
            unique = "UNIQUE " if text.startswith("CREATE UNIQUE") else ""
            how = text.split(" USING ", 1)[1]
            self._sql(f"CREATE {unique}INDEX {table}_{number} ON {table} USING {how}")
        self.suffixes = [f"k{number}" for number in range(len(keys))]
        self.suffixes += [str(number) for number in range(len(self.indexes))]
        self._lap("indexes")
        month = f"CHECK (as_of >= DATE '{self.start}' AND as_of < DATE '{self.end}')"
        self._sql(f"ALTER TABLE {table} ADD CONSTRAINT month {month}")
        self._lap("constraints")
        self._sql(f"ANALYZE {table}")
        self._lap("analyze")

    def swap(self) -> None:
        """The built month in place of the live one: from here to the commit, the parent is
        locked against readers only when a live partition is detached (a re-import).

        The swap first waits for this import's turn among the writers of figures joining two
        listings (`hold_joined`, which the import's relationship step and rollups take anyway):
        from the swap on, readers of the parent wait, so an import of the other listing holding
        that turn and reading this parent would wait on this import while it waits on that one."""
        hold_joined(self.conn)
        table, parent = self.table, self.parent
        live = self._sql("SELECT to_regclass(:name)", {"name": self.name}).scalar()
        if live is not None:
            self._sql(f"ALTER TABLE {parent} DETACH PARTITION {self.name}")
            self._sql(f"DROP TABLE {self.name}")
        else:  # rows written one by one into the default partition now live in the build
            self._sql(f"DELETE FROM {parent}_default WHERE as_of >= :start AND as_of < :end")
        self._sql(f"ALTER TABLE {table} RENAME TO {self.name}")
        for suffix in self.suffixes:
            self._sql(f"ALTER INDEX {table}_{suffix} RENAME TO {self.name}_{suffix}")
        self._sql(
            f"ALTER TABLE {parent} ATTACH PARTITION {self.name}"
            f" FOR VALUES FROM ('{self.start}') TO ('{self.end}')"
        )
