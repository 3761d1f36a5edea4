"""position indexes led by officer, customer and branch (their history is a short range)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 05:10:00

Measured on the bank-scale database of bench/load (6,000,000 positions): a customer's Kol
history 104 ms -> 0.12 ms, an officer's listing dates 68 ms -> 0.3 ms, a branch's 61 ms -> 12 ms.
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index('ix_positions_as_of_officer')
        batch_op.drop_index('ix_positions_as_of_customer')
        batch_op.create_index('ix_positions_officer_as_of', ['officer_id', 'as_of'], unique=False)
        batch_op.create_index('ix_positions_customer_as_of', ['customer_id', 'as_of'], unique=False)
        batch_op.create_index('ix_positions_branch_as_of', ['branch_id', 'as_of'], unique=False)


def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index('ix_positions_branch_as_of')
        batch_op.drop_index('ix_positions_customer_as_of')
        batch_op.drop_index('ix_positions_officer_as_of')
        batch_op.create_index('ix_positions_as_of_customer', ['as_of', 'customer_id'], unique=False)
        batch_op.create_index('ix_positions_as_of_officer', ['as_of', 'officer_id'], unique=False)
