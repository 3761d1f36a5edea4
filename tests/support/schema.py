"""What PostgreSQL says a table is made of, for the tests of what an import sets aside and builds
again (imports/bulk.py, imports/partition.py)."""

import sqlalchemy as sa

from aoapp.extensions import db


def schema_of(table: str) -> list[tuple]:
    """The table's indexes and constraints, each as its definition."""
    return db.session.execute(
        sa.text(
            "SELECT 'index', indexdef FROM pg_indexes WHERE tablename = :t UNION ALL"
            " SELECT 'key', pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = CAST(:t AS regclass) ORDER BY 1, 2"
        ),
        {"t": table},
    ).all()
