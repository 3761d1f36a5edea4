"""Retention follow-ups: the purpose `retention`, and follow-ups about one deposit account

A non-ARO deposito maturing soon or a large withdrawal suggests a retention follow-up about the
deposit account (followups/retention.py), keyed per account as collection suggestions are per
facility. SQLite copies the table to change its purpose check, with foreign keys off meanwhile
(promises to pay and follow-ups refer to follow-ups; the copy keeps every id) and checked after.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-20 10:00:00

"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

PURPOSES = ("relationship", "collection", "product_offer", "complaint", "monitoring")
OLD = f"purpose IN ({', '.join(repr(p) for p in (*PURPOSES, 'document_request'))})"
NEW = f"purpose IN ({', '.join(repr(p) for p in (*PURPOSES, 'document_request', 'retention'))})"


@contextmanager
def _foreign_keys_off():
    """SQLite: foreign keys off while the table is copied, dropped and renamed (dropping a table
    other rows refer to fails otherwise), checked before they are on again. The pragma is ignored
    inside a transaction, so what the run did before is committed first (SQLite's migrations run
    without a transaction around them: "non-transactional DDL")."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.driver_connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the copy of follow_ups: {broken[:5]}")
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _foreign_keys_off(), op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deposit_account_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_ups_deposit_account_id_deposit_accounts"),
            "deposit_accounts",
            ["deposit_account_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_follow_ups_deposit_account_id"),
            ["deposit_account_id", "suggestion_key"],
        )
        batch_op.drop_constraint(batch_op.f("ck_follow_ups_purpose"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_follow_ups_purpose"), NEW)
        batch_op.create_check_constraint(
            batch_op.f("ck_follow_ups_deposit_account"),
            "deposit_account_id IS NULL OR customer_id IS NOT NULL",
        )


def downgrade():
    # Retention follow-ups stay, as relationship follow-ups with the customer.
    op.execute("UPDATE follow_ups SET purpose = 'relationship' WHERE purpose = 'retention'")
    with _foreign_keys_off(), op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_follow_ups_deposit_account"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_follow_ups_purpose"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_follow_ups_purpose"), OLD)
        batch_op.drop_constraint(batch_op.f("uq_follow_ups_deposit_account_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_follow_ups_deposit_account_id_deposit_accounts"), type_="foreignkey"
        )
        batch_op.drop_column("deposit_account_id")
