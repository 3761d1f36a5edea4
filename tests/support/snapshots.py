"""The rows a slow fixture adds, taken once and inserted back for the next tests that ask for
the same (as `demo_bank` does for the demo): the fixture's own work runs once per worker.

`added_rows(build)` runs `build()` and returns what it returned with the rows it inserted (every
table, parents first); `put_back(rows)` inserts them again and moves PostgreSQL's id sequences
past them; `copied(...)` does both for a fixture, keyed. It relies on what `_db_session` guarantees: every test starts from empty tables with
restarted ids, so the `world` made before is the same rows with the same ids each time (callers
key their copy by those ids). A fixture that changes rows it did not insert cannot be copied so.
"""

from datetime import datetime
from functools import cache

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
    next calls the rows put back (restamped with `now()`, see `put_back`) and `restore(ids)`
    returned (the built objects, loaded again)."""
    saved = cache.get(key)
    if saved is None:
        built, rows = added_rows(build)
        cache[key] = (rows, ids(built))
        return built
    rows, kept = saved
    put_back(rows, now)
    restored = restore(kept)
    db.session.commit()  # as a build leaves its objects: committed, expired, no transaction open
    return restored


class DatabaseCopy:
    """A copy of the rows of the tables `names`, kept inside the database engine itself: put back
    by the database (INSERT … SELECT per table), not row by row through Python. For large fixtures
    put back by many tests (the demo bank: 9,000 rows, ~0.3 s through `put_back`, ~0.05 s so).

    SQLite: a copy of the whole database file (`VACUUM INTO`), attached while putting back.
    PostgreSQL: a schema of its own in the worker's database, made again by each run.
    """

    SCHEMA = "test_copy"

    def __init__(self, names: list[str], file: str):
        self.names = [t.name for t in tables() if t.name in set(names)]  # parents first
        self.file = file
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql(f"VACUUM INTO '{file}'")
                return
            made = [f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE", f"CREATE SCHEMA {self.SCHEMA}"]
            made += [
                f"CREATE TABLE {self.SCHEMA}.{name} AS SELECT {self._columns(name)} FROM {name}"
                for name in self.names
            ]
            connection.exec_driver_sql("; ".join(made))
            connection.commit()

    @staticmethod
    def _columns(name: str) -> str:
        return ", ".join(column.name for column in stored(db.metadata.tables[name]))

    def put_back(self) -> None:
        """The rows inserted again (into empty tables) and PostgreSQL's id sequences moved past
        them, in one transaction."""
        db.session.remove()
        with db.engine.connect() as connection:
            raw = connection.connection.driver_connection
            if connection.dialect.name == "sqlite":
                raw.execute(
                    f"ATTACH DATABASE '{self.file}' AS {self.SCHEMA}"
                )  # not in a transaction
                try:
                    raw.execute("BEGIN")
                    for name in self.names:
                        columns = self._columns(name)
                        raw.execute(
                            f"INSERT INTO main.{name} ({columns})"
                            f" SELECT {columns} FROM {self.SCHEMA}.{name}"
                        )
                    raw.execute("COMMIT")
                finally:
                    raw.execute(f"DETACH DATABASE {self.SCHEMA}")
                return
            inserts = [
                f"INSERT INTO {name} ({self._columns(name)})"
                f" SELECT {self._columns(name)} FROM {self.SCHEMA}.{name}"
                for name in self.names
            ]
            names = tuple(t.name for t in reversed(db.metadata.sorted_tables))
            inserts += [
                f"SELECT setval('{sequence}', (SELECT MAX(id) FROM {table}))"
                for sequence, table in _sequences(connection, names)
                if table in self.names
            ]
            connection.exec_driver_sql("; ".join(inserts))
            connection.commit()
