"""The set-based steps every listing kind's load shares: a staging table filled at once (COPY on
PostgreSQL), customers upserted by CIF, accounts a full listing no longer holds closed, audit
entries written in bulk. A kind's loader subclasses `SetLoad` and adds its own tables.

Everything runs on the caller's connection inside one transaction: the caller commits or rolls back.
"""

import io
import time
from collections.abc import Callable
from datetime import date, datetime

import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.imports import bulk
from aoapp.imports.holds import held_sql

Progress = Callable[[str, int], None]


class SetLoad:
    """One validated listing of one kind for one as-of date, loaded set-based.

    A subclass names its staging table and columns, and the table of its positions (a listing is
    back-dated when that table already holds a later date).
    """

    STAGING = "listing_staging"
    STAGING_COLUMNS: tuple[tuple[str, str], ...] = ()
    POSITIONS = "positions"

    def __init__(
        self,
        connection: sa.Connection,
        *,
        as_of: date,
        import_id: int,
        partial: bool,
        actor_id: int | None,
        now: datetime,
        progress: Progress | None = None,
    ):
        self.conn = connection
        self.pg = connection.dialect.name == "postgresql"
        self.as_of = as_of
        self.import_id = import_id
        self.partial = partial
        self.actor_id = actor_id
        self.now = now
        self.progress = progress or (lambda stage, percent: None)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.backdated = False

    # -- helpers ---------------------------------------------------------------------------
    def _sql(self, statement: str, params: dict | None = None):
        return self.conn.execute(
            sa.text(statement), {"as_of": self.as_of, "now": self._now(), **(params or {})}
        )

    def _now(self):
        return self.now if self.pg else self.now.replace(tzinfo=None)

    def _greatest(self, *args: str) -> str:
        return f"{'GREATEST' if self.pg else 'MAX'}({', '.join(args)})"

    def _lap(self, name: str) -> None:
        """Seconds since the step began or the last lap, recorded as `step:name`."""
        now = time.perf_counter()
        self.timings[f"{self._current}:{name}"] = round(now - self._lap_at, 2)
        self._lap_at = now

    def _step(self, name: str, percent: int, work: Callable[[], None]) -> None:
        self.progress(name, percent)
        started = self._lap_at = time.perf_counter()
        self._current = name
        work()
        self.timings[name] = round(time.perf_counter() - started, 2)

    def _begin(self) -> None:
        """One big set-based transaction: hash in memory, and don't wait for fsync per step."""
        if self.pg:
            self._sql("SET LOCAL work_mem = '256MB'")
            self._sql("SET LOCAL synchronous_commit = off")

    def _find_backdated(self) -> None:
        """A back-dated listing adds its date's positions but neither reopens, closes nor
        overwrites the customers and accounts that a newer listing already describes."""
        latest = self._sql(f"SELECT MAX(as_of) FROM {self.POSITIONS}").scalar()
        self.backdated = latest is not None and as_date(latest) > self.as_of

    # -- staging ---------------------------------------------------------------------------
    def _stage(self, table: pa.Table) -> None:
        """The validated rows into a temporary table indexed by account number (and CIF)."""
        staging = self.STAGING
        columns = ", ".join(f"{name} {kind}" for name, kind in self.STAGING_COLUMNS)
        self._sql(f"DROP TABLE IF EXISTS {staging}")
        self._sql(f"CREATE TEMPORARY TABLE {staging} ({columns})")
        names = [name for name, _ in self.STAGING_COLUMNS]
        table = table.select(names)
        if self.pg:
            buffer = io.BytesIO()
            pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
            raw = self.conn.connection.driver_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {staging} ({', '.join(names)}) FROM STDIN (FORMAT csv)") as copy,
            ):
                view = buffer.getbuffer()
                for start in range(0, len(view), 1 << 20):
                    copy.write(view[start : start + (1 << 20)])
            self._sql(f"CREATE INDEX ix_{staging}_account ON {staging} (account_no)")
            self._sql(f"ANALYZE {staging}")
        else:
            placeholders = ", ".join("?" for _ in names)
            cursor = self.conn.connection.driver_connection
            for batch in table.to_batches(max_chunksize=50_000):  # bounded memory
                rows = zip(*(_sqlite_values(batch.column(n)) for n in names), strict=True)
                cursor.executemany(f"INSERT INTO {staging} VALUES ({placeholders})", rows)
            self._sql(f"CREATE INDEX ix_{staging}_account ON {staging} (account_no)")
            self._sql(f"CREATE INDEX ix_{staging}_cif ON {staging} (cif)")
        self.counts["rows"] = table.num_rows

    # -- customers ---------------------------------------------------------------------------
    def _upsert_customers(self, since: str, updatable: str = "TRUE") -> None:
        """Customers by CIF: the listing's new CIFs created (named, with the listed officer and
        branch, a segment, customer since the earliest `since` date of their rows); the name,
        officer and branch of existing ones updated and audited where `updatable` (SQL on `c`,
        the customer) holds. A back-dated listing creates but never updates.

        Customers a feature holds (imports.holds: a handover pending core banking's update) keep
        their officer and branch, whatever the listing says; their names still update."""
        staging = self.STAGING
        changed = []
        if not self.backdated:
            held_ids = held_sql()
            held = "h.customer_id IS NOT NULL" if held_ids else "FALSE"
            join_held = (
                f"LEFT JOIN (SELECT DISTINCT customer_id FROM ({held_ids}) k) h"
                " ON h.customer_id = c.id"
                if held_ids
                else ""
            )
            changed = self._sql(
                f"""
                SELECT c.id, c.cif, c.name, c.officer_id, c.branch_id, g.name,
                       CASE WHEN {held} THEN c.officer_id ELSE g.officer_id END,
                       CASE WHEN {held} THEN c.branch_id ELSE g.branch_id END
                FROM customers c
                JOIN (SELECT cif, MIN(customer_name) AS name, MIN(officer_id) AS officer_id,
                             MIN(branch_id) AS branch_id
                      FROM {staging} GROUP BY cif) g ON g.cif = c.cif
                {join_held}
                WHERE (c.name <> g.name
                       OR (NOT ({held}) AND (c.branch_id <> g.branch_id
                           OR c.officer_id IS NULL OR c.officer_id <> g.officer_id)))
                  AND {updatable}
                """
            ).all()
        # Changes are looked for before the inserts, so new rows are not compared with themselves.
        with bulk.built_after_if_empty(self.conn, "customers", self.counts["rows"]):
            created = self._insert_customers(since)
        if changed:
            self.conn.execute(
                sa.text(
                    "UPDATE customers SET name = :name, officer_id = :officer_id,"
                    " branch_id = :branch_id, updated_at = :now WHERE id = :id"
                ),
                [
                    {"id": r[0], "name": r[5], "officer_id": r[6], "branch_id": r[7]}
                    | {"now": self._now()}
                    for r in changed
                ],
            )
            self._audit(
                "customer",
                [
                    (
                        r[0],
                        {"name": r[2], "officer_id": r[3], "branch_id": r[4]},
                        {"name": r[5], "officer_id": r[6], "branch_id": r[7]},
                    )
                    for r in changed
                ],
            )
        self.counts["customers_created"] = created
        self.counts["customers_updated"] = len(changed)

    def _insert_customers(self, since: str) -> int:
        """The listing's new CIFs, each once, as customers (a segment, since their first date)."""
        return self._sql(
            f"""
            INSERT INTO customers (cif, name, customer_type, segment, branch_id, officer_id, since,
                                   address, created_at, updated_at)
            SELECT s.cif, MIN(s.customer_name), 'individual', MIN(s.segment), MIN(s.branch_id),
                   MIN(s.officer_id), MIN(s.{since}), '', :now, :now
            FROM {self.STAGING} s
            WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.cif = s.cif)
            GROUP BY s.cif
            """
        ).rowcount

    # -- closing -----------------------------------------------------------------------------
    def _close_missing(self, table: str, entity: str, start: str, counter: str) -> None:
        """A full listing holds every open account of its kind: the others (opened by then) are
        closed on its date, each audited with the status it had."""
        if self.backdated:
            self.counts[counter] = 0  # an older listing does not close today's accounts
            return
        missing = f"""
            FROM {table} f
            WHERE f.status <> 'closed' AND f.{start} <= :as_of
              AND NOT EXISTS (SELECT 1 FROM {self.STAGING} s WHERE s.account_no = f.account_no)
        """
        closed = f"UPDATE {table} SET status = 'closed', closed_on = :as_of, updated_at = :now"
        if self.pg:  # one pass: the accounts closed and the status each had, read as updated
            closing = self._sql(
                f"{closed} FROM (SELECT f.id, f.status {missing}) was"
                f" WHERE {table}.id = was.id RETURNING was.id, was.status"
            ).all()
        else:  # SQLite's RETURNING cannot name the FROM clause: read, then update
            closing = self._sql(f"SELECT f.id, f.status {missing}").all()
            self._sql(f"{closed} WHERE id IN (SELECT f.id {missing})")
        if closing:
            self._audit(
                entity,
                [
                    (
                        row_id,
                        {"status": status, "closed_on": None},
                        {"status": "closed", "closed_on": self.as_of.isoformat()},
                    )
                    for row_id, status in sorted(closing)
                ],
                action="close",
            )
        self.counts[counter] = len(closing)

    # -- audit -------------------------------------------------------------------------------
    def _audit(
        self, entity: str, changes: list[tuple[int, dict, dict]], action: str = "update"
    ) -> None:
        """Audit entries for changed records, written in bulk, attributed to the importing user."""
        self.conn.execute(
            sa.insert(AuditEntry.__table__),
            [
                {
                    "at": self.now,
                    "actor_id": self.actor_id,
                    "entity_type": entity,
                    "entity_id": eid,
                    "action": action,
                    "before": jsonable(before),
                    "after": jsonable({**after, "import_id": self.import_id}),
                }
                for eid, before, after in changes
            ],
        )


def as_date(value) -> date:
    """A DATE as the database hands it back (SQLite: ISO text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def jsonable(values: dict) -> dict:
    """Audited values as JSON: dates in ISO, decimals as text."""
    out = {}
    for key, value in values.items():
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, bool | int | str):
            value = str(value)
        out[key] = value
    return out


def _sqlite_values(column: pa.Array | pa.ChunkedArray) -> list:
    """Python values SQLite accepts: dates as ISO text, the rest as they are."""
    values = column.to_pylist()
    if pa.types.is_date(column.type):
        return [v.isoformat() if v is not None else None for v in values]
    return values
