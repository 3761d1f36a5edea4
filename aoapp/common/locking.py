"""Optimistic locking: a save based on a version other than the stored one is refused."""

from aoapp.errors import Conflict


def stale_message(noun: str) -> str:
    """The plain message shown when someone else saved the record first."""
    return (
        f"Someone else changed this {noun} since you opened it, so your changes were not saved. "
        f"Check the current data and save again."
    )


def check_version(record, version: int | None, noun: str) -> None:
    """Raise Conflict (409) when the client read another version than the one stored."""
    if version is not None and version != record.version:
        message = stale_message(noun)
        raise Conflict(message, {"version": [message]})
