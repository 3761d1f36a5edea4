"""Core banking follows a handover, or not: the listings imported after it (the real imports).

A listing with the new officer code confirms; one still showing the old code leaves the customer
with the new officer and is reported on the import's page, for the admin to keep the handover or
accept the listing. A listing dated before the handover is not compared, and moves no one back.
"""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.handovers import decisions, services
from aoapp.handovers.models import HandoverCustomer
from tests.handovers.conftest import TODAY, actor
from tests.support import deposit_listings as D
from tests.support import followups as followup_helpers
from tests.support import listings as L
from tests.support.handovers import request

pytestmark = pytest.mark.today(TODAY)
NOV30, DEC7, DEC8 = date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 8)


@pytest.fixture
def imports(tmp_path, world):
    L.catalogue()
    return L.Importer(tmp_path, actor(world.admin))


def _listing(imports, as_of: date, codes: dict[str, str], **names):
    """A loan listing of debtors C1, C2, C3 (one facility each) booked to `codes` by CIF."""
    rows = [
        L.line(f"L{cif[1:]}", cif, code, customer_name=names.get(cif, f"Debtor {cif}"))
        for cif, code in codes.items()
    ]
    outcome = imports.csv(rows, as_of)
    assert outcome.ok, (outcome.record.shown_message, outcome.errors)
    return outcome.record


def _customer(cif: str) -> Customer:
    db.session.expire_all()
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


def _status(cif: str) -> tuple[str, int | None]:
    db.session.expire_all()
    row = db.session.scalar(
        sa.select(HandoverCustomer)
        .join(Customer, Customer.id == HandoverCustomer.customer_id)
        .where(Customer.cif == cif)
        .order_by(HandoverCustomer.id.desc())
    )
    return row.core_status, row.listing_officer_id


@pytest.fixture
def handed(world, imports):
    """C1 and C2 of ao.budi handed to ao.sari after the November listing."""
    budi, sari = world.officer.officer_code, world.colleague.officer_code
    _listing(imports, NOV30, {"C1": budi, "C2": budi, "C3": sari})
    picked = [_customer("C1"), _customer("C2")]
    return services.hand_over(
        actor(world.supervisor), request(world.officer, world.colleague, picked)
    )


def test_the_new_code_confirms_the_old_one_is_reported_and_moves_no_one(
    world, imports, handed, client, auth
):
    budi, sari = world.officer.officer_code, world.colleague.officer_code
    record = _listing(imports, DEC7, {"C1": sari, "C2": budi, "C3": sari}, C2="Toko Baru")
    assert record.summary["handovers"] == {"confirmed": 1, "conflicts": 1}
    assert _status("C1") == ("confirmed", None)
    assert _status("C2") == ("conflict", world.officer.id)
    c2 = _customer("C2")
    assert c2.officer_id == world.colleague.id  # not silently undone
    assert c2.name == "Toko Baru"  # the listing still names the customer
    auth.login("admin")
    page = client.get(f"/imports/{record.id}").get_data(as_text=True)
    assert (
        f"1 customer still carries the old officer code in this listing (handover #{handed.id})"
        in page
    )
    assert "C2" in re.search(r'id="handover-conflicts-\d+".*?</section>', page, re.S).group(0)
    assert "This listing shows the new officer code of 1 handed-over customer" in page


def test_a_listing_dated_before_the_handover_is_not_compared(world, imports, handed):
    budi = world.officer.officer_code
    record = _listing(imports, NOV30, {"C1": budi, "C2": budi, "C3": budi})  # imported again
    assert record.summary.get("handovers") is None
    assert _status("C1") == ("pending", None)
    assert _customer("C1").officer_id == world.colleague.id  # held all the same
    assert _customer("C3").officer_id == world.officer.id  # others follow the listing


def test_the_admin_keeps_the_handover_then_accepts_the_listing(
    world, imports, handed, client, auth
):
    budi, sari = world.officer.officer_code, world.colleague.officer_code
    record = _listing(imports, DEC7, {"C1": budi, "C2": budi, "C3": sari})
    c2 = _customer("C2")
    planned = followup_helpers.followup(actor(world.colleague), customer=c2)
    auth.login("admin")
    kept = auth.post(
        f"/handovers/{handed.id}/decision",
        {"decision": "keep", "import_id": record.id, "customers": [c2.id]},
    )
    assert kept.headers["Location"].endswith(f"/imports/{record.id}")
    assert _status("C2") == ("pending", world.officer.id) and _status("C1")[0] == "conflict"
    page = client.get(f"/imports/{record.id}").get_data(as_text=True)
    assert "1 customer still carries" in page  # C1 only now
    # The next listing still shows the old code: a conflict again, and the admin gives way.
    later = _listing(imports, DEC8, {"C1": budi, "C2": budi, "C3": sari})
    assert later.summary["handovers"] == {"confirmed": 0, "conflicts": 2}
    nothing = auth.post(f"/handovers/{handed.id}/decision", {"decision": "accept"})
    assert "Tick at least one customer." in client.get(nothing.headers["Location"]).get_data(
        as_text=True
    )
    both = [_customer("C1").id, c2.id]
    accepted = auth.post(
        f"/handovers/{handed.id}/decision", {"decision": "accept", "customers": both}
    )
    assert accepted.headers["Location"].endswith(f"/handovers/{handed.id}")
    assert _status("C1")[0] == _status("C2")[0] == "reverted"
    assert _customer("C2").officer_id == world.officer.id
    assert db.session.get(FollowUp, planned.id).owner_id == world.officer.id  # open work too
    entries = followup_helpers.audits("customer", c2.id)
    assert [e.action for e in entries][-1] == "accept_listing"
    decided = followup_helpers.audits("handovercustomer")
    assert [e.action for e in decided if e.action.endswith("decision")] == [
        "keep_decision",
        "accept_decision",
        "accept_decision",
    ]


def test_accepting_a_listing_of_an_officer_who_left_is_refused(world, imports, handed):
    budi = world.officer.officer_code
    _listing(imports, DEC7, {"C1": budi, "C2": budi, "C3": budi})
    actor(world.officer).active = False
    db.session.commit()
    with pytest.raises(InvalidInput):
        decisions.decide(actor(world.admin), handed, "accept", None)
    assert _customer("C1").officer_id == world.colleague.id
    assert decisions.decide(actor(world.admin), handed, "keep", None) == 2


def test_only_the_deposits_listing_of_a_customer_without_credit_is_compared(world, tmp_path):
    D.catalogue()
    deposits = D.Importer(tmp_path, actor(world.admin))
    budi = world.officer.officer_code
    assert deposits.csv([D.line("T1", "S1", budi), D.line("T2", "S2", budi)], NOV30).ok
    saver = _customer("S1")
    services.hand_over(
        actor(world.admin), request(world.officer, world.colleague, [saver, _customer("S2")])
    )
    # S2 has a loan (a listing of November, before the handover: not compared), so the loan
    # listing names its officer and the deposits listing is not asked.
    assert L.Importer(tmp_path, actor(world.admin)).csv([L.line("K1", "S2", budi)], NOV30).ok
    record = deposits.csv([D.line("T1", "S1", budi), D.line("T2", "S2", budi)], DEC7).record
    assert record.summary["handovers"] == {"confirmed": 0, "conflicts": 1}
    assert _status("S1") == ("conflict", world.officer.id)
    assert _status("S2") == ("pending", None)
    assert _customer("S1").officer_id == _customer("S2").officer_id == world.colleague.id
