"""Run a piece of work that mostly waits on the database in a thread, while this one goes on.

The work gets an application context, a session and a connection of its own (a Flask-SQLAlchemy
session belongs to its app context) and the caller's language; its reads go where the caller's go
(the replica, inside common/replica.py's block); its session is removed when it ends. What it
returns must not need that session afterwards: plain values and dataclasses, not ORM objects with
attributes still to load. Its connection sees the database as committed when its queries start,
like any other reader.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from aoapp.common.i18n import locale_code
from aoapp.common.replica import reading_on, routed_engine
from aoapp.extensions import db

T = TypeVar("T")


def can_share_work() -> bool:
    """False when the engine has one connection for everyone (in-memory SQLite): a second
    reader would use it at the same time."""
    return not isinstance(db.engine.pool, sa.pool.StaticPool | sa.pool.SingletonThreadPool)


def started(work: Callable[[], T], name: str = "background-work") -> Callable[[], T]:
    """Start `work()` now (in a thread when the database allows it) and return a function that
    waits for its result, raising what it raised."""
    if not can_share_work():
        value = work()
        return lambda: value
    app, language, replica = current_app._get_current_object(), locale_code(), routed_engine()
    outcome: dict = {}

    def run() -> None:
        with app.app_context(), force_locale(language), reading_on(replica):
            try:
                outcome["value"] = work()
            except BaseException as error:  # handed to the caller, raised where it waits
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    return result
