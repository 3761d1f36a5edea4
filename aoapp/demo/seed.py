"""Load the demo bank idempotently: find each record by its natural key, create only what is missing.

Users, customers and prospects go through their services (validation, audit); products, product
holdings and introductions are inserted directly, each group in one transaction. The debtors the
loan listings name (demo/book.py) are entered before the first import, with their legal form,
segment and identity; the listings then bring their credit, and the deposits listings their funds
(demo/funds.py, with the depositors who hold no loan). Stories: demo/stories.py.
"""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth import branches as auth_branches
from aoapp.auth import services as auth_services
from aoapp.auth.models import Branch, User
from aoapp.common.dates import bank_today
from aoapp.customers import services as customer_services
from aoapp.customers.models import Customer, ProductHolding
from aoapp.demo import data
from aoapp.demo.campaigns import seed_campaigns
from aoapp.demo.credit import enter_debtors, listing_dates, officer_book, seed_credit
from aoapp.demo.deposits import seed_funds
from aoapp.demo.followups import seed_followups
from aoapp.demo.plans import seed_plans
from aoapp.demo.renewals import seed_renewals
from aoapp.demo.reports import seed_reports
from aoapp.demo.surveys import seed_surveys
from aoapp.demo.targets import seed_targets
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.introductions.models import Introduction
from aoapp.products.models import Product
from aoapp.prospects import services as prospect_services
from aoapp.prospects.models import Prospect

# The kinds of demo records the summary counts, in the CLI's language.
KINDS = {
    "branches": _l("branches"),
    "users": _l("users"),
    "products": _l("products"),
    "customers": _l("customers"),
    "product holdings": _l("product holdings"),
    "prospects": _l("prospects"),
    "introductions": _l("introductions"),
    "campaigns": _l("campaigns"),
    "campaign tags": _l("campaign tags"),
    "loan listings": _l("loan listings"),
    "deposit listings": _l("deposit listings"),
    "follow-ups": _l("follow-ups"),
    "renewals worked": _l("renewals worked"),
    "suggestions worked": _l("suggestions worked"),
    "promises to pay": _l("promises to pay"),
    "complaints": _l("complaints"),
    "surveys": _l("surveys"),
    "targets": _l("targets"),
    "customer reports": _l("customer reports"),
    "portfolio reports": _l("portfolio reports"),
    "account plans": _l("account plans"),
}


