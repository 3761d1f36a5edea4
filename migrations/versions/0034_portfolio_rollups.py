"""Month-end aggregates of the portfolio (issue 22): portfolio_rollups, one row per (as_of,
officer_id, branch_id) with the sum of each measure of credit/measures.py and the group's
distinct debtors; portfolio_rollup_debtors, the debtors booked in more than one group on a date.
Both filled set-based from the positions already there. And ix_positions_watch, a partial index
of the positions a watchlist signal can flag. The downgrade drops them.

The measures are written out here as they are at this revision (a migration does not import the
app's code); credit/measures.py is their definition from now on.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

KOLS = (1, 2, 3, 4, 5)
PAR_DAYS = (30, 60, 90)
AGING = (
    ("current", 0, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("91_120", 91, 120),
    ("121_180", 121, 180),
    ("over_180", 181, None),
)
WATCH = "dpd > 0 OR debtor_kol > prev_kol"
RESTRUCTURED = "facility_id IN (SELECT id FROM facilities WHERE restructured)"


def _measures() -> list[tuple[str, bool, str]]:
    """(column, is a count, per-position value) of every measure at this revision."""

    def count_if(condition):
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def total_if(condition):
        return f"CASE WHEN {condition} THEN outstanding ELSE 0 END"

    found = [
        ("facilities", True, "1"),
        ("outstanding", False, "outstanding"),
        ("restructured_kol1", False, total_if(f"debtor_kol = 1 AND {RESTRUCTURED}")),
        ("downgrades", True, count_if("prev_kol IS NOT NULL AND debtor_kol > prev_kol")),
        ("upgrades", True, count_if("prev_kol IS NOT NULL AND debtor_kol < prev_kol")),
    ]
    for kol in KOLS:
        found.append((f"kol{kol}_count", True, count_if(f"debtor_kol = {kol}")))
        found.append((f"kol{kol}_total", False, total_if(f"debtor_kol = {kol}")))
    for days in PAR_DAYS:
        found.append((f"par{days}", False, total_if(f"dpd > {days}")))
    for code, low, high in AGING:
        within = f"dpd >= {low}" if high is None else f"dpd BETWEEN {low} AND {high}"
        found.append((f"aging_{code}_count", True, count_if(within)))
        found.append((f"aging_{code}_total", False, total_if(within)))
    return found


def upgrade():
    measures = _measures()
    op.create_table(
        "portfolio_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("debtors", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Integer() if count else sa.Numeric(18, 2), nullable=False)
            for name, count, _value in measures
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_rollups")),
    )
    op.create_table(
        "portfolio_rollup_debtors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_rollup_debtors")),
    )
    columns = ", ".join(name for name, _count, _value in measures)
    sums = ", ".join(f"SUM({value})" for _name, _count, value in measures)
    op.execute(
        f"""INSERT INTO portfolio_rollups (as_of, officer_id, branch_id, debtors, {columns})
            SELECT as_of, officer_id, branch_id, COUNT(DISTINCT customer_id), {sums}
            FROM positions GROUP BY as_of, officer_id, branch_id"""
    )
    op.execute(
        """INSERT INTO portfolio_rollup_debtors (as_of, customer_id, officer_id, branch_id)
           SELECT DISTINCT p.as_of, p.customer_id, p.officer_id, p.branch_id
           FROM positions p JOIN (
               SELECT as_of, customer_id FROM positions GROUP BY as_of, customer_id
               HAVING MIN(COALESCE(officer_id, -1)) <> MAX(COALESCE(officer_id, -1))
                   OR MIN(COALESCE(branch_id, -1)) <> MAX(COALESCE(branch_id, -1))
           ) s ON s.as_of = p.as_of AND s.customer_id = p.customer_id"""
    )
    op.create_index(
        "ix_portfolio_rollups_as_of_branch",
        "portfolio_rollups",
        ["as_of", "branch_id", "officer_id"],
    )
    op.create_index(
        "ix_portfolio_rollups_officer_as_of", "portfolio_rollups", ["officer_id", "as_of"]
    )
    op.create_index(
        "ix_portfolio_rollup_debtors_as_of_customer",
        "portfolio_rollup_debtors",
        ["as_of", "customer_id"],
    )

    # The watchlist's positions (credit/models.WATCH_PREDICATE); on PostgreSQL created on the
    # partitioned table, so on every month's partition too.
    op.create_index(
        "ix_positions_watch",
        "positions",
        ["as_of", "branch_id"],
        postgresql_where=sa.text(WATCH),
        sqlite_where=sa.text(WATCH),
    )


def downgrade():
    op.drop_index("ix_positions_watch", table_name="positions")
    op.drop_table("portfolio_rollup_debtors")
    op.drop_table("portfolio_rollups")
