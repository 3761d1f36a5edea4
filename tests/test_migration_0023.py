"""Migration 0023: deposit products get a deposit type from their code or name; the deposit
accounts and positions tables come, and go again on downgrade."""

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from tests.support.migrations import app_at


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0022 (no deposit types yet)."""
    with app_at(tmp_path, "0022") as application:
        yield application


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_existing_deposit_products_get_a_type_and_downgrade_drops_it(old_app):
    products = [
        (1, "TABUNGAN", "Tabungan", "deposit", None),
        (2, "GIRO-USAHA", "Rekening Giro", "deposit", None),
        (3, "DEP-12", "Deposito 12 bulan", "deposit", None),
        (4, "SIMPEL", "Simpanan Pelajar", "deposit", None),
        (5, "BERJANGKA", "Deposito Berjangka", "deposit", None),
        (6, "KMK", "Kredit Modal Kerja", "credit", "working_capital"),
    ]
    with db.engine.begin() as connection:
        for row in products:
            connection.exec_driver_sql(
                "INSERT INTO products (id, code, name, kind, credit_subtype, active, description,"
                " created_at) VALUES (?, ?, ?, ?, ?, 1, '', '2026-10-01 00:00:00')",
                row,
            )
    assert "deposit_accounts" not in _tables()
    flask_migrate.upgrade(revision="0023")
    with db.engine.connect() as connection:
        types = dict(connection.exec_driver_sql("SELECT code, deposit_type FROM products").all())
    assert types == {
        "TABUNGAN": "tabungan",
        "GIRO-USAHA": "giro",
        "DEP-12": "deposito",
        "SIMPEL": "tabungan",
        "BERJANGKA": "deposito",
        "KMK": None,
    }
    assert {"deposit_accounts", "deposit_positions"} <= _tables()
    flask_migrate.downgrade(revision="0022")
    assert not {"deposit_accounts", "deposit_positions"} & _tables()
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("products")}
    assert "deposit_type" not in columns
