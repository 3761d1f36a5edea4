"""The handover pages: pick the officer and tick customers, the confirm page's counts, the run,
the detail with its change file; field errors, CSRF, who may open them, and Indonesian."""

import re

import pytest
import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.handovers.models import Handover
from tests.handovers.conftest import TODAY
from tests.support import credit_visits as credit
from tests.support.i18n import english_leftovers, speak_indonesian

pytestmark = pytest.mark.today(TODAY)


def _officer_of(customer) -> int:
    db.session.expire_all()
    return db.session.get(Customer, customer.id).officer_id


def test_pick_confirm_run_and_download(client, auth, world, book):
    credit.position(book.facility, credit.date(2026, 11, 30), outstanding="150000000.00")
    auth.login("spv.jkt")
    page = client.get("/handovers/new", query_string={"from_officer": world.officer.id})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rows = re.findall(r'<tr data-search="([^"]+)"', html)
    assert rows == ["0001002 kebun sari", "0001003 rumah makan ibu", "0001001 toko maju"]
    assert "IDR 150,000,000" in html  # the exposure, in English
    searched = client.get(
        "/handovers/new", query_string={"from_officer": world.officer.id, "q": "toko"}
    )
    assert re.findall(r'<tr data-search="([^"]+)"', searched.get_data(as_text=True)) == [
        "0001001 toko maju"
    ]
    form = {
        "from_officer": world.officer.id,
        "to_officer": world.colleague.id,
        "scope": "selected",
        "customers": [book.shop.id],
        "note": "Mutasi ke cabang lain",
    }
    confirm = auth.post("/handovers/new", form)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    counts = dict(re.findall(r'id="move-(\w+)">(\d+)<', html))
    assert counts == {
        "customers": "1",
        "followups": "1",
        "complaints": "1",
        "plans": "1",
        "renewals": "1",
        "accounts": "2",
    }
    assert _officer_of(book.shop) == world.officer.id  # nothing moved yet
    done = auth.post("/handovers/new", form | {"confirmed": "1"})
    handover = db.session.scalar(sa.select(Handover))
    assert done.status_code == 302 and done.headers["Location"].endswith(
        f"/handovers/{handover.id}"
    )
    assert _officer_of(book.shop) == world.colleague.id
    detail = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    assert "Handed over 1 customer to Ao.Sari" in detail and "Toko Maju" in detail
    csv_file = client.get(f"/handovers/{handover.id}/change-file")
    assert csv_file.status_code == 200
    assert (
        csv_file.get_data(as_text=True).splitlines()[0]
        == "cif,account_no,old_officer_code,new_officer_code"
    )
    customer_page = client.get(f"/customers/{book.shop.id}").get_data(as_text=True)
    assert "pending core banking's update of the officer code" in customer_page
    listing = client.get("/handovers/").get_data(as_text=True)
    assert f'href="/handovers/{handover.id}"' in listing


def test_field_errors_and_csrf(client, auth, world, book):
    auth.login("spv.jkt")
    missing = auth.post("/handovers/new", {"from_officer": world.officer.id, "scope": "selected"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422
    assert re.search(r'name="to_officer"[^>]*>.*?invalid-feedback d-block">[^<]+', html, re.S)
    assert "Tick at least one customer." in html
    remote = auth.post(
        "/handovers/new",
        {"from_officer": world.officer.id, "to_officer": world.remote.id, "scope": "all"},
    )
    assert remote.status_code == 422 and "Pick one of the officers offered." in remote.get_data(
        as_text=True
    )
    forged = client.post(
        "/handovers/new",
        data={"from_officer": world.officer.id, "to_officer": world.colleague.id, "confirmed": "1"},
    )
    assert forged.status_code == 400
    assert _officer_of(book.shop) == world.officer.id


def test_who_may_open_the_pages(client, auth, world, book):
    auth.login("admin")
    auth.post(
        "/handovers/new",
        {"from_officer": world.officer.id, "to_officer": world.remote.id, "confirmed": "1"},
    )
    handover = db.session.scalar(sa.select(Handover))
    auth.logout()
    expected = {
        "ao.budi": (403, 403, 404, 404),
        "spv.bdg": (200, 200, 200, 200),  # the handover came to an officer of Bandung
        "spv.jkt": (200, 200, 200, 200),
    }
    for username, statuses in expected.items():
        auth.login(username)
        urls = ("/handovers/", "/handovers/new", f"/handovers/{handover.id}")
        got = tuple(client.get(url).status_code for url in urls)
        got += (client.get(f"/handovers/{handover.id}/change-file").status_code,)
        assert got == statuses, username
        auth.logout()
    make = db.session.get(Handover, handover.id)
    make.from_branch_id = make.to_branch_id = world.jkt.id  # a handover within Jakarta only
    db.session.commit()
    auth.login("spv.bdg")
    assert client.get(f"/handovers/{handover.id}").status_code == 404
    assert client.get(f"/handovers/{handover.id}/change-file").status_code == 404


def test_the_pages_speak_indonesian(client, auth, world, book):
    auth.login("spv.jkt")
    speak_indonesian(auth)
    page = client.get("/handovers/new", query_string={"from_officer": world.officer.id})
    html = page.get_data(as_text=True)
    assert "Serah terima" in html and english_leftovers(html) == []
    confirm = auth.post(
        "/handovers/new",
        {"from_officer": world.officer.id, "to_officer": world.colleague.id, "scope": "all"},
    ).get_data(as_text=True)
    assert english_leftovers(confirm) == []
    assert "Tindak lanjut terencana" in confirm
