"""The credit and follow-up pages in Indonesian: no English left, Indonesian words present."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from aoapp.credit.models import MonitoringVisit
from aoapp.credit.watchlist import watchlist
from aoapp.extensions import db
from tests.support import followups as fh
from tests.support.credit import AS_OF, make_book, make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.i18n import english_leftovers, speak_indonesian


@pytest.fixture
def book(world):
    facilities = make_book(world)
    a1 = facilities["A1"]
    visit = MonitoringVisit(
        customer_id=a1.customer_id,
        facility_id=a1.id,
        officer_id=world.officer.id,
        visit_date=AS_OF,
        risk_rating="weak",
        findings="Stok menurun",
    )
    db.session.add(visit)
    db.session.commit()
    planned = fh.followup(world.officer, facility=a1)
    done = fh.followup(world.officer, facility=a1)
    fh.promise(done, "1500000")
    return {"facilities": facilities, "visit": visit, "planned": planned, "done": done}


def _pages(book, supervisor: bool):
    f, a1 = book["facilities"], book["facilities"]["A1"]
    pages = [
        "/portfolio/",
        "/portfolio/watchlist",
        f"/facilities/{a1.id}",
        f"/facilities/{f['A2'].id}",
        f"/customers/{a1.customer_id}",
        "/visits/",
        f"/visits/{book['visit'].id}",
        "/followups/",
        f"/followups/{book['planned'].id}",
        f"/followups/{book['done'].id}",
        "/promises/",
    ]
    if not supervisor:
        pages += [
            f"/visits/new?customer={a1.customer_id}",
            f"/visits/{book['visit'].id}/edit",
            "/followups/new",
            f"/followups/new?customer={a1.customer_id}",
            f"/followups/{book['planned'].id}/complete",
            f"/followups/{book['planned'].id}/reschedule",
            f"/followups/{book['planned'].id}/cancel",
        ]
    return pages


def _ours(url: str, html: str) -> str:
    """The part of a page this area renders (the customer page's credit section only)."""
    if url.startswith("/customers/"):
        start = html.index('id="facilities"')
        return html[start : html.index("</section>", start)]
    return html


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_the_credit_pages_speak_indonesian(client, auth, world, book, role):
    user = world.officer if role == "officer" else world.supervisor
    auth.login(user.username)
    speak_indonesian(auth)
    for url in _pages(book, role == "supervisor"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = _ours(url, response.get_data(as_text=True))
        assert english_leftovers(html) == [], url
    customer = client.get(f"/customers/{book['facilities']['A1'].customer_id}")
    assert "Kolektibilitas debitur" in customer.get_data(as_text=True)
    portfolio = client.get("/portfolio/").get_data(as_text=True)
    assert "Lancar" in portfolio and "Kurang Lancar" in portfolio and "Baki debet" in portfolio
    watch = client.get("/portfolio/watchlist").get_data(as_text=True)
    assert "Daftar pantauan" in watch and "Penurunan Kol" in watch
    assert "Tindak lanjut" in client.get("/followups/").get_data(as_text=True)


def test_a_watchlist_reason_in_indonesian(app, world):
    facility = make_facility(
        make_customer(world.officer), "MAT", maturity=AS_OF + timedelta(days=60)
    )
    post_listing(AS_OF, [(facility, 0, "1500000")])
    with force_locale("id"):
        entries = watchlist(world.officer, signals=["maturity_soon"]).items
        reasons = [e.reason for e in entries if e.facility.account_no == "MAT"]
    assert reasons == ["Jatuh tempo dalam 60 hari dengan baki debet Rp 1.500.000."]
