"""Run a long query on its own connection in a background thread while the workbook is written.

The portfolio workbook's three long tables wait on the database before their first row (sorting
170,000 watchlist signals, joining a million facilities). Started when the data is gathered,
those waits overlap each other, the Summary queries and the writing of earlier sheets, instead
of adding up. A bounded queue keeps only a few batches ahead of the writer, so memory stays flat.

The thread only fetches rows; everything that needs the Flask app or the session (reasons,
detail records) stays with the consumer. Its connection sees the database as committed when its
query starts, like any other reader.

`partitions` reads a long query in batches, here and on the session's connection alike.
"""

import queue
import threading
from collections.abc import Iterator
from contextlib import closing

import sqlalchemy as sa

AHEAD = 24  # batches fetched ahead of the consumer (they fill while the Summary is computed)
_DONE = object()


class Prefetched:
    """The batches of `stmt`, fetched by a background thread from a server-side cursor.

    Iterate it once. `close()` (also on garbage collection) stops the thread, which then closes
    its cursor and returns its connection, whether or not the rows were read.
    """

    def __init__(self, engine: sa.Engine, stmt: sa.Select, batch: int, plain: bool = False):
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=_fetch,
            args=(engine, stmt, batch, plain, self._queue, self._stop),
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


def partitions(connection: sa.Connection, stmt: sa.Select, batch: int, plain: bool = False):
    """The rows of `stmt` in lists of `batch`, from a server-side cursor on PostgreSQL.

    With `plain`, on PostgreSQL the rows are the driver's tuples, read from its cursor past
    SQLAlchemy's result: psycopg already returns each cell's Python type, and SQLAlchemy's
    buffer and Row per row cost ~2 s of CPU over a million rows, held under the GIL while the
    writer waits for it. Elsewhere (SQLite's dates need SQLAlchemy's conversion) they are Rows.
    Either way a row is a sequence of the statement's columns. Only for columns SQLAlchemy does
    not convert on the way out (no TypeDecorator, such as the UTC timestamps): a test compares
    the long tables' plain rows with SQLAlchemy's.
    """
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        # These queries do little work per row: PostgreSQL's JIT compiles them for ~0.5 s each
        # (its cost thresholds count a million rows) and wins nothing back. For this
        # transaction only.
        connection.execute(sa.text("SET LOCAL jit = off"))
    result = connection.execute(stmt.execution_options(yield_per=batch))
    try:
        if not (plain and postgresql):
            yield from result.partitions()
            return
        # SQLAlchemy has read one row ahead: its first batch returns that row with the ones it
        # fetches after it, then the driver's cursor goes on from there.
        head = result.fetchmany(batch)
        if head:
            yield [tuple(row) for row in head]
        if len(head) < batch:
            return
        cursor = result.cursor
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        result.close()


def _fetch(engine, stmt, batch: int, plain: bool, items: queue.Queue, stop) -> None:
    try:
        with (
            engine.connect() as connection,
            closing(partitions(connection, stmt, batch, plain)) as batches,
        ):
            for rows in batches:
                if not _put(items, rows, stop):
                    return
        _put(items, _DONE, stop)
    except Exception as error:  # handed to the consumer, raised where the rows are read
        _put(items, error, stop)
