"""Set-based load of a validated deposits listing: the shared steps (`imports.setload`: staging,
customers by CIF, closing), then deposit accounts and their positions on the listing's date (on
PostgreSQL, a full listing's as the month's partition, built and swapped in: imports/partition.py).

Everything runs on the caller's connection inside one transaction: the caller commits or rolls back.
"""

from decimal import Decimal

import pyarrow as pa
import sqlalchemy as sa

from aoapp.common.money import to_money
from aoapp.funding import relationship_rows
from aoapp.funding import rollups as deposit_rollups
from aoapp.imports import bulk, partition
from aoapp.imports.setload import SetLoad, as_date
from aoapp.products.models import DepositType

STAGING_COLUMNS = (
    ("row_no", "INTEGER"),
    ("account_no", "VARCHAR(40)"),
    ("cif", "VARCHAR(30)"),
    ("customer_name", "VARCHAR(120)"),
    ("officer_id", "INTEGER"),
    ("branch_id", "INTEGER"),  # the officer's: a new customer's branch
    ("booked_branch_id", "INTEGER"),  # the account's: the listed branch, else the officer's
    ("product_id", "INTEGER"),
    ("segment", "VARCHAR(20)"),
    ("deposit_type", "VARCHAR(10)"),
    ("currency", "VARCHAR(3)"),
    ("balance", "NUMERIC(18, 2)"),
    ("average_balance", "NUMERIC(18, 2)"),
    ("interest_rate", "NUMERIC(7, 4)"),
    ("open_date", "DATE"),
    ("maturity_date", "DATE"),
    ("tenor_months", "INTEGER"),
    ("aro", "BOOLEAN"),
    ("status", "VARCHAR(10)"),
)
# An account's fields as the listing gives them (staging column, or the customer's id).
ACCOUNT_FIELDS = {
    "customer_id": "s.customer_id",
    "product_id": "s.product_id",
    "officer_id": "s.officer_id",
    "branch_id": "s.booked_branch_id",
    "deposit_type": "s.deposit_type",
    "currency": "s.currency",
    "open_date": "s.open_date",
    "maturity_date": "s.maturity_date",
    "tenor_months": "s.tenor_months",
    "interest_rate": "s.interest_rate",
    "aro": "s.aro",
    "status": "s.status",
}
NULLABLE = {"officer_id", "branch_id", "maturity_date", "tenor_months", "aro"}
POSITION_VALUES = (
    "customer_id",
    "officer_id",
    "branch_id",
    "deposit_type",
    "balance",
    "average_balance",
    "status",
    "maturity_date",
    "aro",
    "import_id",
)
# The listing's own customers: only those with no active facility, whose officer the loan listing
# names, take their name, officer and branch from the deposits listing.
NOT_A_DEBTOR = (
    "NOT EXISTS (SELECT 1 FROM facilities f WHERE f.customer_id = c.id AND f.status = 'active')"
)


