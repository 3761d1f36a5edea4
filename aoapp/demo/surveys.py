"""Demo satisfaction surveys: a few answered by each officer's customers over the last three
months (scores, likelihood to recommend, Indonesian comments), one low score with the follow-up
it planned, one still waiting, so the dashboards, the team agenda and the workbook show them.

Sent and answered through the surveys' own services, at past moments (`now`), as the officers
and customers would have; idempotent: nothing is added once the demo has any survey.
"""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.customers.models import Customer
from aoapp.demo import data
from aoapp.extensions import db
from aoapp.surveys import services
from aoapp.surveys.models import Survey

# (days ago sent, reason, score, recommend, comment); the answer comes a day after the sending.
ANSWERS = [
    (70, "visit", 5, 10, "Pak AO datang tepat waktu dan menjelaskan dengan sabar."),
    (62, "renewal", 4, 9, None),
    (40, "complaint_resolved", 4, 8, "Masalah tagihan sudah beres, terima kasih."),
    (33, "visit", 3, 6, "Cukup baik, tapi prosesnya agak lama."),
    (12, "visit", 5, 9, "Sangat membantu usaha kami."),
    (6, "renewal", 4, None, None),
]
LOW = (3, "complaint_resolved", 2, 3, "Pengaduan saya lama sekali ditangani.")  # ao.budi's


def _moment(today: date, days_ago: int, hour: int = 3) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour), UTC)


def _customers(officer: User, count: int) -> list[Customer]:
    stmt = (
        sa.select(Customer)
        .where(Customer.officer_id == officer.id, Customer.phone.is_not(None))
        .order_by(Customer.id)
        .limit(count)
    )
    return list(db.session.scalars(stmt))


def _answered(officer: User, customer: Customer, today: date, answer: tuple) -> None:
    days_ago, reason, score, recommend, comment = answer
    _survey, plain = services.send(
        officer, {"customer": customer.id, "reason": reason}, now=_moment(today, days_ago)
    )
    values = {"score": score, "recommend": recommend, "comment": comment}
    services.answer(plain, values, now=_moment(today, days_ago - 1, hour=5))


def seed_surveys(created: Counter, present: Counter, today: date) -> None:
    """Surveys of the demo officers' customers (see the module docstring)."""
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(Survey))
    if existing:
        present["surveys"] += existing
        return
    made = 0
    for number, username in enumerate(data.OFFICERS):
        officer = db.session.scalar(sa.select(User).where(User.username == username))
        customers = _customers(officer, len(ANSWERS))
        for index, customer in enumerate(customers):
            answer = ANSWERS[(index + number) % len(ANSWERS)]
            _answered(officer, customer, today, answer)
            made += 1
        if username == "ao.budi" and customers:
            _answered(officer, customers[0], today, LOW)
            services.send(
                officer, {"customer": customers[-1].id, "reason": "visit"}, now=_moment(today, 1)
            )
            made += 2
    created["surveys"] += made
