"""Builders of small loan listings for the import tests, written as CSV or XLSX files.

CSV (comma or semicolon, any encoding) or XLSX (openpyxl), English or Indonesian headers, plain
or Indonesian numbers, ISO or dd/mm/yyyy dates.

A listing is a list of rows (dicts keyed by the canonical column names, see `line()`). Typed values
(Decimal, int, date, bool, None) are written in the chosen convention; a `str` is written as it is,
so a test can put any bad value in a cell.
"""

import csv
import io
import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.imports.loans.spec import COLUMNS
from aoapp.imports.services import ImportOutcome, run_import
from tests.support.factories import make_product

ENGLISH = {c.name: c.name for c in COLUMNS}
INDONESIAN = {c.name: c.alias for c in COLUMNS}
START = date(2024, 1, 15)
MATURITY = date(2029, 1, 15)


def line(account_no: str, cif: str, officer_code: str, **values) -> dict:
    """One listing row with sensible defaults; override any column by its canonical name."""
    row = {
        "account_no": account_no,
        "cif": cif,
        "customer_name": f"Debtor {cif}",
        "officer_code": officer_code,
        "product_code": "KMK",
        "plafond": Decimal("500000000.00"),
        "outstanding": Decimal("400000000.00"),
        "arrears_principal": Decimal("0.00"),
        "arrears_interest": Decimal("0.00"),
        "dpd": 0,
        "kol": None,
        "interest_rate": Decimal("11.5"),
        "start_date": START,
        "maturity_date": MATURITY,
        "restructured": False,
    }
    unknown = set(values) - set(row)
    assert not unknown, f"not listing columns: {unknown}"
    row.update(values)
    return row


