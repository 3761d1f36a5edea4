"""The rows a slow fixture adds, taken once and inserted back for the next tests that ask for
the same (as `demo_bank` does for the demo): the fixture's own work runs once per worker.

`added_rows(build)` runs `build()` and returns what it returned with the rows it inserted (every
table, parents first); `put_back(rows)` inserts them again and moves PostgreSQL's id sequences
past them; `copied(...)` does both for a fixture, keyed. It relies on what `_db_session` guarantees: every test starts from empty tables with
restarted ids, so the `world` made before is the same rows with the same ids each time (callers
key their copy by those ids). A fixture that changes rows it did not insert cannot be copied so.
"""

from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.extensions import db
from tests.databases import _sequences

KEEP_TABLES = {"collectibility_bands"}  # reference data seeded by the migrations


def tables() -> list[sa.Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]


def stored(table: sa.Table) -> list[sa.Column]:
    """The columns an insert may write: not those the database computes (e.g. name keys)."""
    return [column for column in table.columns if column.computed is None]


def fingerprint() -> tuple[int, ...]:
    """The number of rows of every table, in one statement: part of a copy's key where callers
    may have added rows of their own before the build (the copy's ids would not fit then). The
    session's work is committed first, as `added_rows` does."""
    db.session.commit()
    return tuple(db.session.execute(_counts()).one())


@cache
def _counts() -> sa.Select:
    """Built once: building and keying its ~80 subqueries cost ~3 ms a call."""
    return sa.select(
        *(sa.select(sa.func.count()).select_from(t).scalar_subquery() for t in tables())
    )


def _rows() -> dict[str, dict[tuple, dict]]:
    """Every row of every table, by its primary key (the session's work committed first)."""
    db.session.commit()
    with db.engine.connect() as connection:
        return {
            t.name: {
                tuple(row[c.name] for c in t.primary_key.columns): dict(row)
                for row in connection.execute(sa.select(*stored(t))).mappings()
            }
            for t in tables()
        }


def added_rows(build):
    """(what `build()` returned, the rows it added by table); refuses a build that changed rows
    that were there before it."""
    before = _rows()
    built = build()
    after = _rows()
    added = {}
    for name, rows in after.items():
        old = before[name]
        changed = [key for key, row in old.items() if rows.get(key) != row]
        assert not changed, f"{name}: rows changed, not only added: {changed[:3]}"
        added[name] = [row for key, row in rows.items() if key not in old]
    return built, added


def put_back(added: dict[str, list[dict]], now=None) -> None:
    """Insert the rows again (parents first) and restart the id sequences after them; with `now`
    (a clock), every time in them is now's: rows made "just now" are made now again."""
    if now is not None:
        added = _restamped(added, now())
    with db.engine.begin() as connection:
        for table in tables():
            if added.get(table.name):
                connection.execute(table.insert(), added[table.name])
        if connection.dialect.name == "postgresql":
            names = tuple(t.name for t in reversed(db.metadata.sorted_tables))
            for sequence, table in _sequences(connection, names):
                if added.get(table):
                    connection.execute(
                        sa.text(f"SELECT setval('{sequence}', (SELECT MAX(id) FROM {table}))")
                    )


def copy_key(*parts) -> tuple:
    """A copy's key: the bank's day, the database, the caller's `parts` (the ids its build reads)
    and the rows already there (`fingerprint`)."""
    return (bank_today(), str(db.engine.url), *parts, fingerprint())


def _restamped(added: dict[str, list[dict]], now: datetime) -> dict[str, list[dict]]:
    naive = now.replace(tzinfo=None)

    def stamp(value):
        if isinstance(value, datetime):
            return naive if value.tzinfo is None else now
        return value

    return {
        name: [{column: stamp(value) for column, value in row.items()} for row in rows]
        for name, rows in added.items()
    }


