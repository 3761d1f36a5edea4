"""position_imports.heartbeat_at, report_batches.heartbeat_at: the last sign of life of the
process that runs an import, or of the workers that run a batch's jobs

A running import or an unfinished batch whose heartbeat is older than IMPORT_STALE_MINUTES
(REPORTS_BATCH_STALE_MINUTES) is shown and recorded as stopped. Rows from before have none: their
start (started_at, created_at) stands for it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("position_imports", "report_batches"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade():
    for table in ("report_batches", "position_imports"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("heartbeat_at")
