"""Demo account plans: each demo officer's two largest borrowers get a plan for this year, with
goals in different states, so the plan pages, the agenda's reviews and the supervisor's
coverage have something to show (the other top customers stay without one: the coverage's work).

The plans are saved through the service (audited, the review planned on the officer's agenda),
then dated back as if written four months ago (never before 1 January), so some goals have
passed their due date. The texts are what an officer would type, in Indonesian. Idempotent: a
customer with a plan this year is left alone.
"""

from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.credit.models import Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.plans import services
from aoapp.plans.models import AccountPlan

JUTA = Decimal(1_000_000)
AGE_DAYS = 120  # the plans were written about four months ago
COMMENT = "Fokuskan pada giro operasional; target DPK bisa dinaikkan."


def _top_borrowers(officer: User, count: int = 2) -> list[tuple[Customer, Decimal]]:
    """The officer's customers with the largest outstanding on the newest loan listing."""
    as_of = db.session.scalar(sa.select(sa.func.max(Position.as_of)))
    total = sa.func.sum(Position.outstanding)
    stmt = (
        sa.select(Customer, total)
        .join(Position, Position.customer_id == Customer.id)
        .where(Position.as_of == as_of, Customer.officer_id == officer.id)
        .group_by(Customer.id)
        .order_by(total.desc(), Customer.id)
        .limit(count)
    )
    return [(customer, Decimal(str(amount))) for customer, amount in db.session.execute(stmt)]


def _round_up(amount: Decimal) -> Decimal:
    """An amount rounded up to Rp 50 juta, as officers set targets."""
    step = 50 * JUTA
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def _goal(kind: str, **values) -> dict:
    base = {"amount": None, "dpd": None, "category": None, "product_code": None, "text": ""}
    return base | {"kind": kind, "due_date": None, "done": False} | values


def _plan_data(rank: int, outstanding: Decimal, today: date) -> dict:
    """The first borrower: grow the line and win the giro; the second: keep funds, a past goal."""
    year_end = date(today.year, 12, 31)
    soon = min(today + timedelta(days=14), year_end)
    if rank == 0:
        goals = [
            _goal(
                "outstanding_at_least",
                amount=_round_up(outstanding * Decimal("1.15")),
                due_date=year_end,
            ),
            _goal("max_dpd", dpd=30),
            _goal("holds_product", category="giro", due_date=year_end),
            _goal("action", text="Kunjungi gudang, bahas tambahan modal kerja", due_date=soon),
        ]
        needs = "Modal kerja untuk stok menjelang musim ramai; pembayaran gaji karyawan."
        tags, step = ["working_capital", "payroll"], "Presentasi giro payroll ke pemilik usaha."
    else:
        past = today - timedelta(days=20)
        goals = [
            _goal("dpk_at_least", amount=100 * JUTA, due_date=year_end),
            _goal("action", text="Serahkan proposal KPR karyawan", due_date=soon, done=True),
        ]
        if past.year == today.year:
            goals.append(
                _goal("outstanding_at_least", amount=_round_up(outstanding * 2), due_date=past)
            )
        needs = "Investasi mesin baru; dana pendidikan anak."
        tags, step = ["investment", "education"], "Telepon bendahara soal penempatan deposito."
    return {
        "needs": needs,
        "need_tags": tags,
        "risks": "Penjualan turun bila harga bahan baku naik.",
        "next_step": step,
        "review_months": 3,
        "next_review_date": None,
        "products": [],
        "goals": goals,
        "version": None,
    }


def _date_back(plan: AccountPlan, today: date) -> None:
    """The plan was written AGE_DAYS ago (not before this year began)."""
    started = max(date(today.year, 1, 1), today - timedelta(days=AGE_DAYS))
    db.session.execute(
        sa.update(AccountPlan).where(AccountPlan.id == plan.id).values(starts_on=started)
    )
    db.session.commit()


def seed_plans(created: Counter, present: Counter, today: date) -> None:
    """Plans for each demo officer's two largest borrowers, and one supervisor's comment."""
    from aoapp.demo import data

    supervisor = db.session.scalar(sa.select(User).where(User.username == "spv.jkt"))
    for username in data.OFFICERS:
        officer = db.session.scalar(sa.select(User).where(User.username == username))
        for rank, (customer, outstanding) in enumerate(_top_borrowers(officer)):
            if services.current_plan(customer.id, today) is not None:
                present["account plans"] += 1
                continue
            plan = services.save_plan(
                officer, customer.id, _plan_data(rank, outstanding, today), today=today
            )
            _date_back(plan, today)
            created["account plans"] += 1
            if (
                rank == 0
                and supervisor is not None
                and customer.branch_id in supervisor.supervised_branch_ids
            ):
                services.add_comment(supervisor, customer.id, {"text": COMMENT}, today=today)
