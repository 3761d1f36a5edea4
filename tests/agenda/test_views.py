"""Agenda pages: the officer's home, one-tap links, the team agenda and who may see what."""

import re
from datetime import date, datetime
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from aoapp.agenda import messages
from aoapp.agenda.services import agenda_for
from tests.support import agenda as h
from tests.support.factories import make_customer, make_prospect

JAKARTA = ZoneInfo("Asia/Jakarta")


def cards(html: str) -> list[tuple[str, str]]:
    """(kind, id) of every agenda card, in page order."""
    return re.findall(r'data-kind="([a-z_]+)" data-id="(\d+)"', html)


def section(html: str, code: str) -> str:
    start = html.index(f'id="{code}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def row_counts(html: str, username: str) -> dict[str, int]:
    row = re.search(rf'<tr[^>]*data-officer="{re.escape(username)}">(.*?)</tr>', html, re.S).group(
        1
    )
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', row)}


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="PT Maju Jaya", phone="6281234567890")


class TestMessages:
    @pytest.mark.parametrize(
        ("hour", "word"),
        [
            (4, "pagi"),
            (10, "pagi"),
            (11, "siang"),
            (14, "siang"),
            (15, "sore"),
            (18, "malam"),
            (2, "malam"),
        ],
    )
    def test_greeting_follows_the_hour_in_jakarta(self, hour, word):
        assert messages.greeting(datetime(2026, 3, 10, hour, 30, tzinfo=JAKARTA)) == word

    def test_collection_message_names_the_customer_the_bank_and_the_account(self, world):
        facility = h.debtor(world.officer, 45, name="Ibu Sri Rahayu", phone="6281311112222")
        h.followup(world.officer, facility=facility)
        item = agenda_for(world.officer).today_items[0]
        morning = datetime(2026, 3, 10, 8, tzinfo=JAKARTA)
        links = messages.contact_links(item, "Budi Santoso", "Bank Demo", morning)
        assert links["tel"] == "tel:+6281311112222"
        url = urlsplit(links["whatsapp"])
        assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/6281311112222")
        text = parse_qs(url.query)["text"][0]
        assert text.startswith(
            "Selamat pagi Bapak/Ibu Ibu Sri Rahayu, kami dari Bank Demo ingin mengingatkan "
            "tunggakan angsuran kredit Anda (rekening "
            f"{facility.account_no})"
        )
        assert "Terima kasih." in text and " " not in url.query  # encoded

    def test_pending_promise_is_recalled_in_the_message(self, world):
        facility = h.debtor(world.officer, 45, as_of=h.days(-20))
        h.promise(facility, world.officer, h.days(-2), h.days(2), "1500000")
        h.followup(world.officer, facility=facility)
        item = agenda_for(world.officer).today_items[0]
        text = messages.whatsapp_text(item, "Budi", "Bank Demo")
        assert f"sebesar Rp 1.500.000 pada tanggal {h.days(2):%d/%m/%Y}" in text

    @pytest.mark.parametrize(
        ("purpose", "words"),
        [
            ("product_offer", "penawaran produk"),
            ("relationship", "Semoga Bapak/Ibu sekeluarga"),
            ("complaint", "menindaklanjuti pengaduan"),
            ("document_request", "melengkapi dokumen"),
            ("monitoring", "kunjungan monitoring"),
        ],
    )
    def test_each_purpose_has_its_own_polite_message(self, world, customer, purpose, words):
        h.followup(world.officer, customer=customer, purpose=purpose)
        item = agenda_for(world.officer).today_items[0]
        evening = datetime(2026, 3, 10, 19, tzinfo=JAKARTA)
        text = messages.whatsapp_text(item, "Budi Santoso", "Bank Demo", evening)
        assert text.startswith(
            "Selamat malam Bapak/Ibu PT Maju Jaya, saya Budi Santoso dari Bank Demo."
        )
        assert words in text

    def test_no_phone_no_links(self, world):
        facility = h.debtor(world.officer, 10, phone=None)
        h.followup(world.officer, facility=facility)
        item = agenda_for(world.officer).today_items[0]
        assert messages.contact_links(item, "Budi", "Bank Demo") == {}


