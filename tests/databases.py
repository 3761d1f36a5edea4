"""Test databases: SQLite files, or PostgreSQL databases of their own beside the configured one."""

import sqlalchemy as sa


def own_database(url: str, suffix: str) -> str:
    """A PostgreSQL database `<configured>_<suffix>` with an empty public schema.

    Created when missing and never dropped: DROP DATABASE makes PostgreSQL checkpoint, which
    took 27 s while the suite kept the server busy; emptying a schema takes milliseconds.
    """
    base = sa.engine.make_url(url)
    name = f"{base.database}_{suffix}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    own = base.set(database=name).render_as_string(hide_password=False)
    reset_schema(own)
    return own


def reset_schema(url: str) -> None:
    """Empty a PostgreSQL database, so migrations build the whole schema (SQLite: nothing).

    Its commits are not waited on to reach the disk (synchronous_commit off, for every later
    connection to it, the suite's and the processes it starts): what other transactions see,
    and when, is unchanged; only a crash of the server could lose the last commits of a database
    the next run empties anyway. The suite commits tens of thousands of times.
    """
    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
        name = connection.scalar(sa.text("SELECT current_database()"))
        connection.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine.dispose()


def empty_tables(connection: sa.Connection, tables: list[str]) -> None:
    """Leave `tables` (children first) empty, with their ids counting from 1 again.

    Only the tables a test left rows in are emptied (PostgreSQL: or whose sequence it used),
    found by one statement probing them all. PostgreSQL: DELETE and a sequence restart, sent
    together; a TRUNCATE of every table took ~100 ms after each test (four minutes of the suite).
    SQLite: a DELETE of every table took ~6 ms after each test; an emptied table's ids count
    from 1 again by themselves (no AUTOINCREMENT).
    """
    probes = [f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in tables]
    if connection.dialect.name != "postgresql":
        touched = set(connection.scalars(sa.text(" UNION ALL ".join(probes))))
        for table in tables:
            if table in touched:
                connection.execute(sa.text(f"DELETE FROM {table}"))
        return
    sequences = _sequences(connection, tuple(tables))
    probes += [f"SELECT '{t}' FROM {s} WHERE is_called" for s, t in sequences]
    touched = set(connection.scalars(sa.text(" UNION ".join(probes))))
    statements = [f"DELETE FROM {table}" for table in tables if table in touched]
    statements += [f"ALTER SEQUENCE {seq} RESTART" for seq, table in sequences if table in touched]
    if statements:  # one round trip, not one per table; every row goes, so no key is checked
        statements.insert(0, "SET LOCAL session_replication_role = replica")
        connection.exec_driver_sql("; ".join(statements))


_SEQUENCES: dict[tuple[str, ...], list[tuple[str, str]]] = {}


def _sequences(connection: sa.Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(sequence, table) for every id sequence of `tables`, looked up once per run."""
    if tables not in _SEQUENCES:
        rows = connection.execute(
            sa.text(
                "SELECT s.relname, t.relname FROM pg_depend d "
                "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                "JOIN pg_class t ON t.oid = d.refobjid "
                "WHERE d.deptype IN ('a', 'i') AND t.relname = ANY(:tables)"
            ),
            {"tables": list(tables)},
        )
        _SEQUENCES[tables] = [(sequence, table) for sequence, table in rows]
    return _SEQUENCES[tables]
