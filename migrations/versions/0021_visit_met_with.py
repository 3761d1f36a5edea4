"""monitoring_visits.met_with: who the officer met on the visit ("Bapak Darsono (pemilik)")

Existing visits get an empty text (not recorded then).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-10 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("monitoring_visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("met_with", sa.String(length=120), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("monitoring_visits", schema=None) as batch_op:
        batch_op.drop_column("met_with")
