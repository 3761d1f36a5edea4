"""Builders of users, branches, tokens, customers, prospects, products, campaigns and targets."""

import itertools
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from types import SimpleNamespace

import sqlalchemy as sa

from aoapp.auth import branches as auth_branches
from aoapp.auth import services as auth_services
from aoapp.auth import tokens as auth_tokens
from aoapp.auth.models import Branch, User
from aoapp.common.dates import utcnow
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.products.models import Product
from aoapp.prospects.models import Prospect, ProspectStatusChange
from tests.support.snapshots import copied, copy_key

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_branch(code: str, name: str | None = None) -> Branch:
    return auth_branches.create_branch(code, name or f"Branch {code}")


def make_user(username: str, role: str = "officer", branch: str | None = None, **kwargs) -> User:
    if role == "officer":
        kwargs.setdefault("officer_code", f"AO{next(_seq):04d}")
        kwargs.setdefault("branch_code", branch)
    elif role == "supervisor":
        kwargs.setdefault("supervises", [branch] if branch else [])
    return auth_services.create_user(username, PASSWORD, role, full_name=username.title(), **kwargs)


def make_token(user: User, name: str = "test") -> str:
    user = db.session.merge(user)
    return auth_tokens.create_token(user, name)[1]


def nik(n: int | None = None) -> str:
    """A valid NIK: province 32 (West Java), born 15/06/1990, serial n."""
    n = next(_seq) if n is None else n
    return f"320101150690{n % 10000:04d}"


def phone(n: int | None = None) -> str:
    """A valid mobile number in normalised form (628…)."""
    n = next(_seq) if n is None else n
    return f"62812{n % 100000000:08d}"


def deposit_type_of(code: str) -> str:
    """A deposit product's type from its code, for tests that do not care: GIRO…, DEP…, else tabungan."""
    upper = code.upper()
    return (
        "giro"
        if upper.startswith("GIRO")
        else "deposito"
        if upper.startswith("DEP")
        else "tabungan"
    )


def make_product(
    code: str = "KMK", kind: str = "credit", subtype: str | None = "working_capital", **kw
) -> Product:
    if kind == "deposit":
        kw.setdefault("deposit_type", deposit_type_of(code))
    product = Product(
        code=code,
        name=kw.pop("name", f"Product {code}"),
        kind=kind,
        credit_subtype=subtype if kind == "credit" else None,
        **kw,
    )
    db.session.add(product)
    db.session.commit()
    return product


def make_prospect(owner: User, **kw) -> Prospect:
    """A prospect; `next_follow_up_date` plans its next contact (a follow-up, as the form does)."""
    next_contact = kw.pop("next_follow_up_date", None)
    values = {
        "name": f"Prospect {next(_seq)}",
        "phone": phone(),
        "source": "walk_in",
        "status": "new",
    }
    values.update(kw)
    prospect = Prospect(owner_id=owner.id, **values)
    prospect.history.append(
        ProspectStatusChange(
            from_status=None,
            to_status=values["status"],
            changed_on=date.today(),
            changed_by_id=owner.id,
        )
    )
    db.session.add(prospect)
    db.session.commit()
    if next_contact is not None:
        db.session.add(
            FollowUp(
                prospect_id=prospect.id,
                owner_id=owner.id,
                channel="call",
                purpose="product_offer",
                planned_date=next_contact,
            )
        )
        db.session.commit()
    return prospect


def make_customer(officer: User, **kw) -> Customer:
    n = next(_seq)
    values = {
        "cif": f"CIF{n:07d}",
        "name": f"Customer {n}",
        "customer_type": "individual",
        "nik": nik(n),
        "phone": phone(n + 50000),
        "segment": "micro",
        "since": date(2024, 1, 15),
    }
    values.update(kw)
    customer = Customer(officer_id=officer.id, branch_id=officer.branch_id, **values)
    db.session.add(customer)
    db.session.commit()
    return customer


