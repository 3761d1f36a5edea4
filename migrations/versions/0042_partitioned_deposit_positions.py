"""deposit_positions partitioned by month on PostgreSQL, as positions are (0029): one partition
per calendar month of as-of dates (`deposit_positions_pYYYYMM`) and a default partition for rows
written one by one; a full deposits listing builds its month's partition as a plain table and
attaches it (aoapp/imports/partition.py).

The primary key becomes (id, as_of); `uq_deposit_positions_account_as_of` already holds as_of.
The foreign key to deposit_accounts goes, on both databases: the importer writes positions only
for the accounts it has just upserted, and the key would have `deposit_accounts` locked against
every other writer while a month's partition is attached (nothing deletes deposit accounts: its
ON DELETE CASCADE went unused). SQLite keeps the plain table.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07 12:00:00

"""

from alembic import op

revision = "0042"
down_revision = "0041"
branch_labels = None
depends_on = None

TABLE = "deposit_positions"
# The columns in the order the table has them (0023, then 0025's maturity_date and aro).
COLUMNS = """
    id INTEGER NOT NULL DEFAULT nextval('deposit_positions_id_seq'::regclass),
    account_id INTEGER NOT NULL,
    as_of DATE NOT NULL,
    customer_id INTEGER NOT NULL,
    officer_id INTEGER,
    branch_id INTEGER,
    deposit_type VARCHAR(10) NOT NULL,
    balance NUMERIC(18, 2) NOT NULL,
    average_balance NUMERIC(18, 2),
    status VARCHAR(10) NOT NULL,
    import_id INTEGER,
    maturity_date DATE,
    aro BOOLEAN
"""
CHECKS = """
    CONSTRAINT ck_deposit_positions_deposit_type
        CHECK (deposit_type IN ('giro', 'tabungan', 'deposito')),
    CONSTRAINT ck_deposit_positions_status
        CHECK (status IN ('active', 'dormant', 'blocked', 'closed'))
"""
INDEXES = {
    "ix_deposit_positions_as_of_branch": "as_of, branch_id",
    "ix_deposit_positions_officer_as_of": "officer_id, as_of",
    "ix_deposit_positions_customer_as_of": "customer_id, as_of",
}
KEYS = ("pk_deposit_positions", "uq_deposit_positions_account_as_of")
NAMES = (*KEYS, *INDEXES)
VALUES = (
    "id, account_id, as_of, customer_id, officer_id, branch_id, deposit_type, balance,"
    " average_balance, status, import_id, maturity_date, aro"
)
FOREIGN_KEY = "fk_deposit_positions_account_id_deposit_accounts"


def _retire_old_table() -> None:
    """The plain table moves aside with its index names, and keeps the id sequence alive."""
    op.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY NONE")
    op.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_old")
    for name in NAMES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_old")


def _indexes() -> None:
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {TABLE} ({columns})")


def _move_rows() -> None:
    op.execute(f"INSERT INTO {TABLE} ({VALUES}) SELECT {VALUES} FROM {TABLE}_old")
    op.execute(f"DROP TABLE {TABLE}_old")  # on downgrade its partitions go with it
    op.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table(TABLE) as batch_op:
            batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        return
    _retire_old_table()
    op.execute(
        f"""CREATE TABLE {TABLE} ({COLUMNS},
            CONSTRAINT pk_deposit_positions PRIMARY KEY (id, as_of),
            CONSTRAINT uq_deposit_positions_account_as_of UNIQUE (account_id, as_of),
            {CHECKS}) PARTITION BY RANGE (as_of)"""
    )
    _indexes()
    op.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    months = op.get_bind().exec_driver_sql(
        f"SELECT DISTINCT date_trunc('month', as_of)::date FROM {TABLE}_old ORDER BY 1"
    )
    for (start,) in months.all():
        end = f"{start.year + start.month // 12}-{start.month % 12 + 1:02d}-01"
        op.execute(
            f"CREATE TABLE {TABLE}_p{start:%Y%m} PARTITION OF {TABLE}"
            f" FOR VALUES FROM ('{start}') TO ('{end}')"
        )
    _move_rows()
    op.execute(f"ANALYZE {TABLE}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table(TABLE) as batch_op:
            batch_op.create_foreign_key(
                FOREIGN_KEY, "deposit_accounts", ["account_id"], ["id"], ondelete="CASCADE"
            )
        return
    _retire_old_table()
    op.execute(
        f"""CREATE TABLE {TABLE} ({COLUMNS},
            CONSTRAINT pk_deposit_positions PRIMARY KEY (id),
            CONSTRAINT uq_deposit_positions_account_as_of UNIQUE (account_id, as_of),
            CONSTRAINT {FOREIGN_KEY} FOREIGN KEY (account_id)
                REFERENCES deposit_accounts (id) ON DELETE CASCADE,
            {CHECKS})"""
    )
    _indexes()
    _move_rows()
