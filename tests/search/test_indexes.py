"""The search key is one function in Python, PostgreSQL and SQLite, kept by the database in
name_key whoever writes the name; on PostgreSQL the search's conditions are the ones its indexes
answer."""

import pytest
import sqlalchemy as sa

from aoapp.common.search_text import search_key
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.search.services import _in_bytes, _starts
from tests.support.factories import make_customer, make_prospect

NAMES = [
    "Siti  Nurhaliza",
    "Dédé Suparman",
    "ÉLODIE Ñoño-Çelik",
    "Ma'ruf Amin",
    "Muh. Ma’ruf, S.E.",
    "PT. Maju Jaya (Persero) Tbk",
    "  ",
    "Łukasz Øster",
]


def test_the_database_computes_the_same_key_as_python():
    rows = db.session.execute(
        sa.select(*(sa.func.aoapp_search_key(sa.literal(n, sa.String)) for n in NAMES))
    ).one()
    assert list(rows) == [search_key(n) for n in NAMES]
    assert search_key("Ma'ruf Amin") == "maruf amin"
    assert search_key("ÉLODIE Ñoño-Çelik") == "elodie nono celik"


def test_the_key_follows_the_name_whoever_writes_it(world):
    customer = make_customer(world.officer, name="Siti Nurhaliza")
    assert customer.name_key == "siti nurhaliza"
    customer.name = "Sítí  Nur-Aini"
    db.session.commit()
    assert customer.name_key == "siti nur aini"
    db.session.execute(
        sa.text("UPDATE customers SET name = 'Ma''ruf' WHERE id = :id"), {"id": customer.id}
    )
    db.session.commit()
    db.session.refresh(customer)
    assert customer.name_key == "maruf"
    assert make_prospect(world.officer, name="Dédé").name_key == "dede"


def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the search's indexes are PostgreSQL's")


def plan(condition, order_by) -> str:
    """EXPLAIN of a search-like select on tiny test tables, where the planner may walk any index
    in order and filter: only scans whose index condition answers `condition` are left to it
    (no sequential scan, no plain index scan), so the index named is the one that can."""
    stmt = sa.select(Customer.id).where(condition).order_by(order_by).limit(8)
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        connection.execute(sa.text("SET enable_seqscan = off"))
        connection.execute(sa.text("SET enable_indexscan = off"))
        rows = connection.execute(sa.text(f"EXPLAIN {compiled}")).scalars()
        return "\n".join(rows)


@pytest.mark.parametrize(
    ("condition", "column", "index"),
    [
        (
            lambda k: _starts(k, "siti nur"),
            lambda: Customer.name_key,
            "ix_customers_name_key",
        ),
        (lambda k: k.like("% nur%"), lambda: Customer.name_key, "ix_customers_name_trgm"),
        (lambda k: _starts(k, "00001"), lambda: Customer.cif, "ix_customers_cif_prefix"),
        (lambda k: _starts(k, "62812"), lambda: Customer.phone, "ix_customers_phone_prefix"),
    ],
)
def test_the_conditions_use_the_indexes(condition, column, index):
    postgresql_only()
    assert index in plan(condition(column()), _in_bytes(column()))


def test_an_account_prefix_reads_its_index_in_order():
    postgresql_only()
    stmt = (
        sa.select(Facility.id)
        .where(_starts(Facility.account_no, "0013"))
        .order_by(_in_bytes(Facility.account_no))
        .limit(8)
    )
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        # Tiny tables: a bitmap scan and a sort may be cheaper; what matters is that the index
        # can give the prefix's rows in order, as it does at bank scale (bench/bench_search.py).
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            connection.execute(sa.text(f"SET {setting} = off"))
        text = "\n".join(connection.execute(sa.text(f"EXPLAIN {compiled}")).scalars())
    assert "Index Scan using ix_facilities_account_prefix" in text and "Sort" not in text
