"""Funding figures: targets on DPK growth, CASA, cross-sell and retention; a deposit position keeps
the maturity and roll-over flag of its listing

targets.dpk_growth (Rp, may be negative), targets.casa_ratio and targets.retention_rate (fractions
0–1) and targets.cross_sell_ratio (products per customer). deposit_positions.maturity_date and
deposit_positions.aro: the deposito's maturity and ARO flag on that listing, so the deposits
maturing after a closed month-end stay what they were when a later listing rolls a deposito over;
positions already stored get their account's (the newest listing's, the best there is).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-20 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

RATIOS_CHECK = (
    "(casa_ratio IS NULL OR (casa_ratio >= 0 AND casa_ratio <= 1))"
    " AND (retention_rate IS NULL OR (retention_rate >= 0 AND retention_rate <= 1))"
    " AND (cross_sell_ratio IS NULL OR cross_sell_ratio >= 0)"
)
BACKFILL = """
    UPDATE deposit_positions SET
        maturity_date = (SELECT a.maturity_date FROM deposit_accounts a
                         WHERE a.id = deposit_positions.account_id),
        aro = (SELECT a.aro FROM deposit_accounts a WHERE a.id = deposit_positions.account_id)
"""


def upgrade():
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dpk_growth", sa.Numeric(precision=18, scale=2)))
        batch_op.add_column(sa.Column("casa_ratio", sa.Numeric(precision=7, scale=4)))
        batch_op.add_column(sa.Column("cross_sell_ratio", sa.Numeric(precision=7, scale=4)))
        batch_op.add_column(sa.Column("retention_rate", sa.Numeric(precision=7, scale=4)))
        batch_op.create_check_constraint(op.f("ck_targets_relationship_ratios"), RATIOS_CHECK)
    with op.batch_alter_table("deposit_positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("maturity_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("aro", sa.Boolean(), nullable=True))
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table("deposit_positions", schema=None) as batch_op:
        batch_op.drop_column("aro")
        batch_op.drop_column("maturity_date")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_targets_relationship_ratios"), type_="check")
        batch_op.drop_column("retention_rate")
        batch_op.drop_column("cross_sell_ratio")
        batch_op.drop_column("casa_ratio")
        batch_op.drop_column("dpk_growth")
