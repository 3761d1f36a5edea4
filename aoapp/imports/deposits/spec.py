"""The deposits listing's columns, cross-row checks and code resolution."""

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from aoapp.customers.models import Customer
from aoapp.funding.models import DepositAccount, DepositStatus
from aoapp.imports import codes
from aoapp.imports.checks import closed_list, identifier, one_of, one_officer_per_cif
from aoapp.imports.columns import Column
from aoapp.imports.rows import Collector, RowError, flag_before, flag_duplicates
from aoapp.products.models import DepositType, ProductKind


def _length(column: sa.Column) -> int | None:
    return getattr(column.type, "length", None)


COLUMNS = (
    Column(
        "account_no",
        "no_rekening",
        "text",
        max_length=_length(DepositAccount.__table__.c.account_no),
    ),
    Column("cif", "cif", "text", max_length=_length(Customer.__table__.c.cif)),
    Column("customer_name", "nama_nasabah", "text", max_length=_length(Customer.__table__.c.name)),
    Column("officer_code", "kode_ao", "text"),
    Column("branch_code", "kode_cabang", "text", required=False),
    Column("product_code", "kode_produk", "text"),
    Column("kind", "jenis", "text", required=False),
    Column("currency", "mata_uang", "text", required=False),
    Column("balance", "saldo", "money"),
    Column("average_balance", "saldo_rata_rata", "money", required=False),
    Column("interest_rate", "suku_bunga", "rate"),
    Column("open_date", "tgl_buka", "date"),
    Column("maturity_date", "tgl_jatuh_tempo", "date", required=False),
    Column("tenor_months", "jangka_waktu", "months", required=False),
    Column("aro", "aro", "flag", required=False),
    Column("status", "status", "text", required=False),
)

# How a cell may say a kind of funds or a status (any case), and the code it means.
KINDS = {
    "giro": DepositType.GIRO,
    "current account": DepositType.GIRO,
    "tabungan": DepositType.TABUNGAN,
    "savings": DepositType.TABUNGAN,
    "deposito": DepositType.DEPOSITO,
    "time deposit": DepositType.DEPOSITO,
}
STATUSES = {
    "active": DepositStatus.ACTIVE,
    "aktif": DepositStatus.ACTIVE,
    "dormant": DepositStatus.DORMANT,
    "pasif": DepositStatus.DORMANT,
    "blocked": DepositStatus.BLOCKED,
    "blokir": DepositStatus.BLOCKED,
    "diblokir": DepositStatus.BLOCKED,
    "closed": DepositStatus.CLOSED,
    "tutup": DepositStatus.CLOSED,
    "ditutup": DepositStatus.CLOSED,
}
# A new customer's segment, until core banking or the officer says better.
SEGMENT_BY_TYPE = {"giro": "small", "tabungan": "consumer", "deposito": "consumer"}
DEFAULT_CURRENCY = "IDR"


