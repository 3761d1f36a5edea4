"""Set-based load of a validated listing: staging table, then upserts and positions in SQL.

Everything runs on the caller's connection inside one transaction: the caller commits or rolls back.
"""

import io
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.money import to_money
from aoapp.credit.collectibility import Band, dpd_kol_sql

STAGING = "listing_staging"
STAGING_COLUMNS = (
    ("row_no", "INTEGER"),
    ("account_no", "VARCHAR(40)"),
    ("cif", "VARCHAR(30)"),
    ("customer_name", "VARCHAR(120)"),
    ("officer_id", "INTEGER"),
    ("branch_id", "INTEGER"),
    ("product_id", "INTEGER"),
    ("segment", "VARCHAR(20)"),
    ("plafond", "NUMERIC(18, 2)"),
    ("outstanding", "NUMERIC(18, 2)"),
    ("arrears_principal", "NUMERIC(18, 2)"),
    ("arrears_interest", "NUMERIC(18, 2)"),
    ("dpd", "INTEGER"),
    ("kol", "INTEGER"),
    ("interest_rate", "NUMERIC(7, 4)"),
    ("start_date", "DATE"),
    ("maturity_date", "DATE"),
    ("restructured", "BOOLEAN"),
)
FACILITY_FIELDS = (
    "customer_id",
    "product_id",
    "plafond",
    "interest_rate",
    "start_date",
    "maturity_date",
    "restructured",
    "status",
)

POSITION_VALUES = (
    "customer_id",
    "officer_id",
    "branch_id",
    "outstanding",
    "arrears_principal",
    "arrears_interest",
    "dpd",
    "file_kol",
    "dpd_kol",
    "facility_kol",
    "debtor_kol",
    "kol_rule",
    "prev_dpd",
    "prev_kol",
    "import_id",
)


