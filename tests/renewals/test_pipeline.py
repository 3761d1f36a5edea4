"""Renewal opportunities made by the real imports and the daily command: once per maturity,
owned by the customer's officer; the next listing settles each outcome by itself."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.renewals.create import anniversary_in
from aoapp.renewals.pipeline import refresh
from tests.support import renewals as R

pytestmark = pytest.mark.today(R.TODAY)


class TestCreation:
    def test_the_loan_import_makes_one_per_maturity_and_never_twice(self, world, loader, runner):
        code = world.officer.officer_code
        record = loader.loan_listing(R.first_loans(code), R.OCT31)
        counts = record.summary["renewals"]
        assert (counts["loans"], counts["extensions"]) == (5, 1)
        found = R.opportunities()
        assert set(found) == {"L1", "L2", "L5", "L5X", "L6", "L7", "L9"} - {"L5X"}
        assert {o.officer_id for o in found.values()} == {world.officer.id}
        assert {o.branch_id for o in found.values()} == {world.officer.branch_id}
        l9 = found["L9"]
        assert (l9.basis, l9.maturity_date) == ("anniversary", date(2027, 2, 1))
        assert found["L2"].plafond == Decimal("500000000.00")
        assert all(o.stage == "to_contact" for o in found.values())

        again = loader.loan_listing(R.first_loans(code), R.OCT31)  # the same file once more
        assert again.summary["renewals"]["created"] == 0
        result = runner.invoke(args=["renewals", "refresh", "--today", R.TODAY])
        assert result.exit_code == 0, result.output
        assert "0 maturing loan(s), 0 yearly extension(s), 0 deposito(s) added" in result.output
        assert R.count() == 6

    def test_the_daily_command_finds_a_facility_entering_the_window(self, world, loader):
        code = world.officer.officer_code
        row = R.loan("L8", "CIF8", code, date(2027, 3, 20), product_code="KI")
        loader.loan_listing([row], R.OCT31)
        assert R.count() == 0  # 105 days ahead
        counts = refresh(today=date(2026, 12, 25))
        assert counts["loans"] == 1
        assert R.opportunities()["L8"].maturity_date == date(2027, 3, 20)

    def test_only_non_aro_depositos_and_not_twice(self, world, loader):
        code = world.officer.officer_code
        rows = [
            R.deposito("D1", "CIF21", code, date(2026, 12, 20)),
            R.deposito("D2", "CIF22", code, date(2026, 12, 22), aro=True),
            R.deposito("D3", "CIF23", code, date(2027, 6, 1)),
        ]
        record = loader.deposit_listing(rows, R.NOV30)
        assert record.summary["renewals"]["deposits"] == 1
        loader.deposit_listing(rows, R.NOV30)
        assert list(R.opportunities()) == ["D1"]
        assert R.opportunities()["D1"].kind == "deposit"

    def test_a_customer_without_an_active_officer_is_skipped(self, world, loader):
        from aoapp.extensions import db

        code = world.officer.officer_code
        loader.loan_listing(
            [R.loan("L1", "CIF1", code, date(2026, 12, 20), product_code="KI")], R.OCT31
        )
        assert R.count() == 1
        db.session.merge(world.officer).active = False
        db.session.commit()
        loader.loan_listing(
            [R.loan("L2", "CIF2", code, date(2026, 12, 20), product_code="KI")], R.OCT31
        )
        assert list(R.opportunities()) == ["L1"]


class TestSettledByTheNextListing:
    def test_each_loan_outcome(self, world, loader):
        code = world.officer.officer_code
        loader.loan_listing(R.first_loans(code), R.OCT31)
        record = loader.loan_listing(R.second_loans(code), R.NOV30)
        counts = record.summary["renewals"]
        assert counts["loans_settled"] == 5
        found = R.opportunities()
        outcomes = {k: (o.outcome, o.stage, o.settled_by, o.confirmed) for k, o in found.items()}
        assert outcomes == {
            "L1": ("renewed", "closed", "listing", False),
            "L2": ("topped_up", "closed", "listing", False),
            "L5": ("paid_off_retained", "closed", "listing", False),
            "L6": ("paid_off_lost", "closed", "listing", False),
            "L7": ("renewed", "closed", "listing", False),
            "L9": (None, "to_contact", None, False),  # its extension date is still ahead
        }
        l2 = found["L2"]
        assert (l2.new_plafond, l2.topup_amount) == (
            Decimal("800000000.00"),
            Decimal("300000000.00"),
        )
        assert l2.new_facility_id == R.facility_id("L2B")
        assert l2.proposed_outcome == "topped_up"
        assert found["L1"].new_facility_id == R.facility_id("L1B")
        assert found["L6"].outcome_date == R.NOV30  # closed by the November listing
        # The renewed facilities mature far off: no new opportunity, and nothing settles twice.
        again = loader.loan_listing(R.second_loans(code), R.NOV30)
        assert again.summary["renewals"]["created"] == 0
        assert again.summary["renewals"]["loans_settled"] == 0

    def test_each_deposit_outcome(self, world, loader):
        code = world.officer.officer_code
        first = [
            R.deposito("D1", "CIF21", code, date(2026, 11, 20)),
            R.deposito("D2", "CIF22", code, date(2026, 11, 25)),
        ]
        loader.deposit_listing(first, R.OCT31)
        later = [R.deposito("D1", "CIF21", code, date(2027, 11, 20))]
        record = loader.deposit_listing(later, R.NOV30)
        assert record.summary["renewals"]["deposits_settled"] == 2
        found = R.opportunities()
        assert (found["D1"].outcome, found["D1"].outcome_date) == (
            "rolled_over",
            date(2026, 11, 20),
        )
        assert (found["D2"].outcome, found["D2"].outcome_date) == ("withdrawn", R.NOV30)

    def test_settlements_are_audited_without_an_actor(self, world, loader):
        import sqlalchemy as sa

        from aoapp.audit.models import AuditEntry
        from aoapp.extensions import db

        code = world.officer.officer_code
        loader.loan_listing(R.first_loans(code), R.OCT31)
        loader.loan_listing(R.second_loans(code), R.NOV30)
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "renewalopportunity")
        ).all()
        assert len(entries) == 5
        assert {e.action for e in entries} == {"settle"} and {e.actor_id for e in entries} == {None}

    def test_the_officer_follows_a_reassigned_customer(self, world, loader):
        from aoapp.customers.services import reassign
        from aoapp.extensions import db

        loader.loan_listing(R.first_loans(world.officer.officer_code), R.OCT31)
        l1 = R.opportunities()["L1"]
        reassign(db.session.merge(world.admin), l1.customer, world.colleague.id)
        assert R.opportunities()["L1"].officer_id == world.colleague.id  # at once, audited
        closed = R.opportunities()["L2"]
        closed.stage, closed.outcome, closed.confirmed = "closed", "renewed", True
        db.session.commit()
        db.session.execute(
            sa.update(Customer)
            .where(Customer.id == closed.customer_id)
            .values(officer_id=world.colleague.id)
        )  # as a listing moves a customer: the next refresh follows, closed work stays
        db.session.commit()
        refresh()
        assert R.opportunities()["L2"].officer_id == world.officer.id


@pytest.mark.parametrize(
    ("started", "start", "end", "expected"),
    [
        (date(2024, 2, 1), date(2026, 11, 1), date(2027, 3, 1), date(2027, 2, 1)),
        (date(2024, 12, 10), date(2026, 11, 30), date(2027, 2, 28), date(2026, 12, 10)),
        (date(2024, 2, 29), date(2026, 12, 1), date(2027, 3, 1), date(2027, 2, 28)),
        (date(2024, 6, 1), date(2026, 11, 1), date(2027, 2, 1), None),
    ],
)
def test_the_yearly_extension_date(started, start, end, expected):
    assert anniversary_in(started, start, end) == expected
