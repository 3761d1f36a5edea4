"""report_batches: customer reports asked for on the reports page and made in the background
(RQ), with who asked and how far the jobs are

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("force", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_report_batches_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_report_batches_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_report_batches_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_batches")),
    )
    op.create_index(
        op.f("ix_report_batches_user_id"), "report_batches", ["user_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_report_batches_user_id"), table_name="report_batches")
    op.drop_table("report_batches")
