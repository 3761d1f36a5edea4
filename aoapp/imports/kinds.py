"""Listing kinds: what makes one core-banking listing differ from another, as a small spec.

Reading files, conventions, cell parsing, staging of uploads, records, row errors, progress, the
API and the CLI are the same for every listing (this package). A *kind* adds only what is its own:
its columns, its cross-row checks, how its codes resolve to ids, and its set-based load. The loan
listing (`aoapp.imports.loans`) is the first kind. A kind registers itself when its package is
imported (the app factory imports it); features above `imports` add work to run after a kind's
import with `after_import` (follow-ups suggest collection work after a loan listing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from aoapp.common.system_text import register as register_text
from aoapp.imports.columns import Column, header_map

if TYPE_CHECKING:
    import pyarrow as pa
    import sqlalchemy as sa

    from aoapp.imports.models import PositionImport
    from aoapp.imports.rows import Collector, RowError

DEFAULT_KIND = "loans"
Progress = Callable[[str, int], None]


class LoadFailed(Exception):
    """A kind's load cannot go on for a reason the user can act on (a misconfigured table, say):
    the import fails with that reason as a system text (imports/texts.py), not as "unexpected"."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)


@dataclass(frozen=True)
class LoadContext:
    """What a kind's load needs besides the rows: the import it belongs to and its options."""

    as_of: date
    import_id: int
    partial: bool
    actor_id: int | None
    now: datetime
    progress: Progress


@dataclass(frozen=True)
class ListingKind:
    """One kind of listing.

    - `check(collector, cells, typed)`: cross-row checks on the parsed columns (duplicates,
      contradictions), flagging row errors on the collector;
    - `resolve(cells, typed)`: codes to ids, in bulk; returns the table to load (None when
      `typed` is None or a code is unknown) and the row errors of unknown codes;
    - `load(connection, table, context)`: the set-based load inside the import's transaction;
      returns {"counts": {...}, "timings": {...}} for the record's summary;
    - `describe(record)`: the lines the command line prints after a successful import;
    - `counts`: the summary's counts the import's page shows, (key, label) in order;
    - `brief(record)`: the counts in one line, for the list of imports.
    """

    key: str
    label: object  # a lazy string: "Loan listing"
    columns: tuple[Column, ...]
    check: Callable[[Collector, pa.Table, dict[str, pa.Array]], None]
    resolve: Callable[[pa.Table, pa.Table | None], tuple[pa.Table | None, list[RowError]]]
    load: Callable[[sa.Connection, pa.Table, LoadContext], dict]
    describe: Callable[[PositionImport], list[str]] = field(default=lambda record: [])
    counts: tuple[tuple[str, object], ...] = ()
    brief: Callable[[PositionImport], str] = field(default=lambda record: "")

    @cached_property
    def number_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind in ("money", "rate"))

    @cached_property
    def date_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == "date")

    @cached_property
    def _places(self) -> dict[str, int]:
        return {c.name: i for i, c in enumerate(self.columns)}

    def header_map(self, headers: list[str]):
        """The file's headers matched to this kind's columns (see columns.header_map)."""
        return header_map(self.columns, headers)

    def error_order(self, error: RowError) -> tuple[int, int]:
        """Errors in file order: by row, then by the column's place in the listing."""
        return error.row, self._places.get(error.column, 99)


@dataclass(frozen=True)
class AfterImport:
    """Work a feature runs after a kind's successful import, in a transaction of its own.

    `run(record)` returns what goes into the record's summary under `key`; when it fails, the
    import stays successful and `failed` (with %(reason)s, a message id of the catalogue, said
    in the reader's language) is noted on the record.
    """

    key: str
    run: Callable[[PositionImport], object]
    failed: object  # a lazy string with %(reason)s
    kind: str = DEFAULT_KIND

    @property
    def code(self) -> str:
        """The system text noting its failure (registered with the hook)."""
        return f"imports.after.{self.kind}.{self.key}"[:40]


_KINDS: dict[str, ListingKind] = {}
_AFTER: dict[str, list[AfterImport]] = {}


class UnknownKind(LookupError):
    """No listing kind has this key."""


def register_kind(kind: ListingKind) -> ListingKind:
    """Make `kind` importable (by its key in the CLI, the upload page and the API)."""
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str | None) -> ListingKind:
    """The registered kind named `key` (the loan listing when None), else UnknownKind."""
    try:
        return _KINDS[key or DEFAULT_KIND]
    except KeyError:
        raise UnknownKind(key) from None


def kinds() -> list[ListingKind]:
    """The registered kinds, the default first."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.key != DEFAULT_KIND, kind.key))


def after_import(kind: str, key: str, failed) -> Callable:
    """Register the decorated function to run after each successful import of `kind`."""

    def register(run: Callable) -> Callable:
        hooks = _AFTER.setdefault(kind, [])
        hooks[:] = [hook for hook in hooks if hook.key != key]  # re-imports replace, not add
        hook = AfterImport(key, run, failed, kind)
        hooks.append(hook)
        register_text(hook.code, failed, reason="message")
        return run

    return register


def after_import_hooks(kind: str) -> list[AfterImport]:
    return list(_AFTER.get(kind, []))


def brief_of(record: PositionImport) -> str:
    """A finished import's counts in one line, as its kind says them ("" for an unknown kind)."""
    kind = _KINDS.get(record.kind or DEFAULT_KIND)
    return kind.brief(record) if kind else ""


def counts_of(key: str | None) -> tuple[tuple[str, object], ...]:
    """The counts an import's page shows for the kind named `key`."""
    kind = _KINDS.get(key or DEFAULT_KIND)
    return kind.counts if kind else ()


def label_of(key: str | None):
    """The label of the kind named `key` (its key when no kind has it: an old record's)."""
    kind = _KINDS.get(key or DEFAULT_KIND)
    return kind.label if kind else key
