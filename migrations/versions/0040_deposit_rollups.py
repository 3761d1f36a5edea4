"""Month-end aggregates of the funds (issue 22): deposit_rollups, one row per (as_of,
officer_id, branch_id) of the deposit positions holding funds (any status but closed) with the
accounts, the distinct depositors, and per kind (giro, tabungan, deposito) the accounts, the
balance and the average balance (the balance where the listing gave none);
deposit_rollup_depositors, the depositors holding funds in more than one group on a date. Both
filled set-based from the deposit positions already there. The downgrade drops them.

The figures are written out here as they are at this revision (a migration does not import the
app's code); funding/rollups.kind_columns is their definition from now on.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0039"
branch_labels = None
depends_on = None

KINDS = ("giro", "tabungan", "deposito")
HELD = "status <> 'closed'"


def _figures() -> list[tuple[str, bool, str]]:
    """(column, is a count, aggregate) of every figure at this revision."""
    found = [
        ("accounts", True, "COUNT(id)"),
        ("depositors", True, "COUNT(DISTINCT customer_id)"),
    ]
    for kind in KINDS:
        when = f"deposit_type = '{kind}'"
        average = "COALESCE(average_balance, balance)"
        found.append((f"{kind}_accounts", True, f"SUM(CASE WHEN {when} THEN 1 ELSE 0 END)"))
        found.append((f"{kind}_balance", False, f"SUM(CASE WHEN {when} THEN balance ELSE 0 END)"))
        found.append((f"{kind}_average", False, f"SUM(CASE WHEN {when} THEN {average} ELSE 0 END)"))
    return found


def upgrade():
    figures = _figures()
    op.create_table(
        "deposit_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        *(
            sa.Column(name, sa.Integer() if count else sa.Numeric(18, 2), nullable=False)
            for name, count, _value in figures
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_rollups")),
    )
    op.create_table(
        "deposit_rollup_depositors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_rollup_depositors")),
    )
    columns = ", ".join(name for name, _count, _value in figures)
    sums = ", ".join(value for _name, _count, value in figures)
    op.execute(
        f"""INSERT INTO deposit_rollups (as_of, officer_id, branch_id, {columns})
            SELECT as_of, officer_id, branch_id, {sums}
            FROM deposit_positions WHERE {HELD} GROUP BY as_of, officer_id, branch_id"""
    )
    op.execute(
        f"""INSERT INTO deposit_rollup_depositors (as_of, customer_id, officer_id, branch_id)
            SELECT DISTINCT p.as_of, p.customer_id, p.officer_id, p.branch_id
            FROM deposit_positions p JOIN (
                SELECT as_of, customer_id FROM deposit_positions WHERE {HELD}
                GROUP BY as_of, customer_id
                HAVING MIN(COALESCE(officer_id, -1)) <> MAX(COALESCE(officer_id, -1))
                    OR MIN(COALESCE(branch_id, -1)) <> MAX(COALESCE(branch_id, -1))
            ) s ON s.as_of = p.as_of AND s.customer_id = p.customer_id
            WHERE p.{HELD}"""
    )
    op.create_index(
        "ix_deposit_rollups_as_of_branch", "deposit_rollups", ["as_of", "branch_id", "officer_id"]
    )
    op.create_index("ix_deposit_rollups_officer_as_of", "deposit_rollups", ["officer_id", "as_of"])
    op.create_index(
        "ix_deposit_rollup_depositors_as_of_customer",
        "deposit_rollup_depositors",
        ["as_of", "customer_id"],
    )


def downgrade():
    op.drop_table("deposit_rollup_depositors")
    op.drop_table("deposit_rollups")
