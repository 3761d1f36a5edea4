"""Notifications and the daily digest: users' e-mail address and digest time, in-app
notifications, and one record per user and bank day of the digest sent

users.email, users.digest_time (local time; NULL: the bank's DIGEST_DEFAULT_TIME);
notifications (title and body as system-text codes and parameters, rendered in the reader's
language); digest_sends (unique per user and bank day: two runs at once send one e-mail).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

STATUSES = "'sending', 'sent', 'in_app', 'skipped_empty', 'failed'"


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("digest_time", sa.Time(), nullable=True))

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title_code", sa.String(length=40), nullable=False),
        sa.Column("title_params", sa.JSON(), nullable=True),
        sa.Column("body_code", sa.String(length=40), nullable=True),
        sa.Column("body_params", sa.JSON(), nullable=True),
        sa.Column("endpoint", sa.String(length=80), nullable=True),
        sa.Column("bank_day", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_user_read", "notifications", ["user_id", "read_at"])

    op.create_table(
        "digest_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bank_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_digest_sends_status")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_sends_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_digest_sends_notification_id_notifications"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_sends")),
        sa.UniqueConstraint("user_id", "bank_day", name=op.f("uq_digest_sends_user_id")),
    )


def downgrade():
    op.drop_table("digest_sends")
    op.drop_index("ix_notifications_user_read", table_name="notifications")
    op.drop_table("notifications")
    # A plain ALTER on SQLite too (3.35+): a batch copy of users would trip the foreign keys of
    # every row referring to a user.
    op.execute("ALTER TABLE users DROP COLUMN digest_time")
    op.execute("ALTER TABLE users DROP COLUMN email")