class Seeder:
    """Creates the missing demo records and counts what it created and what was already there."""

    def __init__(self, password: str):
        self.password = password
        self.today = bank_today()
        self.created: Counter = Counter()
        self.present: Counter = Counter()

    def _note(self, kind: str, created: bool) -> None:
        (self.created if created else self.present)[kind] += 1

    def run(self) -> None:
        """Seed everything, in dependency order."""
        self.branches()
        self.users()
        self.products()
        for username, (officer_no, region) in data.OFFICERS.items():
            officer = self._user(username)
            customers = self.customers(officer, officer_no, region)
            self.holdings(customers)
            prospects = self.prospects(officer, officer_no, region, customers)
            self.introductions(officer, prospects, customers)
        self.campaigns()
        self.debtors()
        self.credit()
        self.deposits()
        self.followups()
        self.surveys()
        self.renewals()
        self.targets()
        self.plans()
        self.reports()

    def campaigns(self) -> None:
        """Two marketing campaigns, with some demo prospects and introductions tagged."""
        seed_campaigns(self.created, self.present, self.today)

    def debtors(self) -> None:
        """The debtors the loan listings name, entered with their legal form and segment."""
        for username, (officer_no, region) in data.OFFICERS.items():
            debtors, _loans, _dates = officer_book(username, self.today)
            created = enter_debtors(self._user(username), officer_no, region, debtors)
            self.created["customers"] += created
            self.present["customers"] += len(debtors) - created
        db.session.commit()

    def credit(self) -> None:
        """12 month-end loan listings for the demo officers, through the real import."""
        imported, present = seed_credit(self._user("admin"), self.today)
        self.created["loan listings"] += imported
        self.present["loan listings"] += present

    def deposits(self) -> None:
        """The depositors who hold no loan, then 12 month-end deposits listings, imported."""
        seed_funds(self.created, self.present, self.today)

    def followups(self) -> None:
        """Follow-ups, promises to pay and complaints against the demo portfolio."""
        seed_followups(self.created, self.present, self.today)

    def surveys(self) -> None:
        """Satisfaction surveys answered by the demo customers, one low score among them."""
        seed_surveys(self.created, self.present, self.today)

    def renewals(self) -> None:
        """A few renewal opportunities worked: in discussion, proposed, renewed."""
        seed_renewals(self.created, self.present, self.today)

    def targets(self) -> None:
        """Monthly targets of the demo officers (this month and the three before)."""
        seed_targets(self.created, self.present, self.today)

    def plans(self) -> None:
        """Account plans of each officer's two largest borrowers (demo/plans.py)."""
        seed_plans(self.created, self.present, self.today)

    def reports(self) -> None:
        """Last month's customer and portfolio workbooks (skipped when already on disk)."""
        seed_reports(self.created, self.present, self.today)

    def branches(self) -> None:
        """The two demo branches."""
        for code, name in data.BRANCHES:
            exists = db.session.scalar(sa.select(Branch.id).where(Branch.code == code))
            if not exists:
                auth_branches.create_branch(code, name)
            self._note("branches", not exists)

    def users(self) -> None:
        """Admin, supervisor and officers, all with the demo password."""
        for spec in data.USERS:
            spec = dict(spec)
            username = spec.pop("username")
            exists = db.session.scalar(sa.select(User.id).where(User.username == username))
            if not exists:
                user = auth_services.create_user(username, self.password, spec.pop("role"), **spec)
                # The demo's people were at the bank for its year of history: a report of a past
                # month names its supervisor only if the account was there (reports/signers.py).
                user.created_at = datetime.combine(listing_dates(self.today)[0], time.min, UTC)
                db.session.commit()
            self._note("users", not exists)

    def _user(self, username: str) -> User:
        return db.session.scalar(sa.select(User).where(User.username == username))

    def products(self) -> None:
        """The product catalogue, in one transaction."""
        existing = set(db.session.scalars(sa.select(Product.code)))
        for code, name, kind, subtype, description in data.PRODUCTS:
            if code not in existing:
                db.session.add(
                    Product(
                        code=code,
                        name=name,
                        kind=kind,
                        credit_subtype=subtype,
                        deposit_type=data.DEPOSIT_TYPES.get(code),
                        description=description,
                    )
                )
            self._note("products", code not in existing)
        db.session.commit()

    def _product(self, code: str) -> Product:
        return db.session.scalar(sa.select(Product).where(Product.code == code))

    def customers(self, officer: User, officer_no: int, region: str) -> dict[int, Customer]:
        """The officer's customers, by number; individuals with a NIK, companies with an NPWP."""
        result = {}
        for number, (kind, segment, birth, _held, _credit) in enumerate(data.CUSTOMERS, start=1):
            name = data.customer_name(officer_no, number)
            keys = data.customer_keys(officer_no, number)
            customer = db.session.scalar(sa.select(Customer).where(Customer.cif == keys["cif"]))
            self._note("customers", customer is None)
            if customer is None:
                first = name.lower().replace("pt ", "").replace("cv ", "").split()[0]
                customer = customer_services.create_customer(
                    officer,
                    {
                        "cif": keys["cif"],
                        "name": name,
                        "customer_type": kind,
                        "nik": data.nik(region, officer_no, birth, 1000 + number)
                        if birth
                        else None,
                        "npwp": keys["npwp"] if kind == "company" else None,
                        "phone": keys["phone"],
                        "email": f"{first}{officer_no}{number}@example.co.id",
                        "address": f"Jl. Merdeka No. {number * 7}",
                        "segment": segment,
                        "since": date(2015 + (officer_no + number) % 9, number, 10 + officer_no),
                    },
                )
            result[number] = customer
        return result

    def holdings(self, customers: dict[int, Customer]) -> None:
        """Deposits and services each demo customer holds (credit is on the listing)."""
        for number, customer in customers.items():
            held = {h.product_id for h in customer.holdings}
            for position, code in enumerate(data.CUSTOMERS[number - 1][3], start=1):
                product = self._product(code)
                missing = product.id not in held
                if missing:
                    db.session.add(
                        ProductHolding(
                            customer_id=customer.id,
                            product_id=product.id,
                            account_no=f"{customer.cif}{position:02d}",
                            opened_on=customer.since,
                        )
                    )
                self._note("product holdings", missing)
        db.session.commit()

    def prospects(self, officer, officer_no, region, customers) -> dict[int, Prospect]:
        """The officer's prospects, walked through the pipeline to every status."""
        result = {}
        for number, row in enumerate(data.PROSPECTS, start=1):
            phone = data.prospect_phone(officer_no, number)
            prospect = db.session.scalar(
                sa.select(Prospect).where(Prospect.owner_id == officer.id, Prospect.phone == phone)
            )
            self._note("prospects", prospect is None)
            if prospect is None:
                prospect = self._new_prospect(officer, officer_no, region, customers, number, row)
            result[number] = prospect
        return result

    def _new_prospect(self, officer, officer_no, region, customers, number, row) -> Prospect:
        _name, business, _area, source, referrer, status, reason, product, need, age, follow = row
        name = data.prospect_name(officer_no, number)
        area = data.prospect_area(officer_no, number)
        women = number % 2 == 0
        birth = ((number * 3) % 28 + 1 + (40 if women else 0), number % 12 + 1, 70 + number * 2)
        prospect = prospect_services.create_prospect(
            officer,
            {
                "name": name,
                "phone": data.prospect_phone(officer_no, number),
                "nik": data.nik(region, officer_no, birth, 2000 + number) if number != 2 else None,
                "address": f"Jl. {area} Raya No. {number}",
                "area": area,
                "business_type": business,
                "estimated_credit_need": data.credit_need(need),
                "product_interest": product,
                "source": source,
                "referrer_customer": customers[referrer].id if isinstance(referrer, int) else None,
                "referrer_name": referrer if isinstance(referrer, str) else None,
                # The next contact is a planned follow-up (an overdue one is moved back below).
                "next_follow_up_date": self.today + timedelta(days=max(follow, 0))
                if follow is not None and status not in ("won", "rejected", "lost")
                else None,
                "notes": f"Bertemu di daerah {area}; usaha {business.lower()}.",
            },
        )
        if follow is not None and follow < 0 and prospect.is_open:
            self._overdue_next_contact(prospect, self.today + timedelta(days=follow))
        steps = data.STATUS_STEPS[status]
        days = self._schedule(age, 1 + len(steps) + (status == "won"))
        for step in steps:
            closing = step in ("rejected", "lost")
            prospect_services.change_status(
                officer,
                prospect,
                step,
                reason if closing else None,
                data.NOTES.get(step) if closing else None,
            )
        if status == "won":
            cif = data.converted_cif(officer_no, number)
            prospect_services.convert(
                officer,
                prospect,
                {"cif": cif, "customer_type": "individual", "segment": "micro", "since": days[-1]},
            )
        self._backdate(prospect, days)
        return prospect

    def _schedule(self, age: int, steps: int) -> list[date]:
        """Dates of a prospect's status changes, spread from `age` days ago to recently."""
        start = self.today - timedelta(days=age)
        span = age * 3 // 4
        return [start + timedelta(days=span * n // max(1, steps - 1)) for n in range(steps)]

    def _overdue_next_contact(self, prospect: Prospect, day: date) -> None:
        """Move a demo prospect's next contact into the past: the agenda shows it overdue."""
        db.session.execute(
            sa.update(FollowUp)
            .where(FollowUp.prospect_id == prospect.id, FollowUp.status == "planned")
            .values(planned_date=day)
        )
        db.session.commit()

    def _backdate(self, prospect: Prospect, days: list[date]) -> None:
        """Give a new demo prospect a believable past, so pipeline durations mean something."""
        for change, day in zip(prospect.history, days, strict=True):
            change.changed_on = day
            change.changed_at = datetime.combine(day, time(3, 0), UTC)  # 10:00 in Jakarta
        prospect.created_at = prospect.history[0].changed_at
        if prospect.converted_at is not None:
            prospect.converted_at = prospect.history[-1].changed_at
        db.session.commit()

    def introductions(self, officer, prospects, customers) -> None:
        """A few product introductions to prospects and customers, in one transaction."""
        for subject, code, place, outcome, ago, explanation in data.INTRODUCTIONS:
            product = self._product(code)
            if isinstance(subject, tuple):
                target = {"customer_id": customers[subject[1]].id}
            else:
                target = {"prospect_id": prospects[subject].id}
            column, value = next(iter(target.items()))
            exists = db.session.scalar(
                sa.select(Introduction.id).where(
                    getattr(Introduction, column) == value, Introduction.product_id == product.id
                )
            )
            self._note("introductions", not exists)
            if exists:
                continue
            introduction = Introduction(
                **target,
                product_id=product.id,
                officer_id=officer.id,
                introduced_on=self.today - timedelta(days=ago),
                place=place,
                explanation=explanation,
                understood=outcome != "not_interested",
                outcome=outcome,
                follow_up_date=self.today + timedelta(days=7)
                if outcome in ("interested", "needs_time")
                else None,
            )
            db.session.add(introduction)
            audit.record(officer, introduction, "create", None, audit.snapshot(introduction))
        db.session.commit()

    def summary(self) -> str:
        """One line per kind of record: how many were created and how many were already there."""
        kinds = list(dict.fromkeys([*self.created, *self.present]))
        return "\n".join(
            "  "
            + _(
                "%(kind)s: %(created)s created, %(present)s already present",
                kind=KINDS.get(kind, kind),
                created=self.created[kind],
                present=self.present[kind],
            )
            for kind in kinds
        )