def insert_officers(*usernames: str) -> list[SimpleNamespace]:
    """Branch JKT01 and officers in it, written with the columns given only (no ORM: the models
    are at head), for migration tests that seed at an older revision."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    branches = Branch.__table__
    branch_id = db.session.execute(
        sa.insert(branches)
        .values(code="JKT01", name="Jakarta Pusat", created_at=now)
        .returning(branches.c.id)
    ).scalar_one()
    users = User.__table__
    found = []
    for number, username in enumerate(usernames, 1):
        values = {
            "username": username,
            "full_name": username,
            "role": "officer",
            "branch_id": branch_id,
            "officer_code": f"AO{number:03d}",
            "password_hash": "x",
            "active": True,
            "failed_login_count": 0,
            "created_at": now,
        }
        user_id = db.session.execute(
            sa.insert(users).values(values).returning(users.c.id)
        ).scalar_one()
        found.append(SimpleNamespace(id=user_id, branch_id=branch_id, username=username))
    db.session.commit()
    return found


def insert_customer(officer: User, **kw) -> int:
    """A customer row written with the columns given only (no ORM: the models are at head), for
    migration tests that seed at an older revision; returns its id."""
    n = next(_seq)
    values = {
        "cif": f"CIF{n:07d}",
        "name": f"Customer {n}",
        "customer_type": "individual",
        "nik": nik(n),
        "phone": phone(n + 50000),
        "segment": "micro",
        "since": date(2024, 1, 15),
        "officer_id": officer.id,
        "branch_id": officer.branch_id,
        "version": 1,
        "created_at": datetime(2026, 11, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
    } | kw
    table = Customer.__table__
    return db.session.execute(sa.insert(table).values(values).returning(table.c.id)).scalar_one()


@dataclass
class World:
    """The standard cast of a test: every role, two branches."""

    jkt: Branch
    bdg: Branch
    admin: User
    supervisor: User
    officer: User  # JKT01
    colleague: User  # JKT01, same branch as officer
    remote: User  # BDG01, another branch
    bdg_supervisor: User


_WORLDS: dict = {}


def make_world() -> World:
    """The cast, built on its first use (per worker, day, database and rows already there), then
    its rows copied in (tests/support/snapshots.py), stamped with the clock's now: eight users
    created and audited through the services cost ~50 ms, which 1,500 tests paid each."""
    return copied(_WORLDS, copy_key(), _make_world, _world_ids, _world_of, now=utcnow)


def _world_ids(world: World) -> dict[str, int]:
    return {field.name: getattr(world, field.name).id for field in fields(World)}


def _world_of(ids: dict[str, int]) -> World:
    branches = ("jkt", "bdg")
    # Two queries put every row in the session's identity map, held here (the map keeps an
    # object only while something refers to it): the gets below read it, not the database.
    loaded = [
        db.session.scalars(sa.select(model).where(model.id.in_([ids[n] for n in names]))).all()
        for model, names in ((Branch, branches), (User, [n for n in ids if n not in branches]))
    ]
    assert sum(map(len, loaded)) == len(ids)
    return World(
        **{
            name: db.session.get(Branch if name in branches else User, id_)
            for name, id_ in ids.items()
        }
    )


def _make_world() -> World:
    jkt = make_branch("JKT01", "Jakarta Sudirman")
    bdg = make_branch("BDG01", "Bandung Dago")
    return World(
        jkt=jkt,
        bdg=bdg,
        admin=make_user("admin", "admin"),
        supervisor=make_user("spv.jkt", "supervisor", "JKT01"),
        officer=make_user("ao.budi", "officer", "JKT01"),
        colleague=make_user("ao.sari", "officer", "JKT01"),
        remote=make_user("ao.dewi", "officer", "BDG01"),
        bdg_supervisor=make_user("spv.bdg", "supervisor", "BDG01"),
    )


def make_campaign(name: str = "Pameran UMKM", branches=("JKT01",), **kw):
    """A campaign running in the branches with these codes (inserted directly)."""
    from aoapp.auth.models import Branch
    from aoapp.campaigns.models import Campaign

    values = {
        "channel": "event",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 10, 31),
    }
    values.update(kw)
    products = values.pop("products", [])
    campaign = Campaign(name=name, **values)
    campaign.branches = [
        db.session.scalar(db.select(Branch).where(Branch.code == code)) for code in branches
    ]
    campaign.products = list(products)
    db.session.add(campaign)
    db.session.commit()
    return campaign


def make_target(officer: User, month: date, set_by: User | None = None, **metrics):
    """One officer's targets for the month of `month` (metrics as Target columns)."""
    from aoapp.targets.models import Target

    target = Target(
        officer_id=officer.id,
        month=month.replace(day=1),
        set_by_id=set_by.id if set_by else None,
        **metrics,
    )
    db.session.add(target)
    db.session.commit()
    return target
