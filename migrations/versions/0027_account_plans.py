"""Account plans: a customer's plan per year, its goals, planned products and comments

account_plans (one per customer and year; its review is a follow-up it links to, unique),
account_plan_goals, account_plan_products and account_plan_comments. follow_ups is unchanged.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 11:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

KINDS = ("outstanding_at_least", "dpk_at_least", "holds_product", "max_dpd", "action")
KIND_CHECK = f"kind IN ({', '.join(repr(kind) for kind in KINDS)})"


def upgrade():
    op.create_table(
        "account_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("need_tags", sa.JSON(), nullable=False),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("review_months", sa.Integer(), nullable=False),
        sa.Column("next_review_date", sa.Date(), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("review_follow_up_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "review_months BETWEEN 1 AND 12", name=op.f("ck_account_plans_review_months")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_account_plans_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_account_plans_review_follow_up_id_follow_ups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_account_plans_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_account_plans_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_plans")),
        sa.UniqueConstraint("customer_id", "year", name=op.f("uq_account_plans_customer_id")),
        sa.UniqueConstraint(
            "review_follow_up_id", name=op.f("uq_account_plans_review_follow_up_id")
        ),
    )
    op.create_index(
        "ix_account_plans_year_next_review",
        "account_plans",
        ["year", "next_review_date"],
        unique=False,
    )
    op.create_table(
        "account_plan_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("dpd", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=10), nullable=True),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "amount IS NULL OR amount >= 0", name=op.f("ck_account_plan_goals_amount")
        ),
        sa.CheckConstraint("dpd IS NULL OR dpd >= 0", name=op.f("ck_account_plan_goals_dpd")),
        sa.CheckConstraint(KIND_CHECK, name=op.f("ck_account_plan_goals_kind")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["account_plans.id"],
            name=op.f("fk_account_plan_goals_plan_id_account_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_account_plan_goals_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_plan_goals")),
    )
    op.create_index(
        op.f("ix_account_plan_goals_plan_id"), "account_plan_goals", ["plan_id"], unique=False
    )
    op.create_table(
        "account_plan_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["account_plans.id"],
            name=op.f("fk_account_plan_products_plan_id_account_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_account_plan_products_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_plan_products")),
        sa.UniqueConstraint("plan_id", "product_id", name=op.f("uq_account_plan_products_plan_id")),
    )
    op.create_index(
        op.f("ix_account_plan_products_plan_id"),
        "account_plan_products",
        ["plan_id"],
        unique=False,
    )
    op.create_table(
        "account_plan_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["account_plans.id"],
            name=op.f("fk_account_plan_comments_plan_id_account_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_account_plan_comments_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_plan_comments")),
    )
    op.create_index(
        op.f("ix_account_plan_comments_plan_id"),
        "account_plan_comments",
        ["plan_id"],
        unique=False,
    )


def downgrade():
    op.drop_table("account_plan_comments")
    op.drop_table("account_plan_products")
    op.drop_table("account_plan_goals")
    op.drop_index("ix_account_plans_year_next_review", table_name="account_plans")
    op.drop_table("account_plans")
