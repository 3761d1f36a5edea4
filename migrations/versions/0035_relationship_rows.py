"""Relationship rows (issue 22): relationship_customers, one row per (loan listing date,
deposits listing date, customer, officer, branch) with whether the group books the customer a
facility or funds and what the customer holds on the pair bank-wide; relationship_pairs, the
pairs stored. Filled set-based for the pair of every listing date already there (the pairs
funding/relationship_rows.py writes at each import). The downgrade drops both tables.

The category of a product is written out here as it is at this revision (funding/held.category
is its definition from now on).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

CATEGORY = """CASE WHEN p.kind = 'credit' THEN 'credit:' || COALESCE(p.credit_subtype, p.code)
                   WHEN p.kind = 'deposit' THEN 'deposit:' || COALESCE(p.deposit_type, p.code)
                   ELSE 'service:' || p.code END"""
HELD = "d.status <> 'closed'"
# The pair of each listing date: its last loan listing and last deposits listing on or before it.
PAIRS = """
    SELECT DISTINCT
        (SELECT MAX(as_of) FROM positions WHERE as_of <= x.day) AS loans_as_of,
        (SELECT MAX(as_of) FROM deposit_positions WHERE as_of <= x.day) AS deposits_as_of
    FROM (SELECT DISTINCT as_of AS day FROM positions
          UNION SELECT DISTINCT as_of FROM deposit_positions) x
"""
ROWS = f"""
    INSERT INTO relationship_customers (loans_as_of, deposits_as_of, customer_id, officer_id,
        branch_id, borrower, depositor, products, has_credit, has_deposit)
    SELECT g.loans_as_of, g.deposits_as_of, g.customer_id, g.officer_id, g.branch_id,
           g.borrower, g.depositor, s.products, s.has_credit, s.has_deposit
    FROM (
        SELECT loans_as_of, deposits_as_of, customer_id, officer_id, branch_id,
               MAX(borrower) AS borrower, MAX(depositor) AS depositor
        FROM (
            SELECT r.loans_as_of, r.deposits_as_of, h.customer_id, h.officer_id, h.branch_id,
                   1 AS borrower, 0 AS depositor
            FROM relationship_pairs r JOIN positions h ON h.as_of = r.loans_as_of
            UNION ALL
            SELECT r.loans_as_of, r.deposits_as_of, d.customer_id, d.officer_id, d.branch_id, 0, 1
            FROM relationship_pairs r JOIN deposit_positions d ON d.as_of = r.deposits_as_of
            WHERE {HELD}
        ) booked
        GROUP BY loans_as_of, deposits_as_of, customer_id, officer_id, branch_id
    ) g JOIN (
        SELECT loans_as_of, deposits_as_of, customer_id, COUNT(DISTINCT category) AS products,
               MAX(credit) AS has_credit, MAX(deposit) AS has_deposit
        FROM (
            SELECT r.loans_as_of, r.deposits_as_of, h.customer_id, {CATEGORY} AS category,
                   1 AS credit, 0 AS deposit
            FROM relationship_pairs r JOIN positions h ON h.as_of = r.loans_as_of
            JOIN facilities f ON f.id = h.facility_id JOIN products p ON p.id = f.product_id
            UNION ALL
            SELECT r.loans_as_of, r.deposits_as_of, d.customer_id, 'deposit:' || d.deposit_type,
                   0, 1
            FROM relationship_pairs r JOIN deposit_positions d ON d.as_of = r.deposits_as_of
            WHERE {HELD}
        ) listed
        GROUP BY loans_as_of, deposits_as_of, customer_id
    ) s ON s.loans_as_of = g.loans_as_of AND s.deposits_as_of = g.deposits_as_of
       AND s.customer_id = g.customer_id
"""


def upgrade():
    op.create_table(
        "relationship_pairs",
        sa.Column("loans_as_of", sa.Date(), nullable=False),
        sa.Column("deposits_as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("loans_as_of", "deposits_as_of", name=op.f("pk_relationship_pairs")),
    )
    op.create_table(
        "relationship_customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loans_as_of", sa.Date(), nullable=False),
        sa.Column("deposits_as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("borrower", sa.Integer(), nullable=False),
        sa.Column("depositor", sa.Integer(), nullable=False),
        sa.Column("products", sa.Integer(), nullable=False),
        sa.Column("has_credit", sa.Integer(), nullable=False),
        sa.Column("has_deposit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship_customers")),
    )
    op.execute(
        f"""INSERT INTO relationship_pairs (loans_as_of, deposits_as_of)
            SELECT loans_as_of, deposits_as_of FROM ({PAIRS}) pairs
            WHERE loans_as_of IS NOT NULL AND deposits_as_of IS NOT NULL"""
    )
    op.execute(ROWS)
    op.create_index(
        "ix_relationship_customers_pair_customer",
        "relationship_customers",
        ["loans_as_of", "deposits_as_of", "customer_id"],
    )
    op.create_index(
        "ix_relationship_customers_pair_branch",
        "relationship_customers",
        ["loans_as_of", "deposits_as_of", "branch_id", "officer_id"],
    )
    op.create_index(
        "ix_relationship_customers_pair_officer",
        "relationship_customers",
        ["loans_as_of", "deposits_as_of", "officer_id"],
    )


def downgrade():
    op.drop_table("relationship_customers")
    op.drop_table("relationship_pairs")
