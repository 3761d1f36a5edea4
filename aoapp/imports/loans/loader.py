"""Set-based load of a validated loan listing: the shared steps (`imports.setload`: staging,
customers by CIF, closing), then facilities, positions with their Kol, and the one-obligor rule.

Everything runs on the caller's connection inside one transaction: the caller commits or rolls back.
"""

from datetime import date
from decimal import Decimal

import pyarrow as pa
import sqlalchemy as sa

from aoapp.common.money import to_money
from aoapp.credit import rollups
from aoapp.credit.collectibility import Band, dpd_kol_sql
from aoapp.credit.models import Position
from aoapp.funding import relationship_rows
from aoapp.imports import bulk, partition
from aoapp.imports.setload import SetLoad, as_date

STAGING = "listing_staging"
CHANGES = "facility_changes"  # the listing's new and changed accounts, while they are written
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


class Loader(SetLoad):
    """Loads one validated loan listing for one as-of date."""

    STAGING = STAGING
    STAGING_COLUMNS = STAGING_COLUMNS
    POSITIONS = "positions"

    def __init__(self, connection: sa.Connection, *, bands: list[Band], **options):
        super().__init__(connection, **options)
        self.windowed = False
        self.bands = bands
        self.build: partition.MonthBuild | None = None  # PostgreSQL, a full listing
        self.following = None  # the next listing date after a back-dated one

    def run(self, table: pa.Table) -> dict:
        """Stage the rows, upsert customers and facilities, write positions, close the missing."""
        self._begin()
        if self.pg and not self.partial:
            partition.hold(self.conn, self.POSITIONS)
        self._step("staging", 35, lambda: self._stage(table))
        self._find_backdated()
        self._step("customers", 45, lambda: self._upsert_customers(since="start_date"))
        self._step("facilities", 55, self._facilities)
        self._step("positions", 70, self._positions)
        self._step("one-obligor", 80, self._one_obligor)
        if not self.partial:
            self._step(
                "closing",
                88,
                lambda: self._close_missing(
                    "facilities", "facility", start="start_date", counter="facilities_closed"
                ),
            )
        self._step("attach", 92, self._attach)
        self._step("rollups", 96, self._rollups)
        self._step(
            "relationship", 97, lambda: relationship_rows.after_import(self.conn, self.as_of)
        )
        self._step("summary", 98, self._summary)
        self._sql(f"DROP TABLE {STAGING}")
        return {"counts": self.counts, "timings": self.timings}

    def _facilities(self) -> None:
        """The listing's accounts against the facilities in one join: the new and the changed
        ones kept aside (a few thousand a month), then inserted, and updated and audited."""
        restructured = "COALESCE(s.restructured, f.restructured)"
        changed = (
            "FALSE"
            if self.backdated  # an older listing does not overwrite what a newer one said
            else f"""(f.customer_id <> c.id OR f.product_id <> s.product_id
                   OR f.plafond <> s.plafond OR f.interest_rate <> s.interest_rate
                   OR f.start_date <> s.start_date OR f.maturity_date <> s.maturity_date
                   OR f.status <> 'active' OR f.restructured <> {restructured})"""
        )
        self._sql(f"DROP TABLE IF EXISTS {CHANGES}")
        self._sql(
            f"""
            CREATE TEMPORARY TABLE {CHANGES} AS
            SELECT f.id, f.customer_id AS was_customer_id, f.product_id AS was_product_id,
                   f.plafond AS was_plafond, f.interest_rate AS was_interest_rate,
                   f.start_date AS was_start_date, f.maturity_date AS was_maturity_date,
                   f.restructured AS was_restructured, f.status AS was_status,
                   f.restructured_on AS was_restructured_on,
                   c.id AS customer_id, s.product_id, s.plafond, s.interest_rate, s.start_date,
                   s.maturity_date, {restructured} AS restructured, s.account_no,
                   s.restructured AS listed_restructured
            FROM {STAGING} s
            JOIN customers c ON c.cif = s.cif
            LEFT JOIN facilities f ON f.account_no = s.account_no
            WHERE f.id IS NULL OR {changed}
            """
        )
        self._lap("compared")
        with bulk.built_after_if_empty(self.conn, "facilities", self.counts["rows"]):
            created = self._sql(
                f"""
                INSERT INTO facilities (account_no, customer_id, product_id, currency, plafond,
                    interest_rate, start_date, maturity_date, purpose, collateral_description,
                    restructured, restructured_on, status, created_at, updated_at)
                SELECT x.account_no, x.customer_id, x.product_id, 'IDR', x.plafond, x.interest_rate,
                       x.start_date, x.maturity_date, '', '', COALESCE(x.listed_restructured, FALSE),
                       CASE WHEN x.listed_restructured THEN :as_of END, 'active', :now, :now
                FROM {CHANGES} x WHERE x.id IS NULL
                """
            ).rowcount
        self._lap("insert")
        rows = self._sql(
            f"""SELECT id, was_customer_id, was_product_id, was_plafond, was_interest_rate,
                       was_start_date, was_maturity_date, was_restructured, was_status,
                       customer_id, product_id, plafond, interest_rate, start_date,
                       maturity_date, restructured
                FROM {CHANGES} WHERE id IS NOT NULL ORDER BY id"""
        ).all()
        if rows:
            # Loan at Risk reads the restructured flag on every date: the rollups follow it.
            flipped = (
                sa.select(sa.literal_column("id"))
                .select_from(sa.table(CHANGES))
                .where(sa.text("id IS NOT NULL AND was_restructured <> restructured"))
            )
            rollups.adjust_flagged(self.conn, flipped, -1)
            self._sql(
                f"""
                UPDATE facilities SET customer_id = x.customer_id, product_id = x.product_id,
                    plafond = x.plafond, interest_rate = x.interest_rate,
                    start_date = x.start_date, maturity_date = x.maturity_date,
                    restructured_on = CASE WHEN x.restructured AND NOT facilities.restructured
                                           THEN :as_of ELSE facilities.restructured_on END,
                    restructured = x.restructured, status = 'active', closed_on = NULL,
                    updated_at = :now
                FROM {CHANGES} x WHERE facilities.id = x.id
                """
            )
            rollups.adjust_flagged(self.conn, flipped, +1)
            moved = (
                sa.select(sa.literal_column("id"))
                .select_from(sa.table(CHANGES))
                .where(sa.text("id IS NOT NULL AND was_product_id <> product_id"))
            )
            relationship_rows.rewrite_customers(
                self.conn, sa.select(Position.customer_id).where(Position.facility_id.in_(moved))
            )
            audits = [(r[0], _audited(r[1:9]), _audited((*r[9:16], "active"))) for r in rows]
            self._audit("facility", audits)
        self._lap("update")
        self._sql(f"DROP TABLE {CHANGES}")
        self.counts["facilities_created"] = created
        self.counts["facilities_updated"] = len(rows)

    def _positions(self) -> None:
        if self.pg and not self.partial:
            self._positions_by_partition()
            return
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
        previous = self._previous_as_of()
        # When this insert writes every position of the date, the one-obligor rule is a window
        # over the debtor's rows; otherwise _one_obligor() settles it over the whole date.
        self.windowed = replacing is None
        self._insert_positions("positions", upsert, previous)

    def _positions_by_partition(self) -> None:
        """PostgreSQL, a full listing: the month's partition built and swapped in
        (imports/partition.py); the insert holds the whole date, so the one-obligor rule is its
        window."""
        build = self.build = partition.MonthBuild(
            self.conn, self.POSITIONS, self.as_of, self.import_id, self._lap
        )
        build.begin()
        previous = self._previous_as_of()
        self.windowed = True
        self._insert_positions(build.table, "", previous, keep_ids=True, in_scope_order=True)
        build.finish()

    def _previous_as_of(self):
        """The listing date before this one (None for the first), also reported in the counts."""
        previous = self._sql("SELECT MAX(as_of) FROM positions WHERE as_of < :as_of").scalar()
        self.counts["previous_as_of"] = (
            previous.isoformat() if isinstance(previous, date) else previous
        )
        return previous

    def _insert_positions(
        self, table: str, upsert: str, previous, keep_ids=False, in_scope_order=False
    ) -> None:
        """The listing's positions with their Kol into `table`; `keep_ids`: a re-imported
        position keeps its id (audit entries and Kol upgrades point to it); `in_scope_order`: a
        month's partition built from a full listing is written in branch, officer and customer
        order (imports/partition.py)."""
        dpd_kol = dpd_kol_sql("s.dpd", self.bands)
        # A full listing books each CIF to one officer (imports/checks.py), and an officer to one
        # branch: its debtors are the same partitioned by branch, officer and customer, and the
        # window's sort is then the partition's order, not a second sort of the whole listing.
        debtors = "w.branch_id, w.officer_id, w.customer_id" if in_scope_order else "w.customer_id"
        debtor = f"MAX(w.fac_kol) OVER (PARTITION BY {debtors})" if self.windowed else "w.fac_kol"
        order = f"ORDER BY {debtors}" if in_scope_order else ""
        ids = (
            ("id, ", "COALESCE(w.old_id, nextval('positions_id_seq')), ") if keep_ids else ("", "")
        )
        old = (
            "LEFT JOIN positions o ON o.facility_id = f.id AND o.as_of = :as_of" if keep_ids else ""
        )
        self._sql(
            f"""
            INSERT INTO {table} ({ids[0]}facility_id, as_of, customer_id, officer_id, branch_id,
                outstanding, arrears_principal, arrears_interest, dpd, file_kol, dpd_kol,
                facility_kol, debtor_kol, kol_rule, prev_dpd, prev_kol, import_id)
            SELECT {ids[1]}w.facility_id, :as_of, w.customer_id, w.officer_id, w.branch_id, w.outstanding,
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
                       p.dpd AS prev_dpd, p.debtor_kol AS prev_kol{", o.id AS old_id" if keep_ids else ""}
                FROM {STAGING} s
                JOIN facilities f ON f.account_no = s.account_no
                LEFT JOIN positions p ON p.facility_id = f.id AND p.as_of = :previous
                LEFT JOIN (SELECT facility_id, MIN(to_kol) AS to_kol FROM kol_upgrades
                           WHERE as_of = :as_of GROUP BY facility_id) u ON u.facility_id = f.id
                {old}
            ) y) w
            WHERE TRUE {order} {upsert}
            """,
            {"previous": previous, "import_id": self.import_id},
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

    def _attach(self) -> None:
        """The built month swapped in last, so a re-import's detach holds readers off only for
        the commit; then a back-dated date's next listing compares with it."""
        if self.build is not None:
            self.build.swap()
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

    def _rollups(self) -> None:
        """The month-end aggregates of the date (and of the next listing, whose comparison a
        back-dated import moved), rewritten from the positions in this transaction."""
        dates = [self.as_of, *([self.following] if self.following else [])]
        # A full listing books each CIF to one officer (imports/checks.py): no shared debtor.
        rollups.write(self.conn, dates, one_group=[] if self.partial else [self.as_of])

    def _refresh_following(self) -> None:
        following = self._sql("SELECT MIN(as_of) FROM positions WHERE as_of > :as_of").scalar()
        self.following = as_date(following) if following is not None else None
        if following is not None:  # a back-dated import: the next listing's comparison moves
            self._sql(
                """
                UPDATE positions AS n SET prev_dpd = p.dpd, prev_kol = p.debtor_kol
                FROM positions p
                WHERE n.as_of = :following AND p.as_of = :as_of AND p.facility_id = n.facility_id
                """,
                {"following": following},
            )

    def _summary(self) -> None:
        self.counts.update(rollups.kol_summary(self.conn, self.as_of))


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
        out[key] = as_date(out[key])
    return out
