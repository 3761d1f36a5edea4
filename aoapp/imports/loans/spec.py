"""The loan listing's columns, cross-row checks, code resolution and summary lines."""

import pyarrow as pa
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.imports import codes
from aoapp.imports.checks import identifier, one_officer_per_cif
from aoapp.imports.columns import Column
from aoapp.imports.rows import Collector, RowError, flag_before, flag_duplicates
from aoapp.products.models import ProductKind


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
    one_officer_per_cif(collector, table)
    identifier(collector, table, "account_no", "account")
    identifier(collector, table, "cif", "cif")


def resolve(table: pa.Table, typed: pa.Table | None) -> tuple[pa.Table | None, list[RowError]]:
    """Officer and product codes must exist; map them to ids (and a segment) in bulk.

    `table` holds the cells as read (every row), `typed` the parsed listing (None when the file
    has cell errors: then only the unknown codes are reported).
    """
    officers = codes.officers()
    products = codes.products()
    credit = products.where(lambda p: p["kind"] == ProductKind.CREDIT).with_value(
        "segment", pa.string(), lambda p: SEGMENT_BY_SUBTYPE.get(p["credit_subtype"] or "", "small")
    )
    errors = codes.unknown(
        table, "officer_code", officers, _("Unknown officer code: no officer has it.")
    )
    errors += codes.unknown(
        table,
        "product_code",
        credit,
        lambda value: (
            _("Not a credit product.")
            if value.upper() in products
            else _("Unknown product code: not in the product catalogue.")
        ),
    )
    if errors or typed is None:
        return None, errors
    typed = codes.numbered(typed)
    typed = codes.attach(
        typed, table, "officer_code", officers, {"officer_id": "id", "branch_id": "branch_id"}
    )
    typed = codes.attach(
        typed, table, "product_code", credit, {"product_id": "id", "segment": "segment"}
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


COUNTS = (
    ("customers_created", _l("Customers created")),
    ("customers_updated", _l("Customers updated")),
    ("facilities_created", _l("Facilities created")),
    ("facilities_updated", _l("Facilities updated")),
    ("facilities_closed", _l("Facilities closed")),
    ("upgrades", _l("Upgrades")),
    ("downgrades", _l("Downgrades")),
)


def brief(record) -> str:
    """A loan listing's counts in one line, for the list of imports."""
    s = record.summary or {}
    return _(
        "customers +%(created)s / %(updated)s upd · facilities +%(opened)s / %(changed)s upd / "
        "%(closed)s closed",
        created=s.get("customers_created") or 0,
        updated=s.get("customers_updated") or 0,
        opened=s.get("facilities_created") or 0,
        changed=s.get("facilities_updated") or 0,
        closed=s.get("facilities_closed") or 0,
    )
