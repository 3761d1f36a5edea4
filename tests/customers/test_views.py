"""Customer pages: scoping (404), read-only supervisors (403), forms, CSRF and the customer page."""

import re

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from tests.support.customers import form_data
from tests.support.factories import make_customer, make_product, make_prospect


def customer_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Customer.id)))


def routes(customer_id: int, holding_id: int) -> list[tuple[str, str]]:
    """Every customer route that names a customer."""
    base = f"/customers/{customer_id}"
    return [
        ("get", base),
        ("get", f"{base}/edit"),
        ("post", f"{base}/edit"),
        ("post", f"{base}/reassign"),
        ("post", f"{base}/holdings"),
        ("post", f"{base}/holdings/{holding_id}/delete"),
        ("get", f"/products/introductions/new?customer={customer_id}"),
        ("post", f"/products/introductions/new?customer={customer_id}"),
    ]


class TestScoping:
    @pytest.fixture
    def customer(self, world):
        customer = make_customer(world.officer)
        product = make_product("TAB", kind="deposit", subtype=None)
        holding = ProductHolding(customer_id=customer.id, product_id=product.id)
        db.session.add(holding)
        db.session.commit()
        return customer, holding

    @pytest.mark.parametrize("outsider", ["colleague", "remote", "bdg_supervisor"])
    def test_every_route_answers_404_outside_the_scope(
        self, client, auth, world, customer, outsider
    ):
        customer, holding = customer
        auth.login(getattr(world, outsider).username)
        for method, url in routes(customer.id, holding.id):
            if method == "get":
                response = client.get(url)
            else:
                response = auth.post(url, form_data(officer=str(world.remote.id), product="TAB"))
            assert response.status_code == 404, (method, url)
        db.session.expire_all()
        assert customer.officer_id == world.officer.id
        assert db.session.get(ProductHolding, holding.id) is not None

    def test_unknown_customer_is_404(self, client, auth, world):
        auth.login("ao.budi")
        assert client.get("/customers/999999").status_code == 404

    def test_list_shows_only_the_scope(self, client, auth, world):
        make_customer(world.officer, name="Own Customer")
        make_customer(world.colleague, name="Colleague Customer")
        make_customer(world.remote, name="Remote Customer")
        auth.login("ao.budi")
        page = client.get("/customers/").get_data(as_text=True)
        assert "Own Customer" in page
        assert "Colleague Customer" not in page and "Remote Customer" not in page
        auth.logout()
        auth.login("spv.jkt")
        page = client.get("/customers/").get_data(as_text=True)
        assert "Own Customer" in page and "Colleague Customer" in page
        assert "Remote Customer" not in page

    def test_login_is_required(self, client, world):
        customer = make_customer(world.officer)
        response = client.get(f"/customers/{customer.id}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestReadOnlyRoles:
    @pytest.mark.parametrize("reader", ["spv.jkt", "admin"])
    def test_supervisor_and_admin_may_read_but_not_edit(self, client, auth, world, reader):
        customer = make_customer(world.officer, name="Old Name")
        auth.login(reader)
        assert client.get(f"/customers/{customer.id}").status_code == 200
        assert client.get(f"/customers/{customer.id}/edit").status_code == 403
        response = auth.post(f"/customers/{customer.id}/edit", form_data(name="New Name"))
        assert response.status_code == 403
        db.session.expire_all()
        assert customer.name == "Old Name"

    def test_only_officers_get_the_new_customer_form(self, client, auth, world):
        auth.login("spv.jkt")
        assert client.get("/customers/new").status_code == 403
        assert auth.post("/customers/new", form_data()).status_code == 403
        assert customer_count() == 0


class TestCustomerForm:
    def test_officer_creates_a_customer(self, client, auth, world):
        auth.login("ao.budi")
        assert client.get("/customers/new").status_code == 200
        response = auth.post("/customers/new", form_data())
        assert response.status_code == 302
        customer = db.session.scalar(sa.select(Customer))
        assert response.headers["Location"].endswith(f"/customers/{customer.id}")
        assert (customer.officer_id, customer.phone) == (world.officer.id, "6281277770001")
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "customer"))
        assert (entry.action, entry.actor_id) == ("create", world.officer.id)

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"nik": "123"}, "NIK must be exactly 16 digits."),
            ({"npwp": "01234567890123"}, "NPWP must be 15 digits"),
            ({"segment": "retail"}, "Must be one of: micro"),
            ({"customer_type": "company", "nik": ""}, "A company needs an NPWP."),
            ({"nik": ""}, "An individual needs a NIK or an NPWP."),
        ],
    )
    def test_errors_are_shown_on_the_form_and_nothing_is_saved(
        self, client, auth, world, overrides, message
    ):
        auth.login("ao.budi")
        response = auth.post("/customers/new", form_data(**overrides))
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert customer_count() == 0

    def test_duplicate_nik_of_a_prospect_is_refused(self, client, auth, world):
        make_prospect(world.remote, nik="3201011506900501")
        auth.login("ao.budi")
        response = auth.post("/customers/new", form_data())
        assert response.status_code == 422
        assert "Already handled by another officer (branch BDG01)." in response.get_data(
            as_text=True
        )
        assert customer_count() == 0

    def test_post_without_csrf_token_is_refused(self, client, auth, world):
        auth.login("ao.budi")
        response = client.post("/customers/new", data=form_data())
        assert response.status_code == 400
        assert customer_count() == 0

    def test_assigned_officer_edits(self, client, auth, world):
        customer = make_customer(world.officer, name="Old Name")
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}/edit").get_data(as_text=True)
        assert "Old Name" in page
        data = form_data(cif=customer.cif, nik=customer.nik, name="New Name")
        response = auth.post(f"/customers/{customer.id}/edit", data)
        assert response.status_code == 302
        db.session.expire_all()
        assert customer.name == "New Name"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "update"))
        assert entry.before["name"] == "Old Name" and entry.after["name"] == "New Name"


