"""The customers list's `debtor_on` filter behind the dashboards' debtors link: with `officer`, the
customers holding credit booked to that officer on the listing date, as the debtors KPI counts."""

import re
from datetime import date

from aoapp.customers import services
from aoapp.extensions import db
from aoapp.kpis import officers as kpis
from tests.support.credit import AS_OF, EARLIER, make_facility, post_listing
from tests.support.factories import make_customer


def shown(html: str) -> list[int]:
    return sorted(int(n) for n in re.findall(r'<tr data-customer="(\d+)">', html))


def test_debtor_on_lists_the_customers_the_debtors_kpi_counts(client, auth, world):
    two = make_customer(world.officer, name="Two Facilities")
    one = make_customer(world.officer, name="One Facility")
    make_customer(world.officer, name="No Credit")
    gone = make_customer(world.officer, name="Repaid Before")
    moved = make_customer(world.colleague, name="Moved Since")
    sari = make_customer(world.colleague, name="Sari Debtor")
    post_listing(EARLIER, [(make_facility(gone), 0, 100)])
    post_listing(AS_OF, [(make_facility(two), 0, 100), (make_facility(two), 0, 200)])
    post_listing(AS_OF, [(make_facility(one), 5, 300), (make_facility(sari), 0, 400)])
    # Booked to ao.budi on the date, reassigned to ao.sari since: still ao.budi's debtor then.
    post_listing(AS_OF, [(make_facility(moved), 0, 500)], officer=world.officer)

    ref = kpis.OfficerRef(world.officer.id, "ao.budi", "Budi", "JKT01")
    row = kpis.officer_kpis([ref], AS_OF.replace(day=1), AS_OF, AS_OF)[0]
    assert row.debtors == 3
    auth.login("spv.jkt")
    url = f"/customers/?officer={world.officer.id}&debtor_on={AS_OF.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    assert shown(page) == sorted([two.id, one.id, moved.id])
    assert f'id="debtor_on" name="debtor_on" value="{AS_OF.isoformat()}"' in page
    # Without an officer: every debtor on the date in the scope; an earlier date: its debtors.
    assert len(shown(client.get(f"/customers/?debtor_on={AS_OF}").get_data(as_text=True))) == 4
    earlier = client.get(f"/customers/?debtor_on={EARLIER}").get_data(as_text=True)
    assert shown(earlier) == [gone.id]
    assert (
        shown(client.get(f"/customers/?debtor_on={date(2020, 1, 31)}").get_data(as_text=True)) == []
    )


def test_debtor_on_keeps_the_scope(world):
    customer = make_customer(world.remote)
    post_listing(AS_OF, [(make_facility(customer), 0, 100)])
    officer = db.session.merge(world.officer)
    stmt = services.filtered_query(officer, {"debtor_on": AS_OF, "officer": world.remote.id})
    assert list(db.session.scalars(stmt)) == []
    remote = db.session.merge(world.remote)
    stmt = services.filtered_query(remote, {"debtor_on": AS_OF})
    assert [c.id for c in db.session.scalars(stmt)] == [customer.id]


def test_the_api_takes_the_filter(api, world):
    customer = make_customer(world.officer)
    post_listing(AS_OF, [(make_facility(customer), 0, 100)])
    make_customer(world.officer)
    response = api(world.supervisor).get(f"/api/v1/customers?debtor_on={AS_OF.isoformat()}")
    assert response.status_code == 200
    assert [item["id"] for item in response.json["items"]] == [customer.id]
    assert api(world.supervisor).get("/api/v1/customers?debtor_on=soon").status_code == 422