class DepositLoader(SetLoad):
    """Loads one validated deposits listing for one as-of date."""

    STAGING = "deposit_staging"
    STAGING_COLUMNS = STAGING_COLUMNS
    POSITIONS = "deposit_positions"

    def __init__(self, connection: sa.Connection, **options):
        super().__init__(connection, **options)
        self.build: partition.MonthBuild | None = None  # PostgreSQL, a full listing

    def run(self, table: pa.Table) -> dict:
        """Stage the rows, upsert customers and accounts, write positions, close the missing."""
        self._begin()
        if self.pg and not self.partial:
            partition.hold(self.conn, self.POSITIONS)
        self._step("staging", 35, lambda: self._stage(table))
        self._find_backdated()
        self._step(
            "customers", 45, lambda: self._upsert_customers("open_date", updatable=NOT_A_DEBTOR)
        )
        self._step("deposit_accounts", 60, self._accounts)
        self._step("positions", 75, self._positions)
        if not self.partial:
            self._step(
                "closing",
                90,
                lambda: self._close_missing(
                    "deposit_accounts",
                    "deposit_account",
                    start="open_date",
                    counter="accounts_closed",
                ),
            )
        self._step("attach", 91, self._attach)
        self._step("rollups", 92, lambda: deposit_rollups.write(self.conn, [self.as_of]))
        self._step(
            "relationship",
            94,
            lambda: relationship_rows.after_import(self.conn, deposits=self.as_of),
        )
        self._step("summary", 96, self._summary)
        self._sql(f"DROP TABLE {self.STAGING}")
        return {"counts": self.counts, "timings": self.timings}

    def _listed(self) -> str:
        """The staging rows with their customer's id, as `s`."""
        return f"(SELECT t.*, c.id AS customer_id FROM {self.STAGING} t JOIN customers c ON c.cif = t.cif)"

    def _differs(self, column: str, value: str) -> str:
        if column not in NULLABLE:
            return f"a.{column} <> {value}"
        return f"a.{column} IS {'DISTINCT FROM' if self.pg else 'NOT'} {value}"

    def _accounts(self) -> None:
        """Accounts the listing describes otherwise are updated (audited), new ones created;
        a status of closed closes the account on this date, any other reopens it."""
        updated = 0
        if not self.backdated:
            changed_where = " OR ".join(self._differs(k, v) for k, v in ACCOUNT_FIELDS.items())
            before = ", ".join(f"a.{k}" for k in ACCOUNT_FIELDS)
            after = ", ".join(ACCOUNT_FIELDS.values())
            changed = self._sql(
                f"SELECT a.id, {before}, {after} FROM deposit_accounts a"
                f" JOIN {self._listed()} s ON s.account_no = a.account_no WHERE {changed_where}"
            ).all()
            if changed:
                width = len(ACCOUNT_FIELDS)
                self._audit(
                    "deposit_account",
                    [(r[0], _audited(r[1 : width + 1]), _audited(r[width + 1 :])) for r in changed],
                )
                sets = ", ".join(f"{k} = {v}" for k, v in ACCOUNT_FIELDS.items())
                self._sql(
                    f"UPDATE deposit_accounts AS a SET {sets}, updated_at = :now, closed_on ="
                    " CASE WHEN s.status = 'closed' THEN COALESCE(a.closed_on, :as_of) END"
                    f" FROM {self._listed()} s WHERE s.account_no = a.account_no"
                    f" AND ({changed_where})"
                )
            updated = len(changed)
        columns = ", ".join(ACCOUNT_FIELDS)
        # The first listing into an empty bank: indexes and keys built once after (imports/bulk.py).
        with bulk.built_after_if_empty(self.conn, "deposit_accounts", self.counts["rows"]):
            created = self._sql(
                f"""
                INSERT INTO deposit_accounts (account_no, {columns}, closed_on, created_at,
                    updated_at)
                SELECT s.account_no, {", ".join(ACCOUNT_FIELDS.values())},
                       CASE WHEN s.status = 'closed' THEN :as_of END, :now, :now
                FROM {self._listed()} s
                WHERE NOT EXISTS
                    (SELECT 1 FROM deposit_accounts a WHERE a.account_no = s.account_no)
                """
            ).rowcount
        self.counts["accounts_created"] = created
        self.counts["accounts_updated"] = updated

    def _positions(self) -> None:
        """The date's balances; a re-import of the date replaces its positions (in place)."""
        if self.pg and not self.partial:
            self._positions_by_partition()
            return
        if not self.partial:  # a full listing is the whole date: unlisted accounts' positions go
            self._sql(
                f"""DELETE FROM deposit_positions WHERE as_of = :as_of AND NOT EXISTS
                    (SELECT 1 FROM deposit_accounts a JOIN {self.STAGING} s
                     ON s.account_no = a.account_no WHERE a.id = deposit_positions.account_id)"""
            )
        replacing = self._sql(
            "SELECT 1 FROM deposit_positions WHERE as_of = :as_of LIMIT 1"
        ).first()
        upsert = ""
        if replacing is not None:
            upsert = "ON CONFLICT (account_id, as_of) DO UPDATE SET " + ", ".join(
                f"{name} = excluded.{name}" for name in POSITION_VALUES
            )
        self._insert_positions(self.POSITIONS, upsert)

    def _positions_by_partition(self) -> None:
        """PostgreSQL, a full listing: the month's partition built (imports/partition.py), with
        the listing's positions only on its date (an unlisted account's position is gone)."""
        build = self.build = partition.MonthBuild(
            self.conn, self.POSITIONS, self.as_of, self.import_id, self._lap
        )
        build.begin()
        self._insert_positions(build.table, "", keep_ids=True)
        build.finish()

    def _insert_positions(self, table: str, upsert: str, keep_ids: bool = False) -> None:
        """The listing's positions into `table`; `keep_ids`: a re-imported position keeps its id."""
        ids = ("id, ", "COALESCE(o.id, nextval('deposit_positions_id_seq')), ")
        old = "LEFT JOIN deposit_positions o ON o.account_id = a.id AND o.as_of = :as_of"
        if not keep_ids:
            ids, old = ("", ""), ""
        self._sql(
            f"""
            INSERT INTO {table} ({ids[0]}account_id, as_of, customer_id, officer_id, branch_id,
                deposit_type, balance, average_balance, status, maturity_date, aro, import_id)
            SELECT {ids[1]}a.id, :as_of, a.customer_id, s.officer_id, s.booked_branch_id,
                   s.deposit_type, s.balance, s.average_balance, s.status, s.maturity_date, s.aro,
                   :import_id
            FROM {self.STAGING} s JOIN deposit_accounts a ON a.account_no = s.account_no
            {old}
            WHERE TRUE {upsert}
            """,
            {"import_id": self.import_id},
        )

    def _attach(self) -> None:
        """The built month swapped in (`MonthBuild.swap`)."""
        if self.build is not None:
            self.build.swap()

    def _summary(self) -> None:
        """Accounts and balances on the date, by kind of funds (giro, tabungan, deposito)."""
        rows = self._sql(
            "SELECT deposit_type, COUNT(*), SUM(balance) FROM deposit_positions"
            " WHERE as_of = :as_of GROUP BY deposit_type"
        ).all()
        found = {kind: (count, total) for kind, count, total in rows}
        self.counts["by_type"] = {
            kind.value: {"count": found[kind][0], "balance": str(to_money(str(found[kind][1])))}
            for kind in DepositType
            if kind in found
        }


def _audited(values) -> dict:
    """Account fields as audited, the same on every database (SQLite hands NUMERIC back as a
    number, dates as text and booleans as 0/1)."""
    out = dict(zip(ACCOUNT_FIELDS, values, strict=True))
    out["interest_rate"] = Decimal(str(out["interest_rate"])).quantize(Decimal("0.0001"))
    out["aro"] = None if out["aro"] is None else bool(out["aro"])
    for key in ("open_date", "maturity_date"):
        out[key] = as_date(out[key]) if out[key] is not None else None
    return out
