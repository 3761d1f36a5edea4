"""Declarative base with a constraint naming convention, UTC timestamps and the Money type; the
session that may send reads to a replica."""

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_sqlalchemy.session import Session
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = sa.Numeric(18, 2)


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamp stored as naive UTC (SQLite keeps no zone) and returned as aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every model."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={Decimal: Money, datetime: UTCDateTime()},
    )


def render_item(type_, obj, _autogen_context):
    """Alembic renders UTCDateTime as a plain DateTime, so migrations do not import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


# The tables of the month partitions (and the default ones) on PostgreSQL, by name prefix.
PARTITIONS = (
    "positions_p",
    "positions_default",
    "deposit_positions_p",
    "deposit_positions_default",
)


def include_name(name, type_, _parent_names) -> bool:
    """Autogenerate leaves alone the month partitions of `positions` and `deposit_positions`
    (PostgreSQL): an import builds and attaches them (imports/partition.py); the partitioned
    table is the model."""
    return not (type_ == "table" and name and name.startswith(PARTITIONS))


READ_REPLICA = "read_replica"  # Session.info: the replica engine reads go to (common/replica.py)
WROTE = "wrote"  # Session.info: the open transaction wrote on the primary


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending reads to the replica while `common.replica` asks.

    The SQLAlchemy documentation's routing-session recipe: flushes and INSERT/UPDATE/DELETE go to
    the primary, other statements to `info[READ_REPLICA]` when set. Once the open transaction has
    written, its reads stay on the primary too, where its own uncommitted rows are.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        """The replica for a read asked for there, else Flask-SQLAlchemy's choice (the primary)."""
        if bind is None:
            if self._flushing or isinstance(clause, sa.sql.dml.UpdateBase):
                self.info[WROTE] = True
            elif (replica := self.info.get(READ_REPLICA)) is not None and not self.info.get(WROTE):
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@sa.event.listens_for(RoutingSession, "after_transaction_end")
def _transaction_ended(session, transaction) -> None:
    """A new transaction has written nothing yet."""
    if transaction.parent is None:
        session.info.pop(WROTE, None)
