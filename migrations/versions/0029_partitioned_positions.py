"""positions partitioned by month on PostgreSQL: one partition per calendar month of as-of dates
(`positions_pYYYYMM`) and a default partition for rows written one by one; an import builds its
month's partition as a plain table and attaches it (aoapp/imports/partition.py).

A partitioned table's keys must hold the partition key: the primary key becomes (id, as_of);
`facility_as_of` already holds it. The foreign key to facilities goes, on both databases: the
importer writes positions only for facilities it has just upserted, and the key would have
`facilities` locked against every other writer while a month's partition is attached. SQLite keeps
the plain table.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 13:00:00

"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

COLUMNS = """
    id INTEGER NOT NULL DEFAULT nextval('positions_id_seq'::regclass),
    facility_id INTEGER NOT NULL,
    as_of DATE NOT NULL,
    customer_id INTEGER NOT NULL,
    officer_id INTEGER,
    branch_id INTEGER,
    outstanding NUMERIC(18, 2) NOT NULL,
    arrears_principal NUMERIC(18, 2) NOT NULL,
    arrears_interest NUMERIC(18, 2) NOT NULL,
    dpd INTEGER NOT NULL,
    file_kol INTEGER,
    dpd_kol INTEGER NOT NULL,
    facility_kol INTEGER NOT NULL,
    debtor_kol INTEGER NOT NULL,
    kol_rule VARCHAR(20) NOT NULL,
    prev_dpd INTEGER,
    prev_kol INTEGER,
    import_id INTEGER
"""
CHECKS = """
    CONSTRAINT ck_positions_dpd CHECK (dpd >= 0),
    CONSTRAINT ck_positions_facility_kol CHECK (facility_kol BETWEEN 1 AND 5),
    CONSTRAINT ck_positions_debtor_kol CHECK (debtor_kol BETWEEN 1 AND 5)
"""
INDEXES = {
    "ix_positions_as_of_branch": "as_of, branch_id",
    "ix_positions_officer_as_of": "officer_id, as_of",
    "ix_positions_customer_as_of": "customer_id, as_of",
    "ix_positions_branch_as_of": "branch_id, as_of",
}
KEYS = ("pk_positions", "facility_as_of")
NAMES = (*KEYS, *INDEXES)
VALUES = (
    "id, facility_id, as_of, customer_id, officer_id, branch_id, outstanding, arrears_principal,"
    " arrears_interest, dpd, file_kol, dpd_kol, facility_kol, debtor_kol, kol_rule, prev_dpd,"
    " prev_kol, import_id"
)


def _retire_old_table() -> None:
    """The plain table moves aside with its index names, and keeps the id sequence alive."""
    op.execute("ALTER SEQUENCE positions_id_seq OWNED BY NONE")
    op.execute("ALTER TABLE positions RENAME TO positions_old")
    for name in NAMES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_old")


def _indexes() -> None:
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON positions ({columns})")


FOREIGN_KEY = "fk_positions_facility_id_facilities"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table("positions") as batch_op:
            batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        return
    _retire_old_table()
    op.execute(
        f"""CREATE TABLE positions ({COLUMNS},
            CONSTRAINT pk_positions PRIMARY KEY (id, as_of),
            CONSTRAINT facility_as_of UNIQUE (facility_id, as_of),
            {CHECKS}) PARTITION BY RANGE (as_of)"""
    )
    _indexes()
    op.execute("CREATE TABLE positions_default PARTITION OF positions DEFAULT")
    months = op.get_bind().exec_driver_sql(
        "SELECT DISTINCT date_trunc('month', as_of)::date FROM positions_old ORDER BY 1"
    )
    for (start,) in months.all():
        end = f"{start.year + start.month // 12}-{start.month % 12 + 1:02d}-01"
        op.execute(
            f"CREATE TABLE positions_p{start:%Y%m} PARTITION OF positions"
            f" FOR VALUES FROM ('{start}') TO ('{end}')"
        )
    op.execute(f"INSERT INTO positions ({VALUES}) SELECT {VALUES} FROM positions_old")
    op.execute("DROP TABLE positions_old")
    op.execute("ALTER SEQUENCE positions_id_seq OWNED BY positions.id")
    op.execute("ANALYZE positions")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table("positions") as batch_op:
            batch_op.create_foreign_key(
                FOREIGN_KEY, "facilities", ["facility_id"], ["id"], ondelete="CASCADE"
            )
        return
    _retire_old_table()
    op.execute(
        f"""CREATE TABLE positions ({COLUMNS},
            CONSTRAINT pk_positions PRIMARY KEY (id),
            CONSTRAINT facility_as_of UNIQUE (facility_id, as_of),
            CONSTRAINT {FOREIGN_KEY} FOREIGN KEY (facility_id)
                REFERENCES facilities (id) ON DELETE CASCADE,
            {CHECKS})"""
    )
    _indexes()
    op.execute(f"INSERT INTO positions ({VALUES}) SELECT {VALUES} FROM positions_old")
    op.execute("DROP TABLE positions_old")  # its partitions go with it
    op.execute("ALTER SEQUENCE positions_id_seq OWNED BY positions.id")
