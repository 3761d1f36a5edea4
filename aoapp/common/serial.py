"""One at a time across processes: a named lock held by the current transaction.

PostgreSQL: a transaction-scoped advisory lock on the name (released by the commit or rollback).
SQLite has one writer at a time: the transaction begins IMMEDIATE, taking the writer's lock at
once, instead of at its first write after reads another writer could still change; a transaction
that has written already holds that lock.
"""

import zlib

import sqlalchemy as sa

SQLITE_BUSY_MS = 5000  # Python's sqlite3 default, restored once the lock is taken


class LockBusy(Exception):
    """The lock was still held by another transaction after the wait."""


def hold(connection: sa.Connection, name: str, wait_seconds: float) -> None:
    """Wait up to `wait_seconds` for the lock `name`, held until `connection`'s transaction ends.

    On SQLite call it before the transaction's first read that the lock should cover (it begins
    the transaction), or after a write (which took the one writer lock already).
    """
    wait_ms = max(1, int(wait_seconds * 1000))
    try:
        if connection.dialect.name == "postgresql":
            _hold_advisory(connection, name, wait_ms)
        else:
            _begin_immediate(connection, wait_ms)
    except sa.exc.OperationalError as error:
        if _is_lock_wait(error):
            raise LockBusy(name) from error
        raise


def _hold_advisory(connection: sa.Connection, name: str, wait_ms: int) -> None:
    key = zlib.crc32(name.encode()) - 2**31  # a stable signed 32-bit key for the name
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")


def _begin_immediate(connection: sa.Connection, wait_ms: int) -> None:
    driver = connection.connection.driver_connection
    if driver.in_transaction:
        # Python's sqlite3 opens a transaction at its first write (or BEGIN IMMEDIATE): one that
        # is open already holds the database's one writer lock, which every name shares.
        return
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")


def _is_lock_wait(error: sa.exc.OperationalError) -> bool:
    """PostgreSQL's lock_timeout (55P03), SQLite's 'database is locked'."""
    if getattr(error.orig, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(error.orig)
