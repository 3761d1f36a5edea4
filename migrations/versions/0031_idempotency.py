"""Idempotency keys: a request sent again with the same key gets the first answer

idempotency_keys: per user and key, what the key was used for (the action and its record), the
answer of the work (status, the API's JSON or the page a form went on to) and when; written in
the transaction of the work, deleted after IDEMPOTENCY_KEY_DAYS (aoapp/offline).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

TABLE = "idempotency_keys"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_idempotency_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_keys_user_id")),
    )
    op.create_index(op.f("ix_idempotency_keys_created_at"), TABLE, ["created_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_idempotency_keys_created_at"), table_name=TABLE)
    op.drop_table(TABLE)
