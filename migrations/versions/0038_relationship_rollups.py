"""Relationship rollups and steps (issue 22): per stored pair of listings and booking group
(officer, branch), the relationship rows of the customers booked in that group alone, summed, so
a scope's cross-sell adds up its groups instead of reading every customer
(funding/stored_relationship.py); `relationship_customers.bookings`, how many rows a customer has
on its pair (those of several are counted row by row); and for two stored pairs in a row, the
rows on the first of the customers with none on the second (relationship_steps,
relationship_departures: retention and the lost customers). All filled for the pairs already
stored, after dropping those no listing date reads any more. The downgrade drops the tables, the column and its index.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06 18:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

# A stored pair that no listing date reads (a listing of either kind came in between its date and
# the later of the two): dropped, as funding/relationship_rows.py now drops them, so the steps
# join the pairs that are read.
LAST = "CASE WHEN {p}.loans_as_of >= {p}.deposits_as_of THEN {p}.loans_as_of ELSE {p}.deposits_as_of END"
UNREAD = f"""(EXISTS (SELECT 1 FROM positions x
                     WHERE x.as_of > {{p}}.loans_as_of AND x.as_of <= {LAST})
           OR EXISTS (SELECT 1 FROM deposit_positions x
                      WHERE x.as_of > {{p}}.deposits_as_of AND x.as_of <= {LAST}))"""
PAIR_CUSTOMER = """
    x.loans_as_of = relationship_customers.loans_as_of
    AND x.deposits_as_of = relationship_customers.deposits_as_of
    AND x.customer_id = relationship_customers.customer_id
"""


def upgrade():
    op.execute(
        f"""DELETE FROM relationship_customers WHERE EXISTS (
                SELECT 1 FROM relationship_pairs p
                WHERE p.loans_as_of = relationship_customers.loans_as_of
                  AND p.deposits_as_of = relationship_customers.deposits_as_of
                  AND {UNREAD.format(p="p")})"""
    )
    op.execute(f"DELETE FROM relationship_pairs WHERE {UNREAD.format(p='relationship_pairs')}")
    op.add_column(
        "relationship_customers",
        sa.Column("bookings", sa.Integer(), server_default="1", nullable=False),
    )
    # Only the customers with several rows on a pair change (few).
    op.execute(
        f"""UPDATE relationship_customers
            SET bookings = (SELECT COUNT(*) FROM relationship_customers x WHERE {PAIR_CUSTOMER})
            WHERE EXISTS (SELECT 1 FROM relationship_customers x
                          WHERE {PAIR_CUSTOMER} AND x.id <> relationship_customers.id)"""
    )
    op.create_index(
        "ix_relationship_customers_pair_bookings",
        "relationship_customers",
        ["loans_as_of", "deposits_as_of", "bookings"],
    )
    op.create_table(
        "relationship_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loans_as_of", sa.Date(), nullable=False),
        sa.Column("deposits_as_of", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("products", sa.Integer(), nullable=False),
        sa.Column("borrowers", sa.Integer(), nullable=False),
        sa.Column("borrowers_with_funding", sa.Integer(), nullable=False),
        sa.Column("depositors", sa.Integer(), nullable=False),
        sa.Column("depositors_with_credit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship_rollups")),
    )
    op.execute(
        """INSERT INTO relationship_rollups (loans_as_of, deposits_as_of, officer_id, branch_id,
               customers, products, borrowers, borrowers_with_funding, depositors,
               depositors_with_credit)
           SELECT loans_as_of, deposits_as_of, officer_id, branch_id, COUNT(*), SUM(products),
                  SUM(borrower), SUM(borrower * has_deposit), SUM(depositor),
                  SUM(depositor * has_credit)
           FROM relationship_customers WHERE bookings = 1
           GROUP BY loans_as_of, deposits_as_of, officer_id, branch_id"""
    )
    op.create_index(
        "ix_relationship_rollups_pair_branch",
        "relationship_rollups",
        ["loans_as_of", "deposits_as_of", "branch_id", "officer_id"],
    )


    op.create_table(
        "relationship_steps",
        sa.Column("loans_as_of", sa.Date(), nullable=False),
        sa.Column("deposits_as_of", sa.Date(), nullable=False),
        sa.Column("to_loans_as_of", sa.Date(), nullable=False),
        sa.Column("to_deposits_as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint(
            "loans_as_of",
            "deposits_as_of",
            "to_loans_as_of",
            "to_deposits_as_of",
            name=op.f("pk_relationship_steps"),
        ),
    )
    op.create_table(
        "relationship_departures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loans_as_of", sa.Date(), nullable=False),
        sa.Column("deposits_as_of", sa.Date(), nullable=False),
        sa.Column("to_loans_as_of", sa.Date(), nullable=False),
        sa.Column("to_deposits_as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship_departures")),
    )
    # Pairs follow their listing dates (both later on a later day): in a row by (loans, deposits).
    op.execute(
        """INSERT INTO relationship_steps
           SELECT loans_as_of, deposits_as_of, to_loans, to_deposits FROM (
               SELECT loans_as_of, deposits_as_of,
                      LEAD(loans_as_of) OVER (ORDER BY loans_as_of, deposits_as_of) AS to_loans,
                      LEAD(deposits_as_of) OVER (ORDER BY loans_as_of, deposits_as_of)
                          AS to_deposits
               FROM relationship_pairs) x
           WHERE to_loans IS NOT NULL"""
    )
    op.execute(
        """INSERT INTO relationship_departures (loans_as_of, deposits_as_of, to_loans_as_of,
               to_deposits_as_of, customer_id, officer_id, branch_id)
           SELECT s.loans_as_of, s.deposits_as_of, s.to_loans_as_of, s.to_deposits_as_of,
                  r.customer_id, r.officer_id, r.branch_id
           FROM relationship_steps s
           JOIN relationship_customers r
             ON r.loans_as_of = s.loans_as_of AND r.deposits_as_of = s.deposits_as_of
           WHERE NOT EXISTS (SELECT 1 FROM relationship_customers n
                             WHERE n.loans_as_of = s.to_loans_as_of
                               AND n.deposits_as_of = s.to_deposits_as_of
                               AND n.customer_id = r.customer_id)"""
    )
    op.create_index(
        "ix_relationship_departures_step",
        "relationship_departures",
        ["loans_as_of", "deposits_as_of", "to_loans_as_of", "to_deposits_as_of"],
    )


def downgrade():
    op.drop_table("relationship_departures")
    op.drop_table("relationship_steps")
    op.drop_table("relationship_rollups")
    op.drop_index("ix_relationship_customers_pair_bookings", table_name="relationship_customers")
    with op.batch_alter_table("relationship_customers") as batch:
        batch.drop_column("bookings")
