"""Two ORM changes in two transactions at once (PostgreSQL: SQLite has one writer), for the tests
of what a flush rewrites under a lock: the first flushes, then waits half a second before its
commit while the second flushes and commits."""

import multiprocessing
import threading

from aoapp.extensions import db


def two_changes_at_once(app, first: tuple, second: tuple) -> list[Exception]:
    """Apply `first` then `second`, each (model, id, {attribute: value}), in their own
    transactions overlapping as above; the errors either raised."""
    first_flushed, errors = threading.Event(), []

    def change(model, row_id: int, values: dict, before_commit) -> None:
        with app.app_context():
            try:
                row = db.session.get(model, row_id)
                for name, value in values.items():
                    setattr(row, name, value)
                db.session.flush()  # the flush hooks rewrite in this transaction
                before_commit()
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (returned to the test)
                errors.append(error)
                first_flushed.set()
            finally:
                db.session.remove()

    def hold_then_commit():
        first_flushed.set()
        threading.Event().wait(0.5)  # the other transaction's rewrite starts meanwhile

    one = threading.Thread(target=change, args=(*first, hold_then_commit))
    one.start()
    assert first_flushed.wait(10)
    two = threading.Thread(target=change, args=(*second, lambda: None))
    two.start()
    for thread in (one, two):
        thread.join(30)
    return errors


# What a listing import in a process of its own takes from the test's app.
IMPORT_SETTINGS = ("CIF_PATTERN", "ACCOUNT_PATTERN", "EXPORTS_DIR", "DEFAULT_LOCALE")
MEET_SECONDS = 1.5


def _import_in_process(url, settings, path, as_of, kind, stage, mine, other) -> None:
    """In a process of its own: import `path` for `as_of`; at its step `stage`, say so and wait
    (briefly) for the other import to get there too, so that without a lock both would be at
    that step at once."""
    from aoapp import create_app
    from aoapp.imports.services import run_import

    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})

    def meet(step: str, _percent: int) -> None:
        if step == stage:
            mine.set()
            other.wait(MEET_SECONDS)

    with app.app_context():
        run_import(path, as_of, kind=kind, progress=meet)
        db.engine.dispose()


def _processes():
    """Fresh processes with the app's modules already imported: forked from a server process
    that imported them once (per test worker) and never opened a connection, instead of
    spawned, each importing the app again (~1.3 s of CPU per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["aoapp", "aoapp.imports.services", __name__])
    return context


def imports_at_once(app, stage: str, first: tuple, second: tuple, timeout: int = 90) -> None:
    """Two listing imports, each (path, as_of, kind), in two fresh processes (no connection
    shared) meeting at the import step `stage`; both processes end without an error."""
    context = _processes()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    settings = {key: app.config[key] for key in IMPORT_SETTINGS}
    events = context.Event(), context.Event()
    processes = [
        context.Process(
            target=_import_in_process,
            args=(url, settings, *listing, stage, events[mine], events[1 - mine]),
        )
        for mine, listing in enumerate((first, second))
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout)
        assert process.exitcode == 0
