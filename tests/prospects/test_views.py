"""Prospect pages through real HTTP: scoping per role, forms, duplicates, pipeline, list and CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today, week_end
from aoapp.common.i18n import format_date
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.prospects.models import Prospect
from tests.prospects.conftest import form_data
from tests.support.factories import make_campaign, make_customer, make_product, make_prospect, nik


def rows(response) -> list[int]:
    """Ids of the prospects listed on a page, in order."""
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', response.get_data(as_text=True))]


def text(response) -> str:
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def fresh(prospect) -> Prospect:
    db.session.expire_all()
    return db.session.get(Prospect, prospect.id)


class TestScoping:
    """Who sees a prospect of ao.budi (JKT01) and who may change it."""

    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            ("ao.budi", 200),
            ("ao.sari", 404),  # colleague in the same branch
            ("ao.dewi", 404),  # officer of another branch
            ("spv.jkt", 200),
            ("spv.bdg", 404),
            ("admin", 200),
        ],
    )
    def test_detail(self, client, auth, world, username, expected):
        prospect = make_prospect(world.officer)
        auth.login(username)
        assert client.get(f"/prospects/{prospect.id}").status_code == expected

    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            ("ao.budi", 200),
            ("ao.sari", 404),
            ("ao.dewi", 404),
            ("spv.jkt", 403),
            ("spv.bdg", 404),
            ("admin", 403),
        ],
    )
    def test_edit_form(self, client, auth, world, username, expected):
        prospect = make_prospect(world.officer)
        auth.login(username)
        assert client.get(f"/prospects/{prospect.id}/edit").status_code == expected

    @pytest.mark.parametrize(
        ("username", "expected"),
        [("ao.sari", 404), ("ao.dewi", 404), ("spv.jkt", 403), ("spv.bdg", 404), ("admin", 403)],
    )
    @pytest.mark.parametrize(
        ("action", "data"),
        [
            ("edit", form_data(name="Changed")),
            ("status", {"status": "contacted"}),
            ("convert", {"cif": "CIF-9", "segment": "micro", "customer_type": "individual"}),
        ],
    )
    def test_changes_by_others(self, client, auth, world, username, expected, action, data):
        prospect = make_prospect(world.officer, nik=nik(1))
        auth.login(username)
        response = auth.post(f"/prospects/{prospect.id}/{action}", data)
        assert response.status_code == expected
        after = fresh(prospect)
        assert (after.name, after.status) == (prospect.name, "new")
        assert count(Customer) == 0

    def test_unknown_id_is_404(self, client, auth, world):
        auth.login("admin")
        assert client.get("/prospects/999").status_code == 404

    @pytest.mark.parametrize(
        ("username", "visible"),
        [
            ("ao.budi", {"budi"}),
            ("ao.sari", {"sari"}),
            ("spv.jkt", {"budi", "sari"}),
            ("spv.bdg", {"dewi"}),
            ("admin", {"budi", "sari", "dewi"}),
        ],
    )
    def test_list_and_export(self, client, auth, world, username, visible):
        made = {
            "budi": make_prospect(world.officer).id,
            "sari": make_prospect(world.colleague).id,
            "dewi": make_prospect(world.remote).id,
        }
        auth.login(username)
        expected = {made[name] for name in visible}
        assert set(rows(client.get("/prospects/"))) == expected
        exported = csv_rows(client.get("/prospects/export.csv"))
        assert {int(r["ID"]) for r in exported} == expected

    def test_pages_need_a_login(self, client, world):
        prospect = make_prospect(world.officer)
        for url in (
            "/prospects/",
            "/prospects/new",
            f"/prospects/{prospect.id}",
            "/prospects/export.csv",
        ):
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response.headers["Location"]

    def test_only_officers_get_the_new_form(self, client, auth, world):
        auth.login("spv.jkt")
        assert client.get("/prospects/new").status_code == 403
        assert auth.post("/prospects/new", form_data()).status_code == 403
        assert count(Prospect) == 0


class TestCsrf:
    @pytest.mark.parametrize("action", ["new", "edit", "status", "convert"])
    def test_a_post_without_token_is_refused_and_changes_nothing(self, client, auth, world, action):
        prospect = make_prospect(world.officer, nik=nik(2))
        auth.login("ao.budi")
        url = "/prospects/new" if action == "new" else f"/prospects/{prospect.id}/{action}"
        data = {
            "new": form_data(phone="081299990000"),
            "edit": form_data(name="Changed"),
            "status": {"status": "contacted"},
            "convert": {"cif": "CIF-9", "segment": "micro", "customer_type": "individual"},
        }[action]
        response = client.post(url, data=data)
        assert response.status_code == 400
        after = fresh(prospect)
        assert (count(Prospect), after.name, after.status, count(Customer)) == (
            1,
            prospect.name,
            "new",
            0,
        )


class TestCollecting:
    def test_a_valid_prospect_is_saved_and_audited(self, client, auth, world):
        make_product("KUR")
        auth.login("ao.budi")
        page = client.get("/prospects/new")
        assert page.status_code == 200 and 'value="KUR"' in text(page)
        response = auth.post(
            "/prospects/new",
            form_data(
                phone="+62 812-3456-7001",
                product_interest="KUR",
                next_follow_up_date=(bank_today() + timedelta(days=60)).isoformat(),
            ),
        )
        assert response.status_code == 302
        prospect = db.session.scalar(sa.select(Prospect))
        assert response.headers["Location"] == f"/prospects/{prospect.id}"
        assert (prospect.phone, prospect.owner_id, prospect.product_interest.code) == (
            "6281234567001",
            world.officer.id,
            "KUR",
        )
        assert str(prospect.estimated_credit_need) == "50000000.00"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "prospect"))
        assert (entry.action, entry.actor_id, entry.before, entry.after["name"]) == (
            "create",
            world.officer.id,
            None,
            "Toko Sumber Rejeki",
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("nik", "1234", "NIK must be exactly 16 digits."),
            ("phone", "555-1234", "Phone number must start with 0, 62 or +62."),
            ("source", "billboard", "Must be one of: flyer"),
            ("estimated_credit_need", "-5", "Must be zero or more."),
            ("name", "", "This field is required."),
            ("email", "not-an-email", "Not a valid email address."),
        ],
    )
    def test_field_errors_are_shown_next_to_the_field(
        self, client, auth, world, field, value, message
    ):
        auth.login("ao.budi")
        response = auth.post("/prospects/new", form_data(**{field: value}))
        assert response.status_code == 422
        page = text(response)
        assert message in page
        # the field that caused it is marked invalid
        assert re.search(
            rf'<(input|select|textarea) [^>]*class="[^"]*is-invalid[^"]*"[^>]* id="{field}"', page
        )
        assert count(Prospect) == 0

    def test_referral_without_referrer_is_explained(self, client, auth, world):
        auth.login("ao.budi")
        response = auth.post("/prospects/new", form_data(source="referral"))
        assert response.status_code == 422
        assert "A referral needs the referring customer or a referrer name." in text(response)

    def test_referrer_is_picked_from_own_customers(self, client, auth, world):
        own = make_customer(world.officer, name="Pak Own")
        make_customer(world.colleague, name="Bu Other")
        auth.login("ao.budi")
        page = text(client.get("/prospects/new"))
        assert "Pak Own" in page and "Bu Other" not in page
        response = auth.post(
            "/prospects/new", form_data(source="referral", referrer_customer=str(own.id))
        )
        assert response.status_code == 302
        assert db.session.scalar(sa.select(Prospect)).referrer_customer_id == own.id


class TestDuplicatesOnTheForm:
    def test_hidden_nik_match_reveals_only_the_branch(self, client, auth, world):
        make_prospect(world.remote, name="Ibu Rahasia", nik=nik(3), phone="6281300000001")
        auth.login("ao.budi")
        response = auth.post("/prospects/new", form_data(nik=nik(3)))
        page = text(response)
        assert response.status_code == 409
        assert "Already handled by another officer (branch BDG01)." in page
        assert "Rahasia" not in page and "0813" not in page
        assert 'name="allow_duplicate_phone"' not in page  # a NIK can never be overridden
        assert count(Prospect) == 1

    def test_visible_match_links_to_the_record(self, client, auth, world, link):
        mine = make_prospect(world.officer, name="Pak Ahmad", nik=nik(4))
        customer = make_customer(world.officer, name="Bu Sinta", phone="6281234567001")
        auth.login("ao.budi")
        page = text(auth.post("/prospects/new", form_data(nik=nik(4))))
        assert f'href="{link("prospects.detail", prospect_id=mine.id)}"' in page
        assert f'href="{link("customers.detail", customer_id=customer.id)}"' in page
        assert "Pak Ahmad" in page and "Bu Sinta" in page

    def test_shared_phone_can_be_confirmed(self, client, auth, world):
        make_prospect(world.colleague, phone="6281234567001")
        auth.login("ao.budi")
        first = auth.post("/prospects/new", form_data(phone="0812 3456 7001"))
        assert first.status_code == 409
        assert 'name="allow_duplicate_phone"' in text(first)
        assert "Already handled by another officer (branch JKT01)." in text(first)
        assert count(Prospect) == 1
        second = auth.post(
            "/prospects/new", form_data(phone="0812 3456 7001", allow_duplicate_phone="y")
        )
        assert second.status_code == 302
        assert count(Prospect) == 2


class TestEditing:
    def test_the_form_shows_current_values_and_saves_changes(self, client, auth, world):
        prospect = make_prospect(
            world.officer, name="Pak Lama", phone="6281234567001", area="Bekasi"
        )
        auth.login("ao.budi")
        page = text(client.get(f"/prospects/{prospect.id}/edit"))
        assert 'value="Pak Lama"' in page and 'value="0812-3456-7001"' in page
        response = auth.post(
            f"/prospects/{prospect.id}/edit", form_data(name="Pak Baru", phone="0812-3456-7001")
        )
        assert response.status_code == 302
        assert fresh(prospect).name == "Pak Baru"
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "prospect", AuditEntry.action == "update"
            )
        )
        assert entry.actor_id == world.officer.id
        assert (entry.before["name"], entry.after["name"]) == ("Pak Lama", "Pak Baru")
        assert (entry.before["area"], entry.after["area"]) == ("Bekasi", "Tanah Abang")

    def test_a_converted_prospect_can_still_be_edited(self, client, auth, world):
        prospect = make_prospect(world.officer, nik=nik(5), phone="6281234567001")
        auth.login("ao.budi")
        auth.post(
            f"/prospects/{prospect.id}/convert",
            {"cif": "CIF-5", "segment": "micro", "customer_type": "individual"},
        )
        assert fresh(prospect).status == "won"
        response = auth.post(
            f"/prospects/{prospect.id}/edit", form_data(nik=nik(5), notes="Opened savings too")
        )
        assert response.status_code == 302
        assert fresh(prospect).notes == "Opened savings too"


class TestDetail:
    def test_the_page_shows_data_links_and_history(self, client, auth, world, link):
        product = make_product("KUR")
        prospect = make_prospect(
            world.officer, name="Ibu Wati", phone="6281234567001", status="contacted"
        )
        db.session.add(
            Introduction(
                prospect_id=prospect.id,
                product_id=product.id,
                officer_id=world.officer.id,
                introduced_on=bank_today(),
                place="phone",
                outcome="needs_time",
            )
        )
        db.session.commit()
        auth.login("ao.budi")
        page = text(client.get(f"/prospects/{prospect.id}"))
        assert 'href="tel:+6281234567001"' in page and 'href="https://wa.me/6281234567001"' in page
        assert 'data-status="contacted"' in page
        assert "Needs time" in page and "KUR" in page
        introduce = link("introductions.new", prospect=prospect.id)
        assert f'href="{introduce}"' in page
        assert client.get(introduce).status_code == 200
        assert 'id="status-form"' in page and 'id="convert-form"' in page
        assert 'id="audit-link"' not in page
        history = page[page.index('id="history"') :]
        assert "Contacted" in history and format_date(bank_today(), "en") in history

    def test_supervisor_reads_with_a_link_to_the_audit_history(self, client, auth, world, link):
        prospect = make_prospect(world.officer)
        auth.login("spv.jkt")
        page = text(client.get(f"/prospects/{prospect.id}"))
        assert f'href="{link("audit.history", entity="prospect", entity_id=prospect.id)}"' in page
        assert 'id="status-form"' not in page and 'id="edit-link"' not in page

    def test_the_status_select_offers_only_allowed_moves(self, client, auth, world):
        prospect = make_prospect(world.officer, status="interested")
        auth.login("ao.budi")
        page = text(client.get(f"/prospects/{prospect.id}"))
        form = page[page.index('id="status-form"') : page.index('id="convert-form"')]
        options = re.findall(r'<option[^>]*value="(\w+)"', form[: form.index('name="lost_reason"')])
        assert options == ["applied", "rejected", "lost"]


class TestStatusAndConversionForms:
    def test_a_status_change_is_saved_with_history(self, client, auth, world):
        prospect = make_prospect(world.officer)
        auth.login("ao.budi")
        response = auth.post(
            f"/prospects/{prospect.id}/status",
            {"status": "lost", "lost_reason": "rate_too_high", "lost_note": "Bank X cheaper"},
        )
        assert response.status_code == 302
        after = fresh(prospect)
        assert (after.status, after.lost_reason, after.lost_note) == (
            "lost",
            "rate_too_high",
            "Bank X cheaper",
        )
        assert [(h.from_status, h.to_status, h.reason) for h in after.history][-1] == (
            "new",
            "lost",
            "rate_too_high",
        )

    @pytest.mark.parametrize(
        ("start", "data", "status", "message"),
        [
            (
                "contacted",
                {"status": "new"},
                409,
                "From contacted the next status can be: interested, applied, rejected, lost.",
            ),
            (
                "new",
                {"status": "rejected"},
                422,
                "A reason is required when a prospect is rejected or lost.",
            ),
            (
                "new",
                {"status": "won"},
                409,
                "Use &#39;convert to customer&#39; to mark a prospect as won.",
            ),
            ("new", {"status": "maybe"}, 422, "Must be one of: new"),
        ],
    )
    def test_refusals_are_explained(self, client, auth, world, start, data, status, message):
        prospect = make_prospect(world.officer, status=start)
        auth.login("ao.budi")
        response = auth.post(f"/prospects/{prospect.id}/status", data)
        assert response.status_code == status
        assert message in text(response)
        assert fresh(prospect).status == start

    def test_conversion_goes_to_the_new_customer(self, client, auth, world, link):
        prospect = make_prospect(world.officer, nik=nik(6))
        auth.login("ao.budi")
        response = auth.post(
            f"/prospects/{prospect.id}/convert",
            {"cif": "CIF-6", "segment": "small", "customer_type": "individual"},
        )
        customer = db.session.scalar(sa.select(Customer))
        assert response.status_code == 302
        assert response.headers["Location"] == link("customers.detail", customer_id=customer.id)
        assert client.get(response.headers["Location"]).status_code == 200
        assert (customer.cif, customer.officer_id, fresh(prospect).status) == (
            "CIF-6",
            world.officer.id,
            "won",
        )

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                {"cif": "CIF-TAKEN", "segment": "micro", "customer_type": "individual"},
                "This CIF is already used by another customer.",
            ),
            (
                {"cif": "CIF-7", "segment": "micro", "customer_type": "individual", "npwp": "123"},
                "NPWP must be 15 digits",
            ),
            (
                {"cif": "", "segment": "micro", "customer_type": "individual"},
                "This field is required.",
            ),
            (
                {"cif": "CIF 7!", "segment": "micro", "customer_type": "individual"},
                "CIF does not have the bank&#39;s format",
            ),
            (
                {"cif": "CIF-7", "segment": "micro", "customer_type": "company"},
                "A company needs an NPWP.",
            ),
        ],
    )
    def test_conversion_refusals_are_explained(self, client, auth, world, data, message):
        make_customer(world.remote, cif="CIF-TAKEN")
        prospect = make_prospect(world.officer, nik=nik(7))
        auth.login("ao.budi")
        response = auth.post(f"/prospects/{prospect.id}/convert", data)
        assert response.status_code in (409, 422)
        assert message in text(response)
        assert fresh(prospect).status == "new" and count(Customer) == 1


class TestListing:
    @pytest.mark.today("2026-12-02")  # a Wednesday: its week has days after today
    def test_filters(self, client, auth, world):
        today = bank_today()
        p = {
            "overdue": make_prospect(
                world.officer, name="Alpha", next_follow_up_date=today - timedelta(days=1)
            ),
            "today": make_prospect(
                world.officer, name="Bravo", source="flyer", next_follow_up_date=today
            ),
            "week": make_prospect(
                world.officer,
                name="Charlie",
                status="contacted",
                next_follow_up_date=week_end(today),
            ),
            "later": make_prospect(
                world.officer, name="Delta", next_follow_up_date=week_end(today) + timedelta(days=1)
            ),
            "closed": make_prospect(
                world.officer,
                name="Echo",
                status="lost",
                next_follow_up_date=today - timedelta(days=3),
            ),
        }
        auth.login("ao.budi")

        def ids(query):
            return set(rows(client.get(f"/prospects/?{query}")))

        assert ids("status=contacted") == {p["week"].id}
        assert ids("source=flyer") == {p["today"].id}
        assert ids("follow_up=overdue") == {p["overdue"].id}
        assert ids("follow_up=today") == {p["today"].id}
        assert ids("follow_up=this_week") == {p["today"].id, p["week"].id}
        assert ids("q=brav") == {p["today"].id}
        assert ids("status=&source=&q=") == {x.id for x in p.values()}

    @pytest.mark.parametrize(
        "typed", ["0812-3456-7001", "+6281234567001", "6281234567001", "34567001"]
    )
    def test_search_by_phone_in_any_form(self, client, auth, world, typed):
        wanted = make_prospect(world.officer, phone="6281234567001")
        make_prospect(world.officer, phone="6281299999999")
        auth.login("ao.budi")
        assert rows(client.get("/prospects/", query_string={"q": typed})) == [wanted.id]

    def test_owner_filter_for_supervisors(self, client, auth, world):
        budi = make_prospect(world.officer)
        make_prospect(world.colleague)
        dewi = make_prospect(world.remote)
        auth.login("spv.jkt")
        page = client.get(f"/prospects/?owner={world.officer.id}")
        assert rows(page) == [budi.id]
        assert f'value="{world.colleague.id}"' in text(page)
        assert f'value="{world.remote.id}"' not in text(page)  # not an officer they can see
        assert rows(client.get(f"/prospects/?owner={world.remote.id}")) == []
        auth.logout()
        auth.login("admin")
        assert rows(client.get(f"/prospects/?owner={world.remote.id}")) == [dewi.id]

    def test_a_bad_filter_is_reported_and_ignored(self, client, auth, world):
        make_prospect(world.officer)
        auth.login("ao.budi")
        response = client.get("/prospects/?status=sleeping")
        assert response.status_code == 200 and len(rows(response)) == 1
        assert "Some filters were ignored" in text(response)

    def test_sorting(self, client, auth, world):
        b = make_prospect(world.officer, name="Bravo")
        a = make_prospect(world.officer, name="alpha")
        c = make_prospect(world.officer, name="Charlie")
        auth.login("ao.budi")
        assert rows(client.get("/prospects/")) == [c.id, a.id, b.id]  # newest first
        by_name = rows(client.get("/prospects/?sort=name"))
        assert by_name in ([a.id, b.id, c.id], [b.id, c.id, a.id])  # collation decides upper/lower
        assert rows(client.get("/prospects/?sort=-name")) == by_name[::-1]
        assert 'href="/prospects/?sort=-name"' in text(client.get("/prospects/?sort=name"))

    def test_pagination(self, client, auth, world):
        for _ in range(55):
            make_prospect(world.officer)
        auth.login("ao.budi")
        first = client.get("/prospects/")
        assert len(rows(first)) == 50 and "Page 1 of 2" in text(first)
        assert len(rows(client.get("/prospects/?page=2"))) == 5
        assert "55 records" in text(first)


def csv_rows(response) -> list[dict]:
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


class TestCsvExport:
    def test_all_filtered_rows_are_exported(self, client, auth, world):
        for _ in range(52):
            make_prospect(world.officer, source="event")
        make_prospect(world.officer, source="flyer")
        auth.login("ao.budi")
        response = client.get("/prospects/export.csv?source=event&page=2")
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        exported = csv_rows(response)
        assert len(exported) == 52 and {r["Source"] for r in exported} == {"event"}

    def test_the_list_links_to_the_export_with_its_filters(self, client, auth, world):
        auth.login("ao.budi")
        page = text(client.get("/prospects/?status=new&q=budi&page=2"))
        link = re.search(r'id="export-csv" href="([^"]+)"', page).group(1)
        assert (
            link.startswith("/prospects/export.csv?") and "status=new" in link and "q=budi" in link
        )
        assert "page=" not in link

    def test_cells_that_look_like_formulas_are_defused(self, client, auth, world):
        make_prospect(
            world.officer,
            name='=HYPERLINK("http://evil")',
            area="+62 area",
            business_type="-1+1",
            notes="@SUM(A1)",
            campaign_id=make_campaign('=Ramadan; "promo"').id,
        )
        auth.login("ao.budi")
        (row,) = csv_rows(client.get("/prospects/export.csv"))
        assert row["Name"] == '\'=HYPERLINK("http://evil")'
        assert (row["Area"], row["Business type"], row["Notes"]) == (
            "'+62 area",
            "'-1+1",
            "'@SUM(A1)",
        )
        assert row["Campaign"] == '\'=Ramadan; "promo"'
        assert row["Officer"] == "ao.budi" and row["Branch"] == "JKT01"
