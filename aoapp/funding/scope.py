"""Which funds a scope covers: credit/figures.resolve_scope's condition, written on the loan
positions' booking columns, applied to the deposit positions' own (or a customer's)."""

import sqlalchemy as sa
from sqlalchemy.sql.visitors import replacement_traverse

from aoapp.credit.models import Position
from aoapp.funding.models import DepositPosition, DepositStatus


def on_columns(condition: sa.ColumnElement[bool], officer, branch) -> sa.ColumnElement[bool]:
    """A scope's condition on loan positions, written on other booking columns (`officer`,
    `branch`): a deposit position's, a customer's. Any other column of Position is an error."""
    swap = {"officer_id": officer, "branch_id": branch}

    def replace(element):
        if getattr(element, "table", None) is Position.__table__:
            if element.name not in swap:
                raise ValueError(f"a funding scope cannot read positions.{element.name}")
            return swap[element.name]
        return None

    return replacement_traverse(condition, {}, replace)


def deposit_scope(condition, position=DepositPosition) -> sa.ColumnElement[bool]:
    """The scope's condition on the booking of a deposit position (or an alias of the table)."""
    return on_columns(condition, position.officer_id, position.branch_id)


def held(position=DepositPosition) -> sa.ColumnElement[bool]:
    """The position holds funds: listed with any status but closed."""
    return position.status != DepositStatus.CLOSED.value
