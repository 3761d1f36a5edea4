"""The loan listing's columns, cross-row checks, code resolution and summary lines."""

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.auth.models import User
from aoapp.common.identity import (
    SAFE_IDENTIFIER,
    bank_format_message,
    bank_pattern,
    identifier_problem,
)
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.imports.columns import Column
from aoapp.imports.rows import Collector, RowError, flag_before, flag_duplicates
from aoapp.products.models import Product, ProductKind


def _length(column: sa.Column) -> int | None:
    return getattr(column.type, "length", None)


COLUMNS = (
    Column(
        "account_no", "no_rekening", "text", max_length=_length(Facility.__table__.c.account_no)
    ),
    Column("cif", "cif", "text", max_length=_length(Customer.__table__.c.cif)),
    Column("customer_name", "nama_nasabah", "text", max_length=_length(Customer.__table__.c.name)),
    Column("officer_code", "kode_ao", "text"),
    Column("product_code", "kode_produk", "text"),
    Column("plafond", "plafon", "money"),
    Column("outstanding", "baki_debet", "money"),
    Column("arrears_principal", "tunggakan_pokok", "money"),
    Column("arrears_interest", "tunggakan_bunga", "money"),
    Column("dpd", "hari_tunggakan", "days"),
    Column("kol", "kolektibilitas", "kol", required=False),
    Column("interest_rate", "suku_bunga", "rate"),
    Column("start_date", "tgl_mulai", "date"),
    Column("maturity_date", "tgl_jatuh_tempo", "date"),
    Column("restructured", "restrukturisasi", "flag", required=False),
)

# A new debtor's segment, until core banking or the officer says better.
SEGMENT_BY_SUBTYPE = {
    "kur": "micro",
    "working_capital": "small",
    "investment": "small",
    "mortgage": "consumer",
    "vehicle": "consumer",
    "personal": "consumer",
}


def check(collector: Collector, table: pa.Table, typed: dict) -> None:
    """A facility ends after it starts, appears once, its debtor has one officer, and its CIF
    and account number have the bank's formats."""
    flag_before(
        collector,
        typed,
        "start_date",
        "maturity_date",
        _("Maturity date is before the start date."),
    )
    flag_duplicates(
        collector,
        table,
        "account_no",
        _("This account number appears more than once in the file."),
    )
    _one_officer_per_cif(collector, table)
    _identifier(collector, table, "account_no", "account")
    _identifier(collector, table, "cif", "cif")


