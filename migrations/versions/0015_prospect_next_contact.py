"""a prospect's next contact is its earliest planned follow-up: plan one for every prospect with a
coming next-contact date and none planned, then drop prospects.next_follow_up_date

The column is dropped, not kept: the day now lives on the planned follow-up (agenda, dashboards,
calendar feed and prospect page read it there), and a second copy would drift from it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 19:00:00

"""

from datetime import date

import sqlalchemy as sa
from alembic import op

from aoapp.common.dates import bank_today, utcnow

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

CLOSED = ("won", "rejected", "lost")

prospects = sa.table(
    "prospects",
    sa.column("id", sa.Integer),
    sa.column("owner_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("next_follow_up_date", sa.Date),
)
follow_ups = sa.table(
    "follow_ups",
    *(sa.column(name, sa.Integer) for name in ("id", "prospect_id", "owner_id", "version")),
    *(sa.column(name, sa.String) for name in ("channel", "purpose", "status", "notes")),
    sa.column("planned_date", sa.Date),
    sa.column("escalated", sa.Boolean),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)
audit_entries = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def plan_next_contacts(connection, today: date) -> int:
    """Plan a call about the products (the form's default) on the next-contact day of every open
    prospect whose day is today or later and that has no planned follow-up, owned by the
    prospect's officer, each audited as the system's migration; returns how many."""
    planned = (
        sa.select(follow_ups.c.id)
        .where(follow_ups.c.prospect_id == prospects.c.id, follow_ups.c.status == "planned")
        .exists()
    )
    rows = connection.execute(
        sa.select(prospects.c.id, prospects.c.owner_id, prospects.c.next_follow_up_date)
        .where(
            prospects.c.next_follow_up_date >= today,
            prospects.c.status.not_in(CLOSED),
            ~planned,
        )
        .order_by(prospects.c.id)
    ).all()
    now = utcnow().replace(tzinfo=None)  # timestamps are stored as naive UTC
    for prospect_id, owner_id, day in rows:
        values = {
            "prospect_id": prospect_id,
            "owner_id": owner_id,
            "channel": "call",
            "purpose": "product_offer",
            "planned_date": day,
            "status": "planned",
            "notes": "",
            "escalated": False,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        insert = sa.insert(follow_ups).values(values).returning(follow_ups.c.id)
        followup_id = connection.execute(insert).scalar_one()
        after = {
            "id": followup_id,
            **values,
            "planned_date": day.isoformat(),
            "created_at": now.isoformat(),
            "updated_at": now.isoformat(),
        }
        connection.execute(
            sa.insert(audit_entries).values(
                at=now,
                actor_id=None,  # the system
                entity_type="followup",
                entity_id=followup_id,
                action="migrate",
                before=None,
                after=after,
            )
        )
    return len(rows)


def upgrade():
    plan_next_contacts(op.get_bind(), bank_today())
    op.drop_index("ix_prospects_next_follow_up_date", table_name="prospects")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's own DROP COLUMN (3.35+), not a batch copy of the table: copying would drop a
        # table that follow-ups, introductions and history rows reference.
        op.execute("ALTER TABLE prospects DROP COLUMN next_follow_up_date")
    else:
        op.drop_column("prospects", "next_follow_up_date")


def downgrade():
    op.add_column("prospects", sa.Column("next_follow_up_date", sa.Date(), nullable=True))
    op.create_index("ix_prospects_next_follow_up_date", "prospects", ["next_follow_up_date"])
    earliest = (
        sa.select(sa.func.min(follow_ups.c.planned_date))
        .where(follow_ups.c.prospect_id == prospects.c.id, follow_ups.c.status == "planned")
        .scalar_subquery()
    )
    op.get_bind().execute(sa.update(prospects).values(next_follow_up_date=earliest))
