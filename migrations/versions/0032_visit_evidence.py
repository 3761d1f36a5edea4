"""Visit evidence: photos of monitoring visits and visit follow-ups, and where visits were logged

visit_photos: one stored photo (by content key, with its thumbnail) of a monitoring visit or of a
follow-up's outcome, its size, when it was taken and, with the officer's consent, where.
monitoring_visits and follow_ups gain the location the officer's phone gave when the visit was
logged (latitude, longitude, accuracy in metres, when read); customers gain the recorded location
of their address. Every new column is empty for the records before it. New indexes: visits by
when they were logged (monitoring_visits.created_at, follow_ups.done_at), for the flagged visits
of a window.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-12 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

TABLE = "visit_photos"
LOCATION = ("latitude", "longitude", "accuracy", "located_at")


def _location_columns(with_accuracy: bool = True) -> list[sa.Column]:
    columns = [
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
    ]
    if with_accuracy:
        columns += [
            sa.Column("accuracy", sa.Float(), nullable=True),
            sa.Column("located_at", sa.DateTime(), nullable=True),
        ]
    return columns


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("thumb_key", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        *_location_columns(),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(visit_id IS NULL) <> (follow_up_id IS NULL)", name=op.f(f"ck_{TABLE}_one_owner")
        ),
        sa.CheckConstraint(
            "width > 0 AND height > 0 AND size_bytes > 0", name=op.f(f"ck_{TABLE}_size")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["monitoring_visits.id"],
            name=op.f(f"fk_{TABLE}_visit_id_monitoring_visits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f(f"fk_{TABLE}_follow_up_id_follow_ups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f(f"fk_{TABLE}_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("visit_id", "storage_key", name=op.f(f"uq_{TABLE}_visit_id")),
        sa.UniqueConstraint("follow_up_id", "storage_key", name=op.f(f"uq_{TABLE}_follow_up_id")),
    )
    op.create_index(op.f(f"ix_{TABLE}_storage_key"), TABLE, ["storage_key"], unique=False)
    op.create_index(op.f(f"ix_{TABLE}_thumb_key"), TABLE, ["thumb_key"], unique=False)
    for table in ("monitoring_visits", "follow_ups"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in _location_columns():
                batch_op.add_column(column)
    with op.batch_alter_table("customers", schema=None) as batch_op:
        for column in _location_columns(with_accuracy=False):
            batch_op.add_column(column)
    op.create_index(
        op.f("ix_monitoring_visits_created_at"), "monitoring_visits", ["created_at"], unique=False
    )
    op.create_index("ix_follow_ups_done_at", "follow_ups", ["done_at"], unique=False)


def downgrade():
    op.drop_index("ix_follow_ups_done_at", table_name="follow_ups")
    op.drop_index(op.f("ix_monitoring_visits_created_at"), table_name="monitoring_visits")
    # A plain ALTER on SQLite too (3.35+): a batch copy of customers would write its computed
    # name_key, and copies of follow_ups would trip the foreign keys of the rows referring to it.
    for table, names in (
        ("customers", LOCATION[:2]),
        ("follow_ups", LOCATION),
        ("monitoring_visits", LOCATION),
    ):
        for name in reversed(names):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    op.drop_index(op.f(f"ix_{TABLE}_thumb_key"), table_name=TABLE)
    op.drop_index(op.f(f"ix_{TABLE}_storage_key"), table_name=TABLE)
    op.drop_table(TABLE)
