"""relationship_changes: the journal of customers whose services or booking changed (issue 22).

funding/matched_services.py keeps the services' match of a stored pair (which service holders
its rollups count as they are) in each process, and brings it up to date from this journal: a
row per customer whose product holdings were added, removed or changed, or whose officer or
branch changed, with the writing transaction's id (`xid`, pg_current_xact_id() as a bigint) and
its time (naive UTC by the database's clock: the journal is the database's own bookkeeping, and
only the sweep reads the time). PostgreSQL writes the rows itself, by triggers on
product_holdings and customers, so every writer is journaled (the forms, handovers, a listing's
import) and none waits for another: each inserts its own rows, no row is shared. SQLite has the table and no triggers: the match is
read whole there. `flask imports sweep` deletes rows older than a day.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07 20:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0043"
down_revision = "0042"
branch_labels = None
depends_on = None

XID = "pg_current_xact_id()::text::bigint"
NOW = "(now() AT TIME ZONE 'UTC')"  # naive UTC, as the app's timestamps; only the sweep reads it
FUNCTIONS = f"""
CREATE FUNCTION aoapp_holding_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO relationship_changes (xid, customer_id, changed_at)
            VALUES ({XID}, OLD.customer_id, {NOW});
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO relationship_changes (xid, customer_id, changed_at)
            VALUES ({XID}, NEW.customer_id, {NOW});
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION aoapp_customer_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO relationship_changes (xid, customer_id, changed_at)
        VALUES ({XID}, NEW.id, {NOW});
    RETURN NULL;
END $$;
CREATE TRIGGER relationship_holding_changed
    AFTER INSERT OR DELETE OR UPDATE OF customer_id, product_id, created_at ON product_holdings
    FOR EACH ROW EXECUTE FUNCTION aoapp_holding_changed();
CREATE TRIGGER relationship_customer_moved
    AFTER UPDATE OF officer_id, branch_id ON customers
    FOR EACH ROW WHEN (OLD.officer_id IS DISTINCT FROM NEW.officer_id
                       OR OLD.branch_id IS DISTINCT FROM NEW.branch_id)
    EXECUTE FUNCTION aoapp_customer_moved();
"""


def upgrade():
    op.create_table(
        "relationship_changes",
        sa.Column("xid", sa.BigInteger, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_relationship_changes_xid", "relationship_changes", ["xid"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTIONS)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER relationship_customer_moved ON customers")
        op.execute("DROP TRIGGER relationship_holding_changed ON product_holdings")
        op.execute("DROP FUNCTION aoapp_customer_moved()")
        op.execute("DROP FUNCTION aoapp_holding_changed()")
    op.drop_table("relationship_changes")
