"""Renewal opportunities: facilities and non-ARO depositos maturing, worked as a pipeline

renewal_opportunities: one per facility (or deposit account) and maturity date, owned by the
customer's officer, with its stage (to contact, in discussion, proposed, closed), the outcome a
listing proposed and the one the officer confirmed, the new plafond and top-up of a renewal, the
reason a customer left (aoapp/renewals).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TABLE = "renewal_opportunities"
OUTCOMES = (
    "'renewed', 'topped_up', 'paid_off_retained', 'paid_off_lost', 'rolled_over', 'withdrawn'"
)
REASONS = "'competitor', 'pricing', 'no_need', 'service', 'business_closed', 'relocated', 'other'"
CHECKS = {
    "kind": "kind IN ('loan', 'deposit')",
    "basis": "basis IN ('maturity', 'anniversary')",
    "stage": "stage IN ('to_contact', 'in_discussion', 'proposed', 'closed')",
    "outcome": f"outcome IS NULL OR outcome IN ({OUTCOMES})",
    "proposed_outcome": f"proposed_outcome IS NULL OR proposed_outcome IN ({OUTCOMES})",
    "lost_reason": f"lost_reason IS NULL OR lost_reason IN ({REASONS})",
    "settled_by": "settled_by IS NULL OR settled_by IN ('listing', 'officer')",
    "closed_outcome": "(stage = 'closed') = (outcome IS NOT NULL)",
    "loan_facility": "(kind = 'loan') = (facility_id IS NOT NULL)",
    "deposit_account": "(kind = 'deposit') = (deposit_account_id IS NOT NULL)",
}


def _foreign_key(column: str, table: str, **options) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_{TABLE}_{column}_{table}"), **options
    )


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("basis", sa.String(length=12), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("deposit_account_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("maturity_date", sa.Date(), nullable=False),
        sa.Column("plafond", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("stage", sa.String(length=14), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("proposed_outcome", sa.String(length=20), nullable=True),
        sa.Column("settled_by", sa.String(length=10), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("outcome_date", sa.Date(), nullable=True),
        sa.Column("new_facility_id", sa.Integer(), nullable=True),
        sa.Column("new_plafond", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("topup_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("lost_reason", sa.String(length=20), nullable=True),
        sa.Column("lost_note", sa.Text(), nullable=False),
        sa.Column("topup_allowed", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *(
            sa.CheckConstraint(text, name=op.f(f"ck_{TABLE}_{name}"))
            for name, text in CHECKS.items()
        ),
        _foreign_key("facility_id", "facilities", ondelete="CASCADE"),
        _foreign_key("deposit_account_id", "deposit_accounts", ondelete="CASCADE"),
        _foreign_key("customer_id", "customers", ondelete="CASCADE"),
        _foreign_key("officer_id", "users"),
        _foreign_key("branch_id", "branches"),
        _foreign_key("new_facility_id", "facilities", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint(
            "facility_id", "maturity_date", name="uq_renewal_opportunities_facility_maturity"
        ),
        sa.UniqueConstraint(
            "deposit_account_id", "maturity_date", name="uq_renewal_opportunities_account_maturity"
        ),
    )
    op.create_index(op.f(f"ix_{TABLE}_customer_id"), TABLE, ["customer_id"], unique=False)
    op.create_index(
        "ix_renewal_opportunities_officer_stage",
        TABLE,
        ["officer_id", "stage", "maturity_date"],
        unique=False,
    )
    op.create_index(
        "ix_renewal_opportunities_branch_maturity",
        TABLE,
        ["branch_id", "maturity_date"],
        unique=False,
    )


def downgrade():
    op.drop_table(TABLE)
