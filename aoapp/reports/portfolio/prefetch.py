"""Run a long query on its own connection in a background thread while the workbook is written.

The portfolio workbook's three long tables wait on the database before their first row (sorting
170,000 watchlist signals, joining a million facilities). Started when the data is gathered,
those waits overlap each other, the Summary queries and the writing of earlier sheets, instead
of adding up. A bounded queue keeps only a few batches ahead of the writer, so memory stays flat.

The thread only fetches rows; everything that needs the Flask app or the session (reasons,
detail records) stays with the consumer. Its connection sees the database as committed when its
query starts, like any other reader.
"""

import queue
import threading
from collections.abc import Iterator

import sqlalchemy as sa

AHEAD = 24  # batches fetched ahead of the consumer (they fill while the Summary is computed)
_DONE = object()


class Prefetched:
    """The batches of `stmt`, fetched by a background thread from a server-side cursor.

    Iterate it once. `close()` (also on garbage collection) stops the thread, which then closes
    its cursor and returns its connection, whether or not the rows were read.
    """

    def __init__(self, engine: sa.Engine, stmt: sa.Select, batch: int):
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=_fetch,
            args=(engine, stmt, batch, self._queue, self._stop),
            name="report-prefetch",
            daemon=True,
        )
        self._thread.start()

    def __iter__(self) -> Iterator[list]:
        try:
            while (item := self._queue.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Stop fetching and let the thread release its connection."""
        self._stop.set()

    def __del__(self):
        self._stop.set()


def _put(items: queue.Queue, item, stop: threading.Event) -> bool:
    """Queue `item` unless the consumer stopped; False when it did."""
    while not stop.is_set():
        try:
            items.put(item, timeout=0.2)
            return True
        except queue.Full:
            continue
    return False


def _fetch(engine, stmt, batch: int, items: queue.Queue, stop: threading.Event) -> None:
    try:
        with engine.connect() as connection:
            result = connection.execute(stmt.execution_options(yield_per=batch))
            try:
                for rows in result.partitions():
                    if not _put(items, rows, stop):
                        return
            finally:
                result.close()
        _put(items, _DONE, stop)
    except Exception as error:  # handed to the consumer, raised where the rows are read
        _put(items, error, stop)
