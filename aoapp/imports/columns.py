"""A listing's columns: canonical names, Indonesian aliases, cell kinds and which are required."""

from dataclasses import dataclass

# What a cell may hold; parsing.py reads each kind the same way for every listing.
CELL_KINDS = ("text", "money", "rate", "days", "months", "kol", "date", "flag")


@dataclass(frozen=True)
class Column:
    """One column of a listing."""

    name: str
    alias: str
    kind: str  # one of CELL_KINDS
    required: bool = True
    max_length: int | None = None  # text: the database's limit where the column is stored

    def __post_init__(self):
        if self.kind not in CELL_KINDS:
            raise ValueError(f"unknown cell kind {self.kind!r} for column {self.name!r}")


def header_map(
    columns: tuple[Column, ...], headers: list[str]
) -> tuple[dict[str, int], list[str], list[list[str]]]:
    """Match a file's headers (case and surrounding spaces ignored) to canonical names.

    Returns {canonical: position}, the missing required columns, and the duplicates
    ([name, first header, second header]; imports/texts.py says them in words).
    """
    lookup = {}
    for column in columns:
        lookup[column.name] = column.name
        lookup[column.alias] = column.name
    found: dict[str, int] = {}
    problems: list[list[str]] = []
    for position, header in enumerate(headers):
        key = (header or "").strip().lower().lstrip("\ufeff")
        name = lookup.get(key)
        if name is None:
            continue
        if name in found:
            problems.append([name, headers[found[name]], header])
            continue
        found[name] = position
    missing = [c.name for c in columns if c.required and c.name not in found]
    return found, missing, problems
