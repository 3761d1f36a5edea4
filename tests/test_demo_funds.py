"""The demo bank's deposits: 12 month-end deposits listings beside the loan listings, consistent
with the loan customers, and the retention calls they suggest on first start."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.followups.retention import first_working_day
from aoapp.funding.models import DepositAccount, DepositPosition


def _holders(deposit_type: str | None = None) -> set[int]:
    stmt = sa.select(DepositAccount.customer_id).where(DepositAccount.status != "closed")
    if deposit_type:
        stmt = stmt.where(DepositAccount.deposit_type == deposit_type)
    return set(db.session.scalars(stmt))


class TestDemoDeposits:
    def test_twelve_listings_consistent_with_the_loan_customers(self, demo_bank):
        assert "deposit listings: 12 created" in demo_bank.output
        dates = db.session.scalars(sa.select(DepositPosition.as_of).distinct()).all()
        assert len(dates) == 12
        borrowers = set(
            db.session.scalars(sa.select(Facility.customer_id).where(Facility.status == "active"))
        )
        savers = _holders("tabungan") | _holders("giro")
        assert len(borrowers & savers) >= 0.8 * len(borrowers)  # most borrowers hold funds
        depositors_only = _holders() - set(db.session.scalars(sa.select(Facility.customer_id)))
        assert len(depositors_only) >= 9  # three per officer, and the hand-entered savers
        assert {"giro", "tabungan", "deposito"} == set(
            db.session.scalars(sa.select(DepositAccount.deposit_type).distinct())
        )
        statuses = set(db.session.scalars(sa.select(DepositAccount.status).distinct()))
        assert statuses == {"active", "dormant", "closed"}  # a small tabungan closed in the year
        for customer in db.session.scalars(
            sa.select(Customer).where(Customer.id.in_(depositors_only))
        ):
            assert customer.nik and customer.phone and customer.officer_id

    def test_retention_calls_for_next_week_s_depositos_and_the_large_withdrawal(self, demo_bank):
        today = bank_today()
        calls = db.session.scalars(
            sa.select(FollowUp).where(FollowUp.purpose == "retention").order_by(FollowUp.id)
        ).all()
        maturing = [c for c in calls if c.suggestion == "deposit_maturing"]
        withdrawals = [c for c in calls if c.suggestion == "large_withdrawal"]
        owners = {db.session.get(User, c.owner_id).username for c in maturing}
        assert owners == {"ao.budi", "ao.sari", "ao.dewi"} and len(maturing) == 3
        for call in maturing:
            deposit = call.deposit_account
            assert not deposit.aro and today < deposit.maturity_date <= today + timedelta(days=7)
            assert (call.status, call.planned_date) == ("planned", first_working_day(today))
        # ARO depositos maturing in the same days get no call: they renew themselves.
        aro_soon = db.session.scalar(
            sa.select(sa.func.count()).where(
                DepositAccount.aro.is_(True),
                DepositAccount.maturity_date <= today + timedelta(days=7),
            )
        )
        assert aro_soon >= 3
        [withdrawal] = withdrawals
        assert db.session.get(User, withdrawal.owner_id).username == "ao.budi"
        assert withdrawal.deposit_account.deposit_type == "giro"
        with force_locale("id"):
            assert withdrawal.system_note.startswith("Disarankan: saldo rekening")
            assert "tanpa perpanjangan otomatis" in maturing[0].system_note
