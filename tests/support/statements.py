"""The SQL statements a block of test code sends through the app's engine."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from aoapp.extensions import db


@contextmanager
def recorded() -> Iterator[list[str]]:
    """Collect the SQL of every statement sent through the app's engine within the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