class Loader:
    """Loads one validated listing for one as-of date."""

    def __init__(
        self,
        connection: sa.Connection,
        *,
        as_of: date,
        import_id: int,
        partial: bool,
        actor_id: int | None,
        bands: list[Band],
        now: datetime,
        progress: Callable[[str, int], None] | None = None,
    ):
        self.conn = connection
        self.pg = connection.dialect.name == "postgresql"
        self.windowed = False
        self.as_of = as_of
        self.import_id = import_id
        self.partial = partial
        self.actor_id = actor_id
        self.bands = bands
        self.now = now
        self.progress = progress or (lambda stage, percent: None)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    # -- helpers ---------------------------------------------------------------------------
    def _sql(self, statement: str, params: dict | None = None):
        return self.conn.execute(
            sa.text(statement), {"as_of": self.as_of, "now": self._now(), **(params or {})}
        )

    def _now(self):
        return self.now if self.pg else self.now.replace(tzinfo=None)

    def _greatest(self, *args: str) -> str:
        return f"{'GREATEST' if self.pg else 'MAX'}({', '.join(args)})"

    def _step(self, name: str, percent: int, work: Callable[[], None]) -> None:
        self.progress(name, percent)
        started = time.perf_counter()
        work()
        self.timings[name] = round(time.perf_counter() - started, 2)

    # -- the load ----------------------------------------------------------------------------
    def run(self, table: pa.Table) -> dict:
        """Stage the rows, upsert customers and facilities, write positions, close the missing."""
        if (
            self.pg
        ):  # one big set-based transaction: hash in memory, and don't wait for fsync per step
            self._sql("SET LOCAL work_mem = '256MB'")
            self._sql("SET LOCAL synchronous_commit = off")
        self._step("staging", 35, lambda: self._stage(table))
        latest = self._sql("SELECT MAX(as_of) FROM positions").scalar()
        # A back-dated listing adds its date's positions but neither reopens, closes nor
        # overwrites customers and facilities that a newer listing already describes.
        self.backdated = latest is not None and _as_date(latest) > self.as_of
        self._step("customers", 45, self._customers)
        self._step("facilities", 55, self._facilities)
        self._step("positions", 70, self._positions)
        self._step("one-obligor", 85, self._one_obligor)
        if not self.partial:
            self._step("closing", 92, self._close_missing)
        self._step("summary", 96, self._summary)
        self._sql(f"DROP TABLE {STAGING}")
        return {"counts": self.counts, "timings": self.timings}

    def _stage(self, table: pa.Table) -> None:
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGING_COLUMNS)
        self._sql(f"DROP TABLE IF EXISTS {STAGING}")
        self._sql(f"CREATE TEMPORARY TABLE {STAGING} ({columns})")
        names = [name for name, _ in STAGING_COLUMNS]
        table = table.select(names)
        if self.pg:
            buffer = io.BytesIO()
            pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
            raw = self.conn.connection.driver_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {STAGING} ({', '.join(names)}) FROM STDIN (FORMAT csv)") as copy,
            ):
                view = buffer.getbuffer()
                for start in range(0, len(view), 1 << 20):
                    copy.write(view[start : start + (1 << 20)])
            self._sql(f"CREATE INDEX ix_{STAGING}_account ON {STAGING} (account_no)")
            self._sql(f"ANALYZE {STAGING}")
        else:
            placeholders = ", ".join("?" for _ in names)
            cursor = self.conn.connection.driver_connection
            for batch in table.to_batches(max_chunksize=50_000):  # bounded memory
                rows = zip(*(_sqlite_values(batch.column(n)) for n in names), strict=True)
                cursor.executemany(f"INSERT INTO {STAGING} VALUES ({placeholders})", rows)
            self._sql(f"CREATE INDEX ix_{STAGING}_account ON {STAGING} (account_no)")
            self._sql(f"CREATE INDEX ix_{STAGING}_cif ON {STAGING} (cif)")
        self.counts["rows"] = table.num_rows

    def _customers(self) -> None:
        changed = []
        if not self.backdated:
            changed = self._sql(
                f"""
                SELECT c.id, c.cif, c.name, c.officer_id, c.branch_id, g.name, g.officer_id, g.branch_id
                FROM customers c
                JOIN (SELECT cif, MIN(customer_name) AS name, MIN(officer_id) AS officer_id,
                             MIN(branch_id) AS branch_id
                      FROM {STAGING} GROUP BY cif) g ON g.cif = c.cif
                WHERE c.name <> g.name OR c.branch_id <> g.branch_id
                   OR c.officer_id IS NULL OR c.officer_id <> g.officer_id
                """
            ).all()
        # Changes are looked for before the inserts, so new rows are not compared with themselves.
        created = self._sql(
            f"""
            INSERT INTO customers (cif, name, customer_type, segment, branch_id, officer_id, since,
                                   address, created_at, updated_at)
            SELECT s.cif, MIN(s.customer_name), 'individual', MIN(s.segment), MIN(s.branch_id),
                   MIN(s.officer_id), MIN(s.start_date), '', :now, :now
            FROM {STAGING} s
            WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.cif = s.cif)
            GROUP BY s.cif
            """
        ).rowcount
        if changed:
            self.conn.execute(
                sa.text(
                    "UPDATE customers SET name = :name, officer_id = :officer_id,"
                    " branch_id = :branch_id, updated_at = :now WHERE id = :id"
                ),
                [
                    {
                        "id": r[0],
                        "name": r[5],
                        "officer_id": r[6],
                        "branch_id": r[7],
                        "now": self._now(),
                    }
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

    def _facilities(self) -> None:
        restructured = "COALESCE(s.restructured, f.restructured)"
        changed = []
        if not self.backdated:
            changed = self._sql(
                f"""
                SELECT f.id, f.customer_id, f.product_id, f.plafond, f.interest_rate, f.start_date,
                       f.maturity_date, f.restructured, f.status, f.restructured_on,
                       c.id, s.product_id, s.plafond, s.interest_rate, s.start_date, s.maturity_date,
                       {restructured}
                FROM facilities f
                JOIN {STAGING} s ON s.account_no = f.account_no
                JOIN customers c ON c.cif = s.cif
                WHERE f.customer_id <> c.id OR f.product_id <> s.product_id OR f.plafond <> s.plafond
                   OR f.interest_rate <> s.interest_rate OR f.start_date <> s.start_date
                   OR f.maturity_date <> s.maturity_date OR f.status <> 'active'
                   OR f.restructured <> {restructured}
                """
            ).all()
        # Changes are looked for before the inserts, so new rows are not compared with themselves.
        created = self._sql(
            f"""
            INSERT INTO facilities (account_no, customer_id, product_id, currency, plafond,
                interest_rate, start_date, maturity_date, purpose, collateral_description,
                restructured, restructured_on, status, created_at, updated_at)
            SELECT s.account_no, c.id, s.product_id, 'IDR', s.plafond, s.interest_rate,
                   s.start_date, s.maturity_date, '', '', COALESCE(s.restructured, FALSE),
                   CASE WHEN s.restructured THEN :as_of END, 'active', :now, :now
            FROM {STAGING} s JOIN customers c ON c.cif = s.cif
            WHERE NOT EXISTS (SELECT 1 FROM facilities f WHERE f.account_no = s.account_no)
            """
        ).rowcount
        updates, audits = [], []
        for r in changed:
            values = dict(zip(FACILITY_FIELDS, (*r[10:17], "active"), strict=True))
            before, after = _audited(r[1:9]), _audited((*r[10:17], "active"))
            newly_restructured = bool(after["restructured"]) and not bool(before["restructured"])
            updates.append(
                {
                    **values,
                    "id": r[0],
                    "now": self._now(),
                    "restructured_on": self.as_of if newly_restructured else r[9],
                }
            )
            audits.append((r[0], before, after))
        if updates:
            self.conn.execute(
                sa.text(
                    "UPDATE facilities SET customer_id = :customer_id, product_id = :product_id,"
                    " plafond = :plafond, interest_rate = :interest_rate, start_date = :start_date,"
                    " maturity_date = :maturity_date, restructured = :restructured,"
                    " restructured_on = :restructured_on, status = :status, closed_on = NULL,"
                    " updated_at = :now WHERE id = :id"
                ),
                updates,
            )
            self._audit("facility", audits)
        self.counts["facilities_created"] = created
        self.counts["facilities_updated"] = len(updates)

    def _positions(self) -> None:
        if not self.partial:  # a full listing is the whole date: unlisted facilities' positions go
            self._sql(
                f"""DELETE FROM positions WHERE as_of = :as_of AND NOT EXISTS
                    (SELECT 1 FROM facilities f JOIN {STAGING} s ON s.account_no = f.account_no
                     WHERE f.id = positions.facility_id)"""
            )
        # A re-import of the date updates its positions in place, so their ids (which audit
        # entries and upgrades point to) stay; a first import of the date is a plain insert.
        replacing = self._sql("SELECT 1 FROM positions WHERE as_of = :as_of LIMIT 1").first()
        upsert = ""
        if replacing is not None:
            upsert = "ON CONFLICT (facility_id, as_of) DO UPDATE SET " + ", ".join(
                f"{name} = excluded.{name}" for name in POSITION_VALUES
            )
        previous = self._sql("SELECT MAX(as_of) FROM positions WHERE as_of < :as_of").scalar()
        dpd_kol = dpd_kol_sql("s.dpd", self.bands)
        # When this insert writes every position of the date, the one-obligor rule is a window
        # over the debtor's rows; otherwise _one_obligor() settles it over the whole date.
        self.windowed = replacing is None
        debtor = (
            "MAX(w.fac_kol) OVER (PARTITION BY w.customer_id)" if self.windowed else "w.fac_kol"
        )
        self._sql(
            f"""
            INSERT INTO positions (facility_id, as_of, customer_id, officer_id, branch_id,
                outstanding, arrears_principal, arrears_interest, dpd, file_kol, dpd_kol,
                facility_kol, debtor_kol, kol_rule, prev_dpd, prev_kol, import_id)
            SELECT w.facility_id, :as_of, w.customer_id, w.officer_id, w.branch_id, w.outstanding,
                   w.arrears_principal, w.arrears_interest, w.dpd, w.kol, w.dpd_kol,
                   w.fac_kol, {debtor},
                   CASE WHEN {debtor} > w.fac_kol THEN 'one_obligor'
                        WHEN w.held > w.base THEN 'restructure_hold'
                        WHEN COALESCE(w.kol, 0) > w.dpd_kol THEN 'file' ELSE 'dpd' END,
                   w.prev_dpd, w.prev_kol, :import_id
            FROM (SELECT y.*, {self._greatest("y.base", "y.held")} AS fac_kol FROM (
                SELECT f.id AS facility_id, f.customer_id, s.officer_id, s.branch_id,
                       s.outstanding, s.arrears_principal, s.arrears_interest, s.dpd, s.kol,
                       {dpd_kol} AS dpd_kol,
                       {self._greatest(dpd_kol, "COALESCE(s.kol, 0)")} AS base,
                       CASE WHEN f.restructured THEN COALESCE(u.to_kol, p.facility_kol, 0)
                            ELSE 0 END AS held,
                       p.dpd AS prev_dpd, p.debtor_kol AS prev_kol
                FROM {STAGING} s
                JOIN facilities f ON f.account_no = s.account_no
                LEFT JOIN positions p ON p.facility_id = f.id AND p.as_of = :previous
                LEFT JOIN (SELECT facility_id, MIN(to_kol) AS to_kol FROM kol_upgrades
                           WHERE as_of = :as_of GROUP BY facility_id) u ON u.facility_id = f.id
            ) y) w
            WHERE TRUE {upsert}
            """,
            {"previous": previous, "import_id": self.import_id},
        )
        self.counts["previous_as_of"] = (
            previous.isoformat() if isinstance(previous, date) else previous
        )

    def _one_obligor(self) -> None:
        """Every facility of a debtor carries the worst facility Kol of that debtor on the date."""
        own_rule = (
            f"CASE WHEN positions.facility_kol > "
            f"{self._greatest('positions.dpd_kol', 'COALESCE(positions.file_kol, 0)')} "
            "THEN 'restructure_hold' WHEN COALESCE(positions.file_kol, 0) > positions.dpd_kol "
            "THEN 'file' ELSE 'dpd' END"
        )
        if not self.windowed:  # else the insert's window already settled every debtor
            self._settle_debtors(own_rule)
        self._refresh_following()

    def _settle_debtors(self, own_rule: str) -> None:
        self._sql(
            f"""
            UPDATE positions
            SET debtor_kol = m.worst,
                kol_rule = CASE WHEN m.worst > positions.facility_kol THEN 'one_obligor'
                                ELSE {own_rule} END
            FROM (SELECT customer_id, MAX(facility_kol) AS worst FROM positions
                  WHERE as_of = :as_of GROUP BY customer_id) m
            WHERE positions.as_of = :as_of AND positions.customer_id = m.customer_id
              AND positions.debtor_kol <> m.worst
            """
        )

    def _refresh_following(self) -> None:
        following = self._sql("SELECT MIN(as_of) FROM positions WHERE as_of > :as_of").scalar()
        if following is not None:  # a back-dated import: the next listing's comparison moves
            self._sql(
                """
                UPDATE positions AS n SET prev_dpd = p.dpd, prev_kol = p.debtor_kol
                FROM positions p
                WHERE n.as_of = :following AND p.as_of = :as_of AND p.facility_id = n.facility_id
                """,
                {"following": following},
            )

    def _close_missing(self) -> None:
        """A full listing holds every active facility: the others closed on this date."""
        if self.backdated:
            self.counts["facilities_closed"] = 0  # an older listing does not close today's loans
            return
        missing = f"""
            FROM facilities f
            WHERE f.status = 'active' AND f.start_date <= :as_of
              AND NOT EXISTS (SELECT 1 FROM {STAGING} s WHERE s.account_no = f.account_no)
        """
        closing = self._sql(f"SELECT f.id {missing}").scalars().all()
        if closing:
            self._audit(
                "facility",
                [
                    (
                        fid,
                        {"status": "active", "closed_on": None},
                        {"status": "closed", "closed_on": self.as_of.isoformat()},
                    )
                    for fid in closing
                ],
                action="close",
            )
            self._sql(
                f"UPDATE facilities SET status = 'closed', closed_on = :as_of, updated_at = :now"
                f" WHERE id IN (SELECT f.id {missing})"
            )
        self.counts["facilities_closed"] = len(closing)

    def _summary(self) -> None:
        rows = self._sql(
            "SELECT debtor_kol, COUNT(*), SUM(outstanding) FROM positions WHERE as_of = :as_of"
            " GROUP BY debtor_kol ORDER BY debtor_kol"
        ).all()
        self.counts["kol_distribution"] = {
            str(kol): {"count": count, "outstanding": str(to_money(str(total)))}
            for kol, count, total in rows
        }
        moves = self._sql(
            "SELECT SUM(CASE WHEN debtor_kol < prev_kol THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN debtor_kol > prev_kol THEN 1 ELSE 0 END)"
            " FROM positions WHERE as_of = :as_of AND prev_kol IS NOT NULL"
        ).one()
        self.counts["upgrades"] = int(moves[0] or 0)
        self.counts["downgrades"] = int(moves[1] or 0)

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
                    "before": _jsonable(before),
                    "after": _jsonable({**after, "import_id": self.import_id}),
                }
                for eid, before, after in changes
            ],
        )


def _audited(values) -> dict:
    """Facility fields as audited: money to the sen, rate to 4 places, on every database.

    SQLite hands NUMERIC back as int or float, PostgreSQL as Decimal; the audit must not differ.
    """
    out = dict(zip(FACILITY_FIELDS, values, strict=True))
    if out["plafond"] is not None:
        out["plafond"] = to_money(str(out["plafond"]))
    if out["interest_rate"] is not None:
        out["interest_rate"] = Decimal(str(out["interest_rate"])).quantize(Decimal("0.0001"))
    if out["restructured"] is not None:
        out["restructured"] = bool(out["restructured"])
    for key in ("start_date", "maturity_date"):
        out[key] = _as_date(out[key])
    return out


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _jsonable(values: dict) -> dict:
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