def _identifier(check: Collector, table: pa.Table, column: str, kind: str) -> None:
    """Every filled cell of the column is a number the bank accepts (common.identity's one rule:
    its pattern, and never a path-like value), checked vectorised; the message of each bad value
    is the rule's own (`identifier_problem`).

    The patterns are matched whole; pyarrow reads them as RE2, and one RE2 cannot read (a Python
    look-around) is checked value by value instead, over the distinct values.
    """
    values = table.column(column)
    filled = pc.not_equal(values, "")  # an empty cell is already a required-value error
    try:
        matched = pc.and_(
            pc.match_substring_regex(values, f"^(?:{bank_pattern(kind)})$"),
            pc.match_substring_regex(values, f"^(?:{SAFE_IDENTIFIER})$"),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        distinct = pc.unique(values)
        good = [v for v in distinct.to_pylist() if v and identifier_problem(kind, v) is None]
        matched = pc.is_in(values, pa.array(good, pa.string()))
    check.flag_each(
        pc.and_(filled, pc.invert(matched)),
        column,
        lambda value: identifier_problem(kind, value) or bank_format_message(kind),
    )


def _one_officer_per_cif(check: Collector, table: pa.Table) -> None:
    """A debtor (CIF) has one account officer; a file giving two is contradictory."""
    officers = pc.utf8_upper(table.column("officer_code"))  # codes match case-insensitively
    pairs = pa.table({"cif": table.column("cif"), "officer": officers})
    distinct = pairs.group_by(["cif", "officer"]).aggregate([])
    per_cif = distinct.group_by("cif").aggregate([("officer", "count")])
    conflicted = pc.filter(per_cif.column("cif"), pc.greater(per_cif.column("officer_count"), 1))
    if len(conflicted):
        mask = pc.and_(
            pc.is_in(table.column("cif"), conflicted), pc.not_equal(table.column("cif"), "")
        )
        check.flag(
            mask, "officer_code", _("The same CIF has different officer codes in this file.")
        )


def resolve(table: pa.Table, typed: pa.Table | None) -> tuple[pa.Table | None, list[RowError]]:
    """Officer and product codes must exist; map them to ids (and a segment) in bulk.

    `table` holds the cells as read (every row), `typed` the parsed listing (None when the file
    has cell errors: then only the unknown codes are reported).
    """
    officers = db.session.execute(
        sa.select(User.officer_code, User.id, User.branch_id).where(User.officer_code.is_not(None))
    ).all()
    products = db.session.execute(
        sa.select(Product.code, Product.id, Product.kind, Product.credit_subtype)
    ).all()
    officer_codes = pc.utf8_upper(table.column("officer_code"))
    product_codes = pc.utf8_upper(table.column("product_code"))
    errors: list[RowError] = []
    known_officers = pa.array([o[0] for o in officers], pa.string())
    credit = [p for p in products if p[2] == ProductKind.CREDIT]
    known_products = pa.array([p[0] for p in credit], pa.string())
    all_products = {p[0] for p in products}
    filled_officer = pc.not_equal(officer_codes, "")  # an empty code is a required-value error
    filled_product = pc.not_equal(product_codes, "")
    unknown_officer = pc.and_(filled_officer, pc.invert(pc.is_in(officer_codes, known_officers)))
    unknown_product = pc.and_(filled_product, pc.invert(pc.is_in(product_codes, known_products)))
    for index in pc.indices_nonzero(unknown_officer).to_pylist():
        value = table.column("officer_code")[index].as_py()
        errors.append(
            RowError(
                index + 2, "officer_code", value, _("Unknown officer code: no officer has it.")
            )
        )
    for index in pc.indices_nonzero(unknown_product).to_pylist():
        value = table.column("product_code")[index].as_py()
        message = (
            _("Not a credit product.")
            if value.upper() in all_products
            else _("Unknown product code: not in the product catalogue.")
        )
        errors.append(RowError(index + 2, "product_code", value, message))
    if errors or typed is None:
        return None, errors
    table = typed
    officer_pos = pc.index_in(officer_codes, known_officers)
    product_pos = pc.index_in(product_codes, known_products)
    officer_ids = pa.array([o[1] for o in officers], pa.int64())
    branch_ids = pa.array([o[2] for o in officers], pa.int64())
    product_ids = pa.array([p[1] for p in credit], pa.int64())
    segments = pa.array([SEGMENT_BY_SUBTYPE.get(p[3] or "", "small") for p in credit], pa.string())
    typed = (
        table.append_column("row_no", pa.array(range(2, table.num_rows + 2), pa.int64()))
        .append_column("officer_id", pc.take(officer_ids, officer_pos))
        .append_column("branch_id", pc.take(branch_ids, officer_pos))
        .append_column("product_id", pc.take(product_ids, product_pos))
        .append_column("segment", pc.take(segments, product_pos))
    )
    return typed, []


def describe(record) -> list[str]:
    """What the command line prints after a loan listing loaded: counts, Kol, suggestions."""
    summary = record.summary or {}
    lines = [
        _(
            "Imported %(rows)s rows for %(day)s in %(seconds)s s: customers created "
            "%(customers_created)s, updated %(customers_updated)s; facilities created "
            "%(facilities_created)s, updated %(facilities_updated)s, closed %(closed)s.",
            rows=record.rows,
            day=record.as_of.isoformat(),
            seconds=summary.get("seconds"),
            customers_created=summary.get("customers_created"),
            customers_updated=summary.get("customers_updated"),
            facilities_created=summary.get("facilities_created"),
            facilities_updated=summary.get("facilities_updated"),
            closed=summary.get("facilities_closed", 0),
        )
    ]
    distribution = summary.get("kol_distribution", {})
    lines.append(
        _(
            "Kol distribution (debtor Kol): %(counts)s",
            counts=", ".join(
                _("Kol %(kol)s: %(count)s", kol=k, count=v["count"])
                for k, v in sorted(distribution.items())
            ),
        )
    )
    lines.append(
        _(
            "Upgrades %(upgrades)s, downgrades %(downgrades)s.",
            upgrades=summary.get("upgrades", 0),
            downgrades=summary.get("downgrades", 0),
        )
    )
    suggested = summary.get("suggestions")
    if suggested:
        values = {
            "created": suggested["created"],
            "escalated": suggested["escalated"],
            "no_officer": suggested["skipped_no_officer"],
            "broken": suggested["broken_ptp"],
        }
        if suggested["latest"]:
            line = _(
                "Suggested follow-ups: %(created)s (escalated %(escalated)s, no officer "
                "%(no_officer)s); broken promises %(broken)s.",
                **values,
            )
        else:
            line = _(
                "Suggested follow-ups: %(created)s (escalated %(escalated)s, no officer "
                "%(no_officer)s, none: an older listing than the newest); broken promises "
                "%(broken)s.",
                **values,
            )
        lines.append(line)
    return lines