class TestCustomerPage:
    def test_profile_sections_and_links(self, client, auth, world):
        customer = make_customer(world.officer, phone="6281277770001", npwp="012345678901000")
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert customer.nik in page and "012345678901000" in page
        assert 'href="tel:+6281277770001"' in page
        assert 'href="https://wa.me/6281277770001"' in page
        assert "JKT01" in page and "Ao.Budi" in page
        assert re.search(
            r"<h2[^>]*>Reports</h2>\s*<p[^>]*>No loan listing has been imported yet", page
        )
        assert 'id="follow-ups"' in page and "No follow-ups yet." in page
        assert 'id="facilities"' in page and "No credit position imported yet." in page
        assert f"/products/introductions/new?customer={customer.id}" in page
        assert f"/customers/{customer.id}/edit" in page
        assert "/audit/customer/" not in page  # officers do not browse the audit log
        assert "Reassign" not in page

    def test_supervisor_sees_audit_link_and_reassign_form(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("spv.jkt")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert f"/audit/customer/{customer.id}" in page
        assert f'action="/customers/{customer.id}/reassign"' in page
        assert "Ao.Sari" in page and "Ao.Dewi" not in page
        assert f"/customers/{customer.id}/edit" not in page
        assert "/products/introductions/new" not in page

    def test_referral_counts_are_shown(self, client, auth, world):
        customer = make_customer(world.officer)
        make_prospect(world.officer, referrer_customer_id=customer.id, name="Referred One")
        make_prospect(world.officer, referrer_customer_id=customer.id, status="won")
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert re.search(r'id="referrals-made">2<', page)
        assert re.search(r'id="referrals-converted">1<', page)
        assert "Referred One" in page

    def test_cross_sell_table(self, client, auth, world):
        kmk = make_product("KMK", name="Kredit Modal Kerja")
        make_product("TAB", kind="deposit", subtype=None, name="Tabungan")
        make_product("OLD", kind="service", subtype=None, name="Retired Service", active=False)
        customer = make_customer(world.officer)
        db.session.add(
            Introduction(
                customer_id=customer.id,
                product_id=kmk.id,
                officer_id=world.officer.id,
                introduced_on=customer.since,
                place="branch",
                outcome="needs_time",
            )
        )
        db.session.commit()
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        kmk_row = re.search(r'<tr data-product="KMK"[^>]*>(.*?)</tr>', page, re.S).group(1)
        tab_row = re.search(r'<tr data-product="TAB"[^>]*>(.*?)</tr>', page, re.S).group(1)
        assert "Jan 15, 2024" in kmk_row and "Needs time" in kmk_row
        assert "Not offered yet" in tab_row
        assert 'data-product="OLD"' not in page

    def test_introductions_made_to_the_prospect_are_listed(self, client, auth, world):
        kmk = make_product("KMK", name="Kredit Modal Kerja")
        customer = make_customer(world.officer)
        prospect = make_prospect(world.officer, status="won", customer_id=customer.id)
        db.session.add(
            Introduction(
                prospect_id=prospect.id,
                product_id=kmk.id,
                officer_id=world.officer.id,
                introduced_on=customer.since,
                place="client_office",
                outcome="interested",
            )
        )
        db.session.commit()
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        section = page.split('id="introductions"', 1)[1].split("</table>", 1)[0]
        assert "Kredit Modal Kerja" in section and "as prospect" in section
        assert "No introductions yet." not in section


class TestReassignPage:
    def test_supervisor_reassigns_within_the_branch(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("spv.jkt")
        response = auth.post(f"/customers/{customer.id}/reassign", {"officer": world.colleague.id})
        assert response.status_code == 302
        db.session.expire_all()
        assert customer.officer_id == world.colleague.id
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reassign"))
        assert entry.actor_id == world.supervisor.id

    def test_officer_of_another_branch_is_refused(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("spv.jkt")
        response = auth.post(f"/customers/{customer.id}/reassign", {"officer": world.remote.id})
        assert response.status_code == 422
        assert "Pick an active officer of the customer&#39;s branch." in response.get_data(
            as_text=True
        )
        db.session.expire_all()
        assert customer.officer_id == world.officer.id

    def test_officer_may_not_reassign(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        response = auth.post(f"/customers/{customer.id}/reassign", {"officer": world.colleague.id})
        assert response.status_code == 403
        db.session.expire_all()
        assert customer.officer_id == world.officer.id


class TestHoldingForm:
    def test_owner_records_and_removes_a_held_product(self, client, auth, world):
        make_product("MBANKING", kind="service", subtype=None, name="Mobile Banking")
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        response = auth.post(
            f"/customers/{customer.id}/holdings",
            {"product": "MBANKING", "account_no": "001-234", "opened_on": "2024-02-01"},
        )
        assert response.status_code == 302
        holding = db.session.scalar(sa.select(ProductHolding))
        assert (holding.account_no, holding.opened_on.isoformat()) == ("001-234", "2024-02-01")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert "001-234" in page
        response = auth.post(f"/customers/{customer.id}/holdings/{holding.id}/delete")
        assert response.status_code == 302
        assert db.session.scalar(sa.select(sa.func.count(ProductHolding.id))) == 0

    def test_missing_product_is_shown_on_the_form(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        response = auth.post(f"/customers/{customer.id}/holdings", {"product": ""})
        assert response.status_code == 422
        assert "This field is required." in response.get_data(as_text=True)


class TestListPage:
    def test_filters_sorting_and_bad_filters(self, client, auth, world):
        make_customer(world.officer, name="Alpha Mart", segment="micro")
        make_customer(world.officer, name="Beta Corp", segment="corporate")
        make_customer(world.colleague, name="Gamma Shop", segment="micro")
        auth.login("spv.jkt")
        page = client.get("/customers/?segment=micro&sort=-name").get_data(as_text=True)
        assert "Beta Corp" not in page
        assert page.index("Gamma Shop") < page.index("Alpha Mart")
        page = client.get(f"/customers/?officer={world.colleague.id}").get_data(as_text=True)
        assert "Gamma Shop" in page and "Alpha Mart" not in page
        response = client.get("/customers/?segment=retail&q=beta")
        assert response.status_code == 200  # a bad filter is ignored, the good one applies
        page = response.get_data(as_text=True)
        assert "Beta Corp" in page and "Alpha Mart" not in page

    def test_fifty_per_page(self, client, auth, world):
        for n in range(51):
            make_customer(world.officer, name=f"Customer {n:02d}")
        auth.login("ao.budi")
        page = client.get("/customers/?sort=name").get_data(as_text=True)
        assert "Customer 49" in page and "Customer 50" not in page
        assert "Page 1 of 2" in page and "51 records" in page
        assert "Customer 50" in client.get("/customers/?sort=name&page=2").get_data(as_text=True)
