"""The header search's box, its results page (both languages) and its JSON endpoint."""

from tests.support.credit import make_facility
from tests.support.factories import make_customer, make_prospect
from tests.support.i18n import english_leftovers, speak_indonesian

PAGE_SCRIPT = {"X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Site": "same-origin"}


class TestTheBox:
    def test_every_page_has_the_box_for_a_logged_in_user(self, client, auth, world):
        auth.login("ao.budi")
        page = client.get("/customers/").get_data(as_text=True)
        assert 'action="/search"' in page and 'role="combobox"' in page
        assert 'data-suggest-url="/api/v1/search"' in page and "search.js" in page

    def test_the_login_page_has_none(self, client):
        assert 'role="combobox"' not in client.get("/login").get_data(as_text=True)


class TestResultsPage:
    def test_lists_results_with_what_found_them(self, client, auth, world):
        customer = make_customer(world.officer, name="Siti Nurhaliza", cif="CIF-77")
        make_facility(customer, "0013001")
        prospect = make_prospect(world.officer, name="Siti Aminah", status="interested")
        auth.login("ao.budi")
        page = client.get("/search?q=sit").get_data(as_text=True)
        assert f'href="/customers/{customer.id}"' in page
        assert f'href="/prospects/{prospect.id}"' in page
        assert "2 results for “sit”" in page and "Interested" in page
        assert page.index("Siti Aminah") < page.index("Siti Nurhaliza")
        by_account = client.get("/search?q=0013001").get_data(as_text=True)
        assert 'Account number: <span class="fw-semibold">0013001</span>' in by_account

    def test_nothing_found_and_too_short(self, client, auth, world):
        auth.login("ao.budi")
        assert "No results for “zzz”." in client.get("/search?q=zzz").get_data(as_text=True)
        assert "Type at least 2 characters" in client.get("/search?q=a").get_data(as_text=True)
        assert "Type at least 2 characters" in client.get("/search").get_data(as_text=True)

    def test_in_indonesian(self, client, auth, world):
        make_customer(world.officer, name="Siti Nurhaliza")
        make_prospect(world.officer, name="Siti Aminah", status="interested")
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = client.get("/search?q=siti").get_data(as_text=True)
        assert "2 hasil untuk “siti”" in page
        assert "Calon nasabah" in page and "Nasabah" in page and "Nama:" in page
        assert 'placeholder="Cari nama, CIF, rekening, NIK, telepon"' in page
        assert "Tidak ada hasil untuk “qqq”." in client.get("/search?q=qqq").get_data(as_text=True)
        assert english_leftovers(page) == []

    def test_another_officers_customer_is_absent(self, client, auth, world):
        make_customer(world.remote, name="Rina Remote", cif="900003")
        auth.login("ao.budi")
        for text in ("Rina", "900003"):
            page = client.get(f"/search?q={text}").get_data(as_text=True)
            assert "Rina Remote" not in page and "No results" in page


class TestApi:
    def test_the_pages_script_reads_it_with_the_session(self, client, auth, world):
        customer = make_customer(
            world.officer, name="Siti Nurhaliza", cif="CIF-77", phone="6281234567890"
        )
        auth.login("ao.budi")
        response = client.get("/api/v1/search?q=0812-3456-7890", headers=PAGE_SCRIPT)
        assert response.status_code == 200
        (item,) = response.json["items"]
        assert item == {
            "kind": "customer",
            "kind_label": "Customer",
            "id": customer.id,
            "name": "Siti Nurhaliza",
            "matched": "phone",
            "matched_label": "Phone",
            "matched_value": "0812-3456-7890",
            "exact": True,
            "cif": "CIF-77",
            "account_no": None,
            "officer": "Ao.Budi",
            "branch": "Jakarta Sudirman",
            "status": None,
            "status_label": None,
            "url": f"/customers/{customer.id}",
        }

    def test_labels_in_the_language_asked_for(self, client, auth, world):
        """The script asks in the page's language (Accept-Language), as the API answers."""
        make_prospect(world.officer, name="Siti Aminah", status="interested")
        auth.login("ao.budi")
        headers = {**PAGE_SCRIPT, "Accept-Language": "id"}
        (item,) = client.get("/api/v1/search?q=siti", headers=headers).json["items"]
        assert (item["kind_label"], item["matched_label"]) == ("Calon nasabah", "Nama")
        assert item["status_label"] != "Interested"

    def test_an_officer_never_gets_another_officers_records(self, api, world):
        make_customer(world.remote, name="Rina Remote", cif="900003", nik="3201011506900903")
        make_customer(world.colleague, name="Rina Colleague", cif="900002")
        make_prospect(world.remote, name="Rina Prospek", phone="6281299990004")
        mine = make_customer(world.officer, name="Rina Mine", cif="900001")
        client = api(world.officer)
        for text in ("rina", "9000", "3201011506900903", "0812 9999 0004"):
            items = client.get("/api/v1/search", query_string={"q": text, "limit": 50}).json[
                "items"
            ]
            assert [i["id"] for i in items] == ([mine.id] if text in ("rina", "9000") else [])
        everyone = api(world.admin).get("/api/v1/search?q=rina&limit=50").json["items"]
        assert len(everyone) == 4

    def test_limit_and_arguments(self, api, world):
        for n in range(10):
            make_customer(world.officer, name=f"Ani {n}")
        client = api(world.officer)
        assert len(client.get("/api/v1/search?q=ani").json["items"]) == 8
        assert len(client.get("/api/v1/search?q=ani&limit=3").json["items"]) == 3
        assert client.get("/api/v1/search?q=ani&limit=51").status_code == 422
        assert client.get("/api/v1/search?q=ani&sort=name").status_code == 422
        assert client.get("/api/v1/search?q=a").json == {"q": "a", "items": []}

    def test_without_the_script_header_the_session_is_not_enough(self, client, auth, world):
        auth.login("ao.budi")
        assert client.get("/api/v1/search?q=ani").status_code == 401