def _money(value: Decimal, decimal: str) -> str:
    text = f"{value:.2f}"
    if decimal == "dot":
        return text
    whole, cents = text.split(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return ".".join([whole, *groups]) + "," + cents


def _rate(value: Decimal, decimal: str) -> str:
    text = format(value.normalize(), "f")
    return text if decimal == "dot" else text.replace(".", ",")


def cell(name: str, value, *, decimal: str = "dot", date_format: str = "iso") -> str:
    """The text of one cell in the file's conventions (a str is kept as given)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, date):
        return value.isoformat() if date_format == "iso" else value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return _rate(value, decimal) if name == "interest_rate" else _money(value, decimal)
    return str(value)


def _headers(headers, columns=COLUMNS) -> dict[str, str]:
    english = {c.name: c.name for c in columns}
    if headers == "en":
        return english
    if headers == "id":
        return {c.name: c.alias for c in columns}
    return {**english, **headers}  # a mapping: canonical name -> header text to write


def _columns(headers, drop, columns=COLUMNS) -> tuple[list[str], list[str]]:
    names = [c.name for c in columns if c.name not in drop]
    mapping = _headers(headers, columns)
    return names, [mapping[n] for n in names]


def csv_text(
    rows: list[dict],
    *,
    delimiter: str = ",",
    headers="en",
    decimal: str = "dot",
    date_format: str = "iso",
    drop: tuple[str, ...] = (),
    extra: dict[str, str] | None = None,
    columns=COLUMNS,
) -> str:
    """The listing as CSV text; `extra`: more columns (header -> the value of every row);
    `columns`: another kind's (the deposits listing's)."""
    names, header_row = _columns(headers, drop, columns)
    extra = extra or {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*header_row, *extra])
    for row in rows:
        writer.writerow(
            [cell(n, row.get(n), decimal=decimal, date_format=date_format) for n in names]
            + list(extra.values())
        )
    return out.getvalue()


def write_csv(
    path: Path,
    rows: list[dict],
    *,
    encoding: str = "utf-8",
    **options,
) -> Path:
    """Write the listing as a CSV file (options as `csv_text`)."""
    path = Path(path)
    path.write_bytes(csv_text(rows, **options).encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: list[dict],
    *,
    headers="en",
    typed: bool = True,
    decimal: str = "dot",
    date_format: str = "iso",
    drop: tuple[str, ...] = (),
    sheet: str = "Listing",
    before: tuple[str, ...] = (),
    columns=COLUMNS,
) -> Path:
    """Write the listing as an XLSX workbook with openpyxl.

    `typed`: numbers and dates as real Excel numbers and dates (as core systems export them);
    otherwise every cell is text in the given conventions. Text ids (account numbers, CIFs) are
    always text cells, so leading zeros stay. `before`: names of empty sheets placed first.
    """
    from openpyxl import Workbook

    names, header_row = _columns(headers, drop, columns)
    workbook = Workbook()
    first = workbook.active
    for name in before:
        workbook.create_sheet(name, 0)
    first.title = sheet
    first.append(header_row)
    for row in rows:
        cells = []
        for name in names:
            value = row.get(name)
            if typed and isinstance(value, Decimal | int | date):  # bool too: a TRUE/FALSE cell
                cells.append(value)
            else:
                cells.append(cell(name, value, decimal=decimal, date_format=date_format) or None)
        first.append(cells)
    for column_cells in first.iter_cols(min_row=2):
        for xl_cell in column_cells:
            if isinstance(xl_cell.value, date):
                xl_cell.number_format = "yyyy-mm-dd"
    workbook.save(path)
    return Path(path)


# -- running imports -----------------------------------------------------------------------------
CREDIT_PRODUCTS = {"KMK": "working_capital", "KI": "investment", "KUR": "kur", "KPR": "mortgage"}
_files = itertools.count(1)


def catalogue() -> None:
    """The credit products the listings use, and a savings product (not credit)."""
    for code, subtype in CREDIT_PRODUCTS.items():
        make_product(code, subtype=subtype)
    make_product("TAB", kind="deposit", subtype=None, name="Tabungan")


class Importer:
    """Writes listings into a directory and imports them through the real import."""

    def __init__(self, directory: Path, user=None):
        self.directory = Path(directory)
        self.user = user

    def path(self, suffix: str = ".csv") -> Path:
        return self.directory / f"listing_{next(_files)}{suffix}"

    def run(self, path: Path, as_of: date, **options) -> ImportOutcome:
        """Import an already written file (options as run_import's)."""
        return run_import(path, as_of, user=self.user, **options)

    def csv(self, rows: list[dict], as_of: date, *, write: dict | None = None, **options):
        """Write `rows` as CSV (`write`: options of write_csv) and import them."""
        return self.run(write_csv(self.path(), rows, **(write or {})), as_of, **options)

    def xlsx(self, rows: list[dict], as_of: date, *, write: dict | None = None, **options):
        """Write `rows` as XLSX (`write`: options of write_xlsx) and import them."""
        return self.run(write_xlsx(self.path(".xlsx"), rows, **(write or {})), as_of, **options)


# -- reading the database back -------------------------------------------------------------------
COUNTED = ("customers", "facilities", "positions", "audit_entries")


def counts() -> dict[str, int]:
    """Row counts of the tables an import changes."""
    db.session.expire_all()
    return {
        table: db.session.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()  # noqa: S608
        for table in COUNTED
    }


def dump(table: str, *, without: tuple[str, ...] = ()) -> list[dict]:
    """Every row of `table` as dicts (ordered by id), values normalised for comparison."""
    db.session.expire_all()
    metadata_table = db.metadata.tables[table]
    columns = [c for c in metadata_table.columns if c.name not in without]
    rows = db.session.execute(sa.select(*columns).order_by(metadata_table.c.id)).mappings()
    return [{key: _normal(value) for key, value in row.items()} for row in rows]


def _normal(value):
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def positions(as_of: date) -> dict[str, Position]:
    """The positions of one as-of date by account number."""
    db.session.expire_all()
    stmt = (
        sa.select(Position)
        .join(Facility, Facility.id == Position.facility_id)
        .where(Position.as_of == as_of)
    )
    return {p.facility.account_no: p for p in db.session.scalars(stmt)}


def kols(as_of: date) -> dict[str, tuple[int, int, str]]:
    """(facility Kol, debtor Kol, rule) of each account on one as-of date."""
    return {a: (p.facility_kol, p.debtor_kol, p.kol_rule) for a, p in positions(as_of).items()}


def facility(account_no: str) -> Facility:
    db.session.expire_all()
    return db.session.scalar(sa.select(Facility).where(Facility.account_no == account_no))


def customer(cif: str) -> Customer:
    db.session.expire_all()
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


def state() -> dict[str, list[tuple]]:
    """Customers, facilities and positions by their natural keys (no ids, no timestamps)."""
    db.session.expire_all()
    customers = sa.select(
        Customer.cif,
        Customer.name,
        Customer.customer_type,
        Customer.segment,
        Customer.branch_id,
        Customer.officer_id,
        Customer.since,
    ).order_by(Customer.cif)
    facilities = (
        sa.select(
            Facility.account_no,
            Customer.cif,
            Facility.product_id,
            Facility.currency,
            Facility.plafond,
            Facility.interest_rate,
            Facility.start_date,
            Facility.maturity_date,
            Facility.restructured,
            Facility.restructured_on,
            Facility.status,
            Facility.closed_on,
        )
        .join(Customer, Customer.id == Facility.customer_id)
        .order_by(Facility.account_no)
    )
    position_columns = [
        c
        for c in Position.__table__.columns
        if c.name not in ("id", "facility_id", "customer_id", "import_id")
    ]
    positions_ = (
        sa.select(Facility.account_no, Customer.cif, *position_columns)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .order_by(Facility.account_no, Position.as_of)
    )
    return {
        name: [tuple(_normal(v) for v in row) for row in db.session.execute(stmt)]
        for name, stmt in (
            ("customers", customers),
            ("facilities", facilities),
            ("positions", positions_),
        )
    }


def wipe() -> None:
    """Remove what imports wrote (positions, suggested follow-ups, facilities, customers, audit)."""
    db.session.rollback()
    tables = ("positions", "kol_upgrades", "promises_to_pay", "follow_ups", "facilities")
    for table in (*tables, "customers", "audit_entries"):
        db.session.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608
    db.session.execute(sa.text("DELETE FROM listing_dates WHERE kind = 'loans'"))
    db.session.commit()


def succeeding(importer: Importer):
    """`run(rows, as_of, fmt="csv", **options)`: import the rows with `importer` (a loan or a
    deposits listing's) and insist it succeeded; `run.importer` for the rest."""

    def run(rows, as_of, fmt="csv", **options):
        outcome = getattr(importer, fmt)(rows, as_of, **options)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        return outcome

    run.importer = importer
    return run
