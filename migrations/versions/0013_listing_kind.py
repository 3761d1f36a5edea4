"""the kind of listing an import loaded (loans first; deposits next)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 18:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("position_imports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="loans")
        )
        batch_op.create_index("ix_position_imports_kind", ["kind"])


def downgrade():
    with op.batch_alter_table("position_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_position_imports_kind")
        batch_op.drop_column("kind")