class TestOfficerAgendaPage:
    def test_sections_cards_and_one_tap_actions(self, client, auth, world, customer):
        late = h.followup(
            world.officer, customer=customer, planned_date=h.days(-1), purpose="collection"
        )
        now = h.followup(
            world.officer, customer=customer, purpose="product_offer", channel="whatsapp"
        )
        soon = h.followup(world.officer, customer=customer, planned_date=h.days(7))
        h.followup(world.officer, customer=customer, planned_date=h.days(8))  # not shown
        auth.login("ao.budi")
        response = client.get("/agenda/")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert cards(section(html, "overdue")) == [("follow_up", str(late.id))]
        assert cards(section(html, "today")) == [("follow_up", str(now.id))]
        assert cards(section(html, "next_7_days")) == [("follow_up", str(soon.id))]
        today_html = section(html, "today")
        assert "PT Maju Jaya" in today_html and "Product offer" in today_html
        assert 'href="tel:+6281234567890"' in today_html
        wa = re.search(r'href="(https://wa\.me/6281234567890\?text=[^"]+)"', today_html).group(1)
        text = unquote(wa.split("?text=", 1)[1].replace("&amp;", "&"))
        assert "Bapak/Ibu PT Maju Jaya" in text and "penawaran produk" in text
        log = f'href="/followups/{now.id}/complete?next=/agenda/"'
        assert log in today_html and "Log outcome" in today_html

    def test_facts_promise_and_flags_on_the_card(self, client, auth, world):
        facility = h.debtor(world.officer, 120, name="Toko Besar")
        h.promise(facility, world.officer, date(2026, 11, 3), date(2026, 11, 10), "2000000")
        h.followup(world.officer, facility=facility, escalated=True, suggestion="dpd_over_90")
        auth.login("ao.budi")
        html = section(client.get("/agenda/").get_data(as_text=True), "today")
        assert facility.account_no in html and "DPD 120" in html and "Kol 3" in html
        assert "IDR 100,000,000" in html  # outstanding
        promise = '<span class="money">IDR 2,000,000</span>'  # a figure that never wraps
        assert f"Promise: {promise} by Nov 10, 2026" in html and "broken" in html
        assert "Suggested" in html and "Escalated" in html

    def test_complaints_link_to_their_page_and_overdue_ones_are_flagged(
        self, client, auth, world, customer
    ):
        late = h.complaint(customer, due_date=h.days(-2), priority="urgent")
        auth.login("ao.budi")
        html = section(client.get("/agenda/").get_data(as_text=True), "overdue")
        assert cards(html) == [("complaint", str(late.id))]
        assert f'href="/complaints/{late.id}"' in html
        assert "agenda-overdue" in html and "Urgent priority" in html

    def test_prospect_cards_link_to_the_prospect(self, client, auth, world):
        prospect = make_prospect(world.officer, name="Ibu Wati")
        h.followup(world.officer, prospect=prospect, purpose="product_offer")
        auth.login("ao.budi")
        html = client.get("/agenda/").get_data(as_text=True)
        assert f'href="/prospects/{prospect.id}"' in html and "Ibu Wati" in html

    def test_empty_state(self, client, auth, world):
        auth.login("ao.budi")
        html = client.get("/agenda/").get_data(as_text=True)
        assert "Nothing planned for the next 7 days and no open complaints due." in html
        assert "Nothing overdue." in html

    def test_another_officers_items_are_absent(self, client, auth, world):
        other = make_customer(world.colleague, name="Toko Rekan")
        h.followup(world.colleague, customer=other)
        h.complaint(other, due_date=h.days(-1))
        auth.login("ao.budi")
        html = client.get("/agenda/").get_data(as_text=True)
        assert "Toko Rekan" not in html and cards(html) == []

    @pytest.mark.parametrize("username", ["spv.jkt", "admin"])
    def test_supervisors_and_admins_are_sent_to_the_team_agenda(
        self, client, auth, world, username
    ):
        auth.login(username)
        response = client.get("/agenda/")
        assert response.status_code == 302 and response.headers["Location"].endswith("/agenda/team")

    def test_login_required(self, client):
        response = client.get("/agenda/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestTeamAgendaPage:
    @pytest.fixture
    def team(self, world):
        """Work for ao.budi, ao.sari (JKT01) and ao.dewi (BDG01)."""
        budi = make_customer(world.officer, name="Budi Debtor")
        sari = make_customer(world.colleague, name="Sari Debtor")
        dewi = make_customer(world.remote, name="Dewi Debtor")
        for n in (-3, -1, 0, 2, 7, 8):
            h.followup(world.officer, customer=budi, planned_date=h.days(n))
        h.followup(world.officer, customer=budi, planned_date=h.days(-2), status="done")
        h.followup(world.colleague, customer=sari, planned_date=h.days(0))
        h.followup(world.remote, customer=dewi, planned_date=h.days(-5))
        h.complaint(budi, due_date=h.days(-1))
        h.complaint(budi, due_date=h.days(20), status="in_progress")
        h.complaint(budi, due_date=h.days(-9), status="resolved")
        h.complaint(dewi, due_date=h.days(-4), description="Remote overdue complaint")
        return budi, sari, dewi

    def test_counts_per_officer_of_the_supervisors_branch(self, client, auth, world, team):
        auth.login("spv.jkt")
        html = client.get("/agenda/team").get_data(as_text=True)
        assert row_counts(html, "ao.budi") == {
            "overdue": 2,
            "today": 1,
            "next_7_days": 2,
            "open_complaints": 2,
            "overdue_complaints": 1,
        }
        assert row_counts(html, "ao.sari") == {
            "overdue": 0,
            "today": 1,
            "next_7_days": 0,
            "open_complaints": 0,
            "overdue_complaints": 0,
        }
        assert row_counts(html, "total") == {
            "overdue": 2,
            "today": 2,
            "next_7_days": 2,
            "open_complaints": 2,
            "overdue_complaints": 1,
        }
        assert 'data-officer="ao.dewi"' not in html and "Remote overdue complaint" not in html
        assert "Dewi Debtor" not in html

    def test_the_other_branchs_supervisor_sees_only_theirs(self, client, auth, world, team):
        auth.login("spv.bdg")
        html = client.get("/agenda/team").get_data(as_text=True)
        assert row_counts(html, "ao.dewi")["overdue"] == 1
        assert 'data-officer="ao.budi"' not in html and "Dewi Debtor" in html

    def test_admin_sees_every_branch_or_one(self, client, auth, world, team):
        auth.login("admin")
        html = client.get("/agenda/team").get_data(as_text=True)
        assert all(f'data-officer="{u}"' in html for u in ("ao.budi", "ao.sari", "ao.dewi"))
        one = client.get(f"/agenda/team?branch={world.bdg.id}").get_data(as_text=True)
        assert 'data-officer="ao.dewi"' in one and 'data-officer="ao.budi"' not in one

    def test_a_supervisor_asking_for_another_branch_gets_404(self, client, auth, world, team):
        auth.login("spv.jkt")
        assert client.get(f"/agenda/team?branch={world.bdg.id}").status_code == 404
        assert client.get(f"/agenda/team?branch={world.jkt.id}").status_code == 200

    def test_escalations_broken_promises_and_overdue_complaints(self, client, auth, world, team):
        budi, _sari, dewi = team
        facility = h.debtor(world.officer, 95, as_of=h.days(-40), name="Escalated Debtor")
        escalated = h.followup(world.officer, facility=facility, escalated=True, suggested_dpd=95)
        h.followup(world.officer, facility=facility, escalated=True, status="done")
        waiting = h.complaint(budi, status="escalated", escalation_reason="Collector conduct")
        broken_facility = h.debtor(world.colleague, 40, as_of=h.days(-40), name="Broken Debtor")
        broken = h.promise(broken_facility, world.colleague, h.days(-30), h.days(-20), "3000000")
        pending_facility = h.debtor(world.officer, 40, as_of=h.days(-40), name="Pending Debtor")
        h.promise(pending_facility, world.officer, h.days(-1), h.days(5))
        remote_facility = h.debtor(world.remote, 40, as_of=h.days(-40), name="Remote Broken")
        h.promise(remote_facility, world.remote, h.days(-30), h.days(-20))
        auth.login("spv.jkt")
        html = client.get("/agenda/team").get_data(as_text=True)
        escalations = html[html.index('id="escalations"') : html.index('id="broken-promises"')]
        assert f'data-followup="{escalated.id}"' in escalations and "DPD 95" in escalations
        assert f'data-complaint="{waiting.id}"' in escalations
        assert escalations.count("data-followup=") == 1
        promises = html[html.index('id="broken-promises"') : html.index('id="overdue-complaints"')]
        assert f'data-promise="{broken.id}"' in promises and "IDR 3,000,000" in promises
        assert "Pending Debtor" not in promises and "Remote Broken" not in promises
        overdue = html[html.index('id="overdue-complaints"') :]
        assert overdue.count("data-complaint=") == 1 and "Budi Debtor" in overdue

    def test_officers_are_sent_to_their_own_agenda(self, client, auth, world):
        auth.login("ao.budi")
        response = client.get("/agenda/team")
        assert response.status_code == 302 and response.headers["Location"].endswith("/agenda/")
