"""The Kol migration in the month-end aggregates (issue 22): portfolio_rollups gains a count and an
outstanding per (Kol on the previous listing, or new; Kol now) cell, filled set-based from the
positions already there (their previous Kol: prev_kol). The downgrade drops the columns.

The cells are written out here as they are at this revision (credit/measures.py is their
definition from now on).

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06 12:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

KOLS = (1, 2, 3, 4, 5)


def _cells() -> list[tuple[str, bool, str]]:
    """(column, is a count, per-position value) of every migration cell."""
    found = []
    for before in (*KOLS, None):
        was = "prev_kol IS NULL" if before is None else f"prev_kol = {before}"
        for kol in KOLS:
            key = f"{'new' if before is None else f'from{before}'}_to{kol}"
            condition = f"{was} AND debtor_kol = {kol}"
            found.append((f"{key}_count", True, f"CASE WHEN {condition} THEN 1 ELSE 0 END"))
            found.append(
                (f"{key}_total", False, f"CASE WHEN {condition} THEN outstanding ELSE 0 END")
            )
    return found


def upgrade():
    cells = _cells()
    with op.batch_alter_table("portfolio_rollups") as batch:
        for name, count, _value in cells:
            kind = sa.Integer() if count else sa.Numeric(18, 2)
            batch.add_column(sa.Column(name, kind, nullable=False, server_default="0"))
    sums = ", ".join(f"SUM({value}) AS {name}" for name, _count, value in cells)
    sets = ", ".join(f"{name} = g.{name}" for name, _count, _value in cells)
    op.execute(
        f"""UPDATE portfolio_rollups SET {sets}
            FROM (SELECT as_of, officer_id, branch_id, {sums}
                  FROM positions GROUP BY as_of, officer_id, branch_id) g
            WHERE g.as_of = portfolio_rollups.as_of
              AND COALESCE(g.officer_id, -1) = COALESCE(portfolio_rollups.officer_id, -1)
              AND COALESCE(g.branch_id, -1) = COALESCE(portfolio_rollups.branch_id, -1)"""
    )
    with op.batch_alter_table("portfolio_rollups") as batch:  # the model has no default
        for name, _count, _value in cells:
            batch.alter_column(name, server_default=None)


def downgrade():
    with op.batch_alter_table("portfolio_rollups") as batch:
        for name, _count, _value in reversed(_cells()):
            batch.drop_column(name)
