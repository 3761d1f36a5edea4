"""Satisfaction surveys: one secret link per survey (its token's hash), the answer once given

surveys: the customer, the officer and branch it is booked to, why it was sent (a resolved
complaint, a visit, a renewal) and what it follows; the token's SHA-256 hash and its expiry; the
answer (score 1–5, likelihood to recommend 0–10, a comment) and the follow-up a low score made.
renewal_id has no foreign key: the renewal opportunities are another feature's table.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

REASON_CHECK = "reason IN ('complaint_resolved', 'visit', 'renewal')"


def upgrade():
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("renewal_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("recommend", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("low_score_follow_up_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(answered_at IS NULL) = (score IS NULL)", name=op.f("ck_surveys_answered")
        ),
        sa.CheckConstraint(REASON_CHECK, name=op.f("ck_surveys_reason")),
        sa.CheckConstraint(
            "recommend IS NULL OR (recommend >= 0 AND recommend <= 10)",
            name=op.f("ck_surveys_recommend"),
        ),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 1 AND score <= 5)", name=op.f("ck_surveys_score")
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_surveys_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_surveys_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_surveys_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_surveys_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"], ["follow_ups.id"], name=op.f("fk_surveys_follow_up_id_follow_ups")
        ),
        sa.ForeignKeyConstraint(
            ["low_score_follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_surveys_low_score_follow_up_id_follow_ups"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_surveys_officer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_surveys_token_hash")),
    )
    op.create_index(op.f("ix_surveys_customer_id"), "surveys", ["customer_id"], unique=False)
    op.create_index(
        "ix_surveys_officer_answered", "surveys", ["officer_id", "answered_at"], unique=False
    )
    op.create_index(
        "ix_surveys_branch_answered", "surveys", ["branch_id", "answered_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_surveys_branch_answered", table_name="surveys")
    op.drop_index("ix_surveys_officer_answered", table_name="surveys")
    op.drop_index(op.f("ix_surveys_customer_id"), table_name="surveys")
    op.drop_table("surveys")