def check(collector: Collector, table: pa.Table, typed: dict) -> None:
    """An account appears once, matures after it opens, its customer has one officer, its CIF
    and account number have the bank's formats; kind, status and currency are known values."""
    flag_before(
        collector, typed, "open_date", "maturity_date", _("Maturity date is before the open date.")
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
    one_of(collector, table, "kind", KINDS, _("Use giro, tabungan or deposito."))
    one_of(
        collector,
        table,
        "status",
        STATUSES,
        _("Use active, dormant, blocked or closed (aktif, pasif, blokir, tutup)."),
    )
    _currency(collector, table)


def _currency(collector: Collector, table: pa.Table) -> None:
    """IDR (an empty cell), or a currency the bank enabled (DEPOSIT_CURRENCIES)."""
    enabled = current_app.config.get("DEPOSIT_CURRENCIES") or [DEFAULT_CURRENCY]
    cells = pc.utf8_upper(table.column("currency"))
    refused = pc.and_(pc.not_equal(cells, ""), pc.invert(pc.is_in(cells, pa.array(enabled))))
    collector.flag_each(
        refused,
        "currency",
        lambda value: _(
            "Currency %(currency)s is not accepted: the bank imports accounts in %(enabled)s "
            "only (setting DEPOSIT_CURRENCIES).",
            currency=value,
            enabled=", ".join(enabled),
        ),
    )


def resolve(table: pa.Table, typed: pa.Table | None) -> tuple[pa.Table | None, list[RowError]]:
    """Officer, branch and deposit product codes must exist; the product gives the account's kind
    of funds (a `kind` cell must agree), and a deposito needs its maturity date and ARO flag.

    `table` holds the cells as read (every row), `typed` the parsed listing (None when the file
    has cell errors: then only these errors are reported).
    """
    officers, branches, products = codes.officers(), codes.branches(), codes.products()
    deposits = products.where(
        lambda p: p["kind"] == ProductKind.DEPOSIT and p["deposit_type"]
    ).with_value("segment", pa.string(), lambda p: SEGMENT_BY_TYPE[p["deposit_type"]])
    errors = codes.unknown(
        table, "officer_code", officers, _("Unknown officer code: no officer has it.")
    )
    errors += codes.unknown(table, "branch_code", branches, _("Unknown branch code."))
    errors += codes.unknown(
        table,
        "product_code",
        deposits,
        lambda value: (
            _("Not a deposit product.")
            if value.upper() in products
            else _("Unknown product code: not in the product catalogue.")
        ),
    )
    product_at = pc.index_in(pc.utf8_upper(table.column("product_code")), deposits.known)
    funds = pc.take(deposits.values("deposit_type"), product_at)
    errors += _by_kind(table, funds)
    if errors or typed is None:
        return None, errors
    deposito = pc.fill_null(pc.equal(funds, DepositType.DEPOSITO), False)
    typed = codes.numbered(typed)
    typed = codes.attach(
        typed, table, "officer_code", officers, {"officer_id": "id", "branch_id": "branch_id"}
    )
    typed = codes.attach(typed, table, "branch_code", branches, {"booked_branch_id": "id"})
    typed = codes.attach(
        typed, table, "product_code", deposits, {"product_id": "id", "segment": "segment"}
    )
    status = closed_list(table.column("status"), STATUSES)
    currency = pc.utf8_upper(table.column("currency"))
    replaced = {
        "deposit_type": funds,
        # the account's branch: the listed one, else its officer's
        "booked_branch_id": pc.coalesce(typed["booked_branch_id"], typed["branch_id"]),
        "status": pc.fill_null(status, DepositStatus.ACTIVE.value),
        "currency": pc.if_else(pc.equal(currency, ""), DEFAULT_CURRENCY, currency),
        "aro": pc.if_else(deposito, typed["aro"], pa.scalar(None, pa.bool_())),
    }
    for name, values in replaced.items():
        if name in typed.column_names:
            typed = typed.set_column(typed.column_names.index(name), name, values)
        else:
            typed = typed.append_column(name, values)
    return typed, []


def _by_kind(table: pa.Table, funds: pa.Array) -> list[RowError]:
    """A `kind` cell agrees with its product's; a deposito has a maturity date and Y/N for ARO."""
    errors: list[RowError] = []
    said = closed_list(table.column("kind"), KINDS)
    disagree = pc.fill_null(pc.not_equal(said, funds), False)
    deposito = pc.fill_null(pc.equal(funds, DepositType.DEPOSITO), False)
    checks = (
        (disagree, "kind", lambda i: _kind_message(table, funds, i)),
        (
            pc.and_(deposito, pc.equal(table.column("maturity_date"), "")),
            "maturity_date",
            lambda i: _("A deposito needs its maturity date."),
        ),
        (
            pc.and_(deposito, pc.equal(table.column("aro"), "")),
            "aro",
            lambda i: _("A deposito needs Y or N: does it roll over automatically (ARO)?"),
        ),
    )
    for mask, column, message in checks:
        for index in pc.indices_nonzero(mask).to_pylist():
            errors.append(
                RowError(index + 2, column, table.column(column)[index].as_py(), message(index))
            )
    return errors


def _kind_message(table: pa.Table, funds: pa.Array, index: int) -> str:
    return _(
        "Product %(product)s is a %(kind)s account.",
        product=table.column("product_code")[index].as_py(),
        kind=funds[index].as_py(),
    )
