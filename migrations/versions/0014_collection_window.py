"""collection window: a branch's time zone, a customer's consent to contact outside it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 18:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("branches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("collection_consent_hours", sa.String(length=11), nullable=True)
        )
        batch_op.add_column(sa.Column("collection_consent_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("collection_consent_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_customers_collection_consent_by_id_users"),
            "users",
            ["collection_consent_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_customers_collection_consent_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("collection_consent_at")
        batch_op.drop_column("collection_consent_by_id")
        batch_op.drop_column("collection_consent_hours")
    with op.batch_alter_table("branches", schema=None) as batch_op:
        batch_op.drop_column("timezone")
