"""Two ORM changes in two transactions at once (PostgreSQL: SQLite has one writer), for the tests
of what a flush rewrites under a lock: the first flushes, then waits half a second before its
commit while the second flushes and commits."""

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
