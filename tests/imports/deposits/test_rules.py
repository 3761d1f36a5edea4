"""The deposits listing import end to end: accounts and positions, customers shared with the loan
listing, closing, re-imports, back-dated listings, conventions and formats (SQLite, PostgreSQL)."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.extensions import db
from aoapp.funding.models import DepositPosition
from tests.support import deposit_listings as D
from tests.support import listings as L

D1, D2, D3 = date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31)


def audits(entity: str, action: str | None = None) -> list[AuditEntry]:
    db.session.expire_all()
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == entity).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


class TestFirstListing:
    def test_accounts_positions_and_their_kinds(self, ao, load):
        rows = [
            D.line("T1", "CIF1", ao, average_balance=Decimal("24000000.50")),
            D.line("G1", "CIF2", ao, product_code="GIRO", kind="Giro", status="Blokir"),
            D.line("P1", "CIF2", ao, product_code="DEP", balance=Decimal("100000000"), aro=False),
        ]
        outcome = load(rows, D2)
        assert D.accounts() == {
            "G1": ("CIF2", "giro", "blocked", None, None, None, None, "IDR"),
            "P1": ("CIF2", "deposito", "active", None, D.MATURES, 12, False, "IDR"),
            "T1": ("CIF1", "tabungan", "active", None, None, None, None, "IDR"),
        }
        assert D.positions(D2) == {
            "T1": (Decimal("25000000.00"), Decimal("24000000.50"), "active", "tabungan"),
            "G1": (Decimal("25000000.00"), None, "blocked", "giro"),
            "P1": (Decimal("100000000.00"), None, "active", "deposito"),
        }
        summary = outcome.record.summary
        assert (summary["customers_created"], summary["accounts_created"]) == (2, 3)
        assert summary["by_type"] == {
            "giro": {"count": 1, "balance": "25000000.00"},
            "tabungan": {"count": 1, "balance": "25000000.00"},
            "deposito": {"count": 1, "balance": "100000000.00"},
        }

    def test_a_new_depositor_is_a_customer_of_the_listed_officer_and_branch(self, ao, load, world):
        load([D.line("T1", "CIF1", ao, branch_code="bdg01")], D2)
        customer = L.customer("CIF1")
        assert (customer.officer_id, customer.branch_id) == (world.officer.id, world.jkt.id)
        assert (customer.name, customer.since, customer.segment) == (
            "Depositor CIF1",
            D.OPENED,
            "consumer",
        )
        account = D.account("T1")
        assert (account.officer_id, account.branch_id) == (world.officer.id, world.bdg.id)
        position = db.session.scalar(sa.select(DepositPosition))
        assert (position.officer_id, position.branch_id, position.customer_id) == (
            world.officer.id,
            world.bdg.id,
            customer.id,
        )

    def test_other_currencies_only_when_the_bank_enables_them(self, ao, load, app):
        app.config["DEPOSIT_CURRENCIES"] = ["IDR", "USD"]
        load([D.line("T1", "CIF1", ao, currency="usd"), D.line("T2", "CIF1", ao)], D2)
        assert {a: v[-1] for a, v in D.accounts().items()} == {"T1": "USD", "T2": "IDR"}


class TestCustomersSharedWithLoans:
    def test_a_borrower_keeps_the_loan_listings_officer_and_name(self, ao, load, world, tmp_path):
        L.Importer(tmp_path, world.admin).csv([L.line("K1", "CIF1", ao, product_code="KMK")], D2)
        other = world.colleague.officer_code
        outcome = load(
            [
                D.line("T1", "CIF1", other, customer_name="Another Name"),
                D.line("T9", "CIF9", other),
            ],
            D2,
        )
        assert L.counts()["customers"] == 2
        borrower = L.customer("CIF1")
        assert (borrower.name, borrower.officer_id) == ("Debtor CIF1", world.officer.id)
        assert D.account("T1").customer_id == borrower.id
        assert D.account("T1").officer_id == world.colleague.id  # the funds' officer, as listed
        assert L.customer("CIF9").officer_id == world.colleague.id
        summary = outcome.record.summary
        assert (summary["customers_created"], summary["customers_updated"]) == (1, 0)

    def test_a_depositor_without_a_loan_follows_the_listing(self, ao, load, world):
        load([D.line("T1", "CIF1", ao)], D1)
        moved = world.remote.officer_code
        outcome = load([D.line("T1", "CIF1", moved, customer_name="Renamed")], D2)
        customer = L.customer("CIF1")
        assert (customer.name, customer.officer_id, customer.branch_id) == (
            "Renamed",
            world.remote.id,
            world.bdg.id,
        )
        assert outcome.record.summary["customers_updated"] == 1
        [entry] = audits("customer")
        assert entry.before["officer_id"] == world.officer.id
        assert entry.after["officer_id"] == world.remote.id


class TestClosingAndReimports:
    def test_accounts_missing_from_a_full_listing_close_and_come_back(self, ao, load):
        load(
            [
                D.line("T1", "CIF1", ao),
                D.line("G1", "CIF1", ao, product_code="GIRO", status="dormant"),
            ],
            D1,
        )
        outcome = load([D.line("T1", "CIF1", ao)], D2)
        assert outcome.record.summary["accounts_closed"] == 1
        assert D.accounts()["G1"][2:4] == ("closed", D2)
        [closing] = audits("deposit_account", "close")
        assert (closing.before, closing.after["status"], closing.after["closed_on"]) == (
            {"status": "dormant", "closed_on": None},
            "closed",
            "2024-06-30",
        )
        load([D.line("T1", "CIF1", ao), D.line("G1", "CIF1", ao, product_code="GIRO")], D3)
        assert D.accounts()["G1"][2:4] == ("active", None)
        reopened = audits("deposit_account", "update")[-1]
        assert (reopened.before["status"], reopened.after["status"]) == ("closed", "active")

    def test_a_listed_closed_status_closes_the_account_on_that_date(self, ao, load):
        load([D.line("T1", "CIF1", ao, status="tutup", balance=Decimal("0"))], D2)
        assert D.accounts()["T1"][2:4] == ("closed", D2)
        assert D.positions(D2)["T1"][2] == "closed"

    def test_a_partial_listing_closes_nothing(self, ao, load):
        load([D.line("T1", "CIF1", ao), D.line("T2", "CIF2", ao)], D1)
        outcome = load([D.line("T1", "CIF1", ao)], D2, partial=True)
        assert "accounts_closed" not in outcome.record.summary
        assert {a: v[2] for a, v in D.accounts().items()} == {"T1": "active", "T2": "active"}

    def test_the_same_date_again_replaces_its_positions(self, ao, load):
        load([D.line("T1", "CIF1", ao), D.line("T2", "CIF2", ao)], D2)
        kept = db.session.scalar(sa.select(DepositPosition.id).order_by(DepositPosition.id))
        load([D.line("T1", "CIF1", ao, balance=Decimal("30000000"))], D2)
        assert D.positions(D2) == {
            "T1": (Decimal("30000000.00"), None, "active", "tabungan"),
        }
        assert db.session.scalar(sa.select(DepositPosition.id)) == kept  # updated in place
        assert D.accounts()["T2"][2] == "closed"

    def test_an_account_change_is_audited_and_the_same_file_twice_changes_nothing(self, ao, load):
        rows = [D.line("P1", "CIF1", ao, product_code="DEP")]
        load(rows, D1)
        load(rows, D1)
        assert audits("deposit_account") == []
        rolled = [D.line("P1", "CIF1", ao, product_code="DEP", maturity_date=date(2025, 9, 1))]
        assert load(rolled, D2).record.summary["accounts_updated"] == 1
        [entry] = audits("deposit_account")
        assert (entry.before["maturity_date"], entry.after["maturity_date"]) == (
            "2024-09-01",
            "2025-09-01",
        )
        assert entry.before["interest_rate"] == entry.after["interest_rate"] == "1.5000"

    def test_a_back_dated_listing_adds_its_positions_and_changes_no_account(self, ao, load):
        load([D.line("T1", "CIF1", ao)], D2)
        outcome = load([D.line("T1", "CIF1", ao, status="dormant"), D.line("T2", "CIF2", ao)], D1)
        assert outcome.record.summary["accounts_closed"] == 0
        assert D.accounts()["T1"][2] == "active"
        assert set(D.positions(D1)) == {"T1", "T2"} and set(D.positions(D2)) == {"T1"}


class TestConventionsAndFormats:
    ROWS = staticmethod(
        lambda ao: [
            D.line("T1", "CIF1", ao, balance=Decimal("1234567.89"), average_balance=Decimal("5")),
            D.line("P1", "CIF2", ao, product_code="DEP", interest_rate=Decimal("5.25")),
        ]
    )

    def test_english_indonesian_and_xlsx_listings_load_alike(self, ao, load):
        load(self.ROWS(ao), D2)
        english = D.state()
        D.wipe()
        indonesian = {"headers": "id", "decimal": "comma", "date_format": "dmy", "delimiter": ";"}
        outcome = load(self.ROWS(ao), D2, write=indonesian)
        assert (outcome.record.decimal, outcome.record.date_format) == ("comma", "dmy")
        assert D.state() == english
        D.wipe()
        load(self.ROWS(ao), D2, fmt="xlsx", write={"headers": "id"})
        assert D.state() == english
        assert D.positions(D2)["T1"][0] == Decimal("1234567.89")
