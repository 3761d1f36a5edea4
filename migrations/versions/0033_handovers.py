"""Portfolio handovers: customers handed from one officer to another, pending core banking

handovers: one per handover (from and to officer and their branches, by whom, when, the note,
what moved, the change file for core banking). handover_customers: one row per customer moved,
with core banking's status of its officer code (pending, confirmed, conflict, reverted,
superseded); at most one open (pending or conflict) row per customer (aoapp/handovers).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-08 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

OPEN = "core_status IN ('pending', 'conflict')"
STATUSES = "'pending', 'confirmed', 'conflict', 'reverted', 'superseded'"


def _foreign_key(table: str, column: str, target: str, **options) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), **options
    )


def upgrade():
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_officer_id", sa.Integer(), nullable=False),
        sa.Column("to_officer_id", sa.Integer(), nullable=False),
        sa.Column("from_branch_id", sa.Integer(), nullable=True),
        sa.Column("to_branch_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("handed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("customer_count", sa.Integer(), nullable=False),
        sa.Column("followup_count", sa.Integer(), nullable=False),
        sa.Column("complaint_count", sa.Integer(), nullable=False),
        sa.Column("plan_count", sa.Integer(), nullable=False),
        sa.Column("renewal_count", sa.Integer(), nullable=False),
        sa.Column("account_count", sa.Integer(), nullable=False),
        sa.Column("change_file", sa.String(length=255), nullable=True),
        sa.Column("change_file_sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "from_officer_id <> to_officer_id", name=op.f("ck_handovers_two_officers")
        ),
        sa.CheckConstraint("customer_count >= 0", name=op.f("ck_handovers_customer_count")),
        _foreign_key("handovers", "from_officer_id", "users"),
        _foreign_key("handovers", "to_officer_id", "users"),
        _foreign_key("handovers", "from_branch_id", "branches"),
        _foreign_key("handovers", "to_branch_id", "branches"),
        _foreign_key("handovers", "by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    for column in ("from_officer_id", "to_officer_id", "from_branch_id", "to_branch_id"):
        op.create_index(op.f(f"ix_handovers_{column}"), "handovers", [column], unique=False)

    table = "handover_customers"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("old_officer_id", sa.Integer(), nullable=False),
        sa.Column("new_officer_id", sa.Integer(), nullable=False),
        sa.Column("core_status", sa.String(length=10), nullable=False),
        sa.Column("status_import_id", sa.Integer(), nullable=True),
        sa.Column("listing_officer_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            f"core_status IN ({STATUSES})", name=op.f("ck_handover_customers_core_status")
        ),
        _foreign_key(table, "handover_id", "handovers", ondelete="CASCADE"),
        _foreign_key(table, "customer_id", "customers", ondelete="CASCADE"),
        _foreign_key(table, "old_officer_id", "users"),
        _foreign_key(table, "new_officer_id", "users"),
        _foreign_key(table, "status_import_id", "position_imports", ondelete="SET NULL"),
        _foreign_key(table, "listing_officer_id", "users"),
        _foreign_key(table, "decided_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_customers")),
    )
    for column in ("handover_id", "customer_id", "status_import_id"):
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
    op.create_index(
        "uq_handover_customers_open",
        table,
        ["customer_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_table("handover_customers")
    op.drop_table("handovers")
