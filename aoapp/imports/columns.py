"""The loan listing's columns: canonical names, Indonesian aliases, kinds and which are required."""

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class Column:
    """One column of the listing."""

    name: str
    alias: str
    kind: str  # text | money | rate | int | kol | date | flag
    required: bool = True


COLUMNS = (
    Column("account_no", "no_rekening", "text"),
    Column("cif", "cif", "text"),
    Column("customer_name", "nama_nasabah", "text"),
    Column("officer_code", "kode_ao", "text"),
    Column("product_code", "kode_produk", "text"),
    Column("plafond", "plafon", "money"),
    Column("outstanding", "baki_debet", "money"),
    Column("arrears_principal", "tunggakan_pokok", "money"),
    Column("arrears_interest", "tunggakan_bunga", "money"),
    Column("dpd", "hari_tunggakan", "int"),
    Column("kol", "kolektibilitas", "kol", required=False),
    Column("interest_rate", "suku_bunga", "rate"),
    Column("start_date", "tgl_mulai", "date"),
    Column("maturity_date", "tgl_jatuh_tempo", "date"),
    Column("restructured", "restrukturisasi", "flag", required=False),
)
BY_NAME = {c.name: c for c in COLUMNS}
NUMBER_COLUMNS = tuple(c.name for c in COLUMNS if c.kind in ("money", "rate"))
DATE_COLUMNS = tuple(c.name for c in COLUMNS if c.kind == "date")


def header_map(headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Match a file's headers (case and surrounding spaces ignored) to canonical names.

    Returns {canonical: position}, the missing required columns, and problems (duplicates).
    """
    lookup = {}
    for column in COLUMNS:
        lookup[column.name] = column.name
        lookup[column.alias] = column.name
    found: dict[str, int] = {}
    problems: list[str] = []
    for position, header in enumerate(headers):
        key = (header or "").strip().lower().lstrip("\ufeff")
        name = lookup.get(key)
        if name is None:
            continue
        if name in found:
            problems.append(
                _(
                    "Column %(name)s appears twice (as %(first)s and %(second)s).",
                    name=name,
                    first=repr(headers[found[name]]),
                    second=repr(header),
                )
            )
            continue
        found[name] = position
    missing = [c.name for c in COLUMNS if c.required and c.name not in found]
    return found, missing, problems