def copied(cache: dict, key, build, ids, restore, now=None):
    """`build()` on the first call for `key`, its rows and `ids(built)` kept in `cache`; on the
    next calls the rows put back (by the database, `DatabaseCopy`; through Python when restamped
    with `now()`, see `put_back`) and `restore(ids)` returned (the built objects, loaded again)."""
    saved = cache.get(key)
    if saved is None:
        built, rows = added_rows(build)
        cache[key] = (rows, ids(built))
        return built
    rows, kept = saved
    if now is not None:  # restamped: through Python
        put_back(rows, now)
    else:  # the second call keeps the rows in the database, for this and the next ones
        if not isinstance(rows, DatabaseCopy):
            rows = DatabaseCopy(rows)
            cache[key] = (rows, kept)
        rows.put_back()
    restored = restore(kept)
    db.session.commit()  # as a build leaves its objects: committed, expired, no transaction open
    return restored


class DatabaseCopy:
    """Rows kept inside the database engine itself, to be put back by the database (one INSERT …
    SELECT per table) rather than row by row through Python: for a fixture's rows that many
    tests ask for (the demo bank: 9,000 rows, ~0.3 s through `put_back`, ~0.05 s so).

    The rows go once into tables of the same columns: on SQLite in a database file of their own
    beside the test database, attached while putting back; on PostgreSQL in a schema of the
    worker's database (made again by each run: `reset_schema` empties only `public`). `copied`
    keeps its fixtures' rows so from their second use on.
    """

    _made = 0

    def __init__(self, rows: dict[str, list[dict]]):
        DatabaseCopy._made += 1
        self.schema = f"test_copy_{DatabaseCopy._made}"
        # SQLite: beside the test database, in the folder the run removes at its end
        self.file = str(Path(db.engine.url.database or ".").parent / f"{self.schema}.db")
        self.tables = [t for t in tables() if rows.get(t.name)]  # parents first
        with self._attached() as connection:
            made = [f"DROP SCHEMA IF EXISTS {self.schema} CASCADE", f"CREATE SCHEMA {self.schema}"]
            if connection.dialect.name == "sqlite":
                made = []  # the attached file is the schema
            made += [
                f"CREATE TABLE {self.schema}.{t.name} AS SELECT {self._columns(t)} FROM {t.name}"
                " WHERE 1 = 0"
                for t in self.tables
            ]
            for statement in made:
                connection.exec_driver_sql(statement)
            kept = sa.MetaData(schema=self.schema)
            for t in self.tables:
                copy = sa.Table(t.name, kept, *(sa.Column(c.name, c.type) for c in stored(t)))
                connection.execute(copy.insert(), rows[t.name])

    @staticmethod
    def _columns(table: sa.Table) -> str:
        return ", ".join(column.name for column in stored(table))

    @contextmanager
    def _attached(self):
        """A connection that sees the copy, in a transaction committed on leaving (the session's
        work committed first: on SQLite its open transaction would hold the writer off)."""
        db.session.commit()
        with db.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:  # outside any transaction, as SQLite requires
                connection.exec_driver_sql(f"ATTACH DATABASE '{self.file}' AS {self.schema}")
            try:
                yield connection
                connection.commit()
            finally:
                if sqlite:
                    connection.rollback()
                    connection.exec_driver_sql(f"DETACH DATABASE {self.schema}")

    def put_back(self) -> None:
        """The rows inserted again (their tables emptied by `_db_session` since) and PostgreSQL's
        id sequences moved past them, in one transaction."""
        with self._attached() as connection:
            statements = [
                f"INSERT INTO {t.name} ({self._columns(t)})"
                f" SELECT {self._columns(t)} FROM {self.schema}.{t.name}"
                for t in self.tables
            ]
            if connection.dialect.name == "postgresql":
                names = tuple(t.name for t in reversed(db.metadata.sorted_tables))
                kept = {t.name for t in self.tables}
                statements += [
                    f"SELECT setval('{sequence}', (SELECT MAX(id) FROM {table}))"
                    for sequence, table in _sequences(connection, names)
                    if table in kept
                ]
                statements = ["; ".join(statements)]  # one round trip
            for statement in statements:
                connection.exec_driver_sql(statement)
