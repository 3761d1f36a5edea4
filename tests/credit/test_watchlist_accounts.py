"""The watchlist as one row per account: grouping, order, next action, scope, phone cards, i18n."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from aoapp.credit.watchlist import watchlist
from tests.support import followups as fh
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.i18n import english_leftovers, speak_indonesian

AS_OF = date(2024, 6, 30)
EARLIER = date(2024, 5, 31)
URL = "/portfolio/watchlist"
CSS = Path(__file__).resolve().parents[2] / "aoapp" / "static" / "watchlist.css"


def rows(html: str) -> list[str]:
    """The account rows of the page, as HTML."""
    return re.findall(r'<tr class="watch-card".*?</tr>', html, re.S)


def row_of(html: str, facility) -> str:
    """The page's row of one facility."""
    [found] = [r for r in rows(html) if f'data-facility="{facility.id}"' in r]
    return found


@pytest.fixture
def three(world):
    """One account with three signals on AS_OF: DPD rise, Kol downgrade, no follow-up."""
    facility = make_facility(make_customer(world.officer, name="Toko Tiga"), "THREE")
    post_listing(EARLIER, [(facility, 0, "5000000")])
    post_listing(AS_OF, [(facility, 40, "5000000")])
    return facility


@pytest.fixture
def ordered(world):
    """Accounts of one officer, each its own debtor, by severity then exposure (as expected)."""
    soon = AS_OF + timedelta(days=30)  # maturity within 60 days: a signal at any Kol
    book = {}
    for account, dpd, outstanding in (
        ("SMALL-1", 0, "1000000"),  # Kol 1, Rp 1 jt
        ("KOL5", 200, "2000000"),  # Kol 5
        ("BIG-1", 0, "2700000000"),  # Kol 1, Rp 2,7 M
        ("KOL2-BIG", 30, "900000000"),
        ("KOL2-SMALL", 30, "3000000"),
    ):
        customer = make_customer(world.officer, name=f"Debitur {account}")
        book[account] = make_facility(customer, account, maturity=soon)
        post_listing(AS_OF, [(book[account], dpd, outstanding)])
    return book


class TestOneRowPerAccount:
    def test_three_signals_are_one_row_with_three_reasons(self, world, three):
        page = watchlist(world.officer)
        assert page.total == 1
        (entry,) = page.items
        assert entry.codes == ["dpd_rise", "downgrade", "no_follow_up"]
        assert [s.reason for s in entry.signals] == [
            "Days past due rose from 0 to 40.",
            "Collectibility worsened from Kol 1 (Current) to Kol 2 (Special mention).",
            "40 days past due and no follow-up done in the last 7 days.",
        ]
        assert entry.severity == 2 and entry.date == AS_OF

    def test_the_page_shows_one_row_with_its_reasons_as_badges(self, client, auth, world, three):
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        [row] = rows(html)
        assert 'data-signals="dpd_rise downgrade no_follow_up"' in row
        assert re.findall(r'class="badge [^"]*" data-signal="(\w+)"', row) == [
            "dpd_rise",
            "downgrade",
            "no_follow_up",
        ]
        assert row.count("<li>") == 3 and "Days past due rose from 0 to 40." in row
        assert "Rp 5.000.000" in row or "IDR 5,000,000" in row


class TestOrder:
    def test_severity_then_exposure_largest_first(self, world, ordered):
        accounts = [e.facility.account_no for e in watchlist(world.officer).items]
        assert accounts == ["KOL5", "KOL2-BIG", "KOL2-SMALL", "BIG-1", "SMALL-1"]
        assert [e.severity for e in watchlist(world.officer).items] == [5, 2, 2, 1, 1]

    def test_the_page_and_the_api_keep_the_order(self, client, auth, api, world, ordered):
        expected = ["KOL5", "KOL2-BIG", "KOL2-SMALL", "BIG-1", "SMALL-1"]
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        ids = [int(i) for i in re.findall(r'<tr class="watch-card" data-facility="(\d+)"', html)]
        assert ids == [ordered[a].id for a in expected]
        body = api(world.officer).get("/api/v1/watchlist").json
        assert [i["account_no"] for i in body["items"]] == expected
        assert [i["severity"] for i in body["items"]] == [5, 2, 2, 1, 1]

    def test_severity_is_said_in_words(self, client, auth, world, ordered):
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        assert 'id="severity-legend"' in html
        assert "effective (debtor) Kol: Kol 5 (loss) first" in html
        assert ">Kol 5</span>" in html


class TestNextAction:
    def test_past_due_plans_a_collection_call(self, client, auth, world, three):
        auth.login("ao.budi")
        row = row_of(client.get(URL).get_data(as_text=True), three)
        [href] = re.findall(r'next-action" data-action="plan_call" href="([^"]+)"', row)
        href = href.replace("&amp;", "&")
        assert href.startswith("/followups/new?")
        assert f"customer_id={three.customer_id}" in href and f"facility_id={three.id}" in href
        assert "purpose=collection" in href
        assert client.get(href).status_code == 200
        assert 'data-action="plan_visit"' in row  # the other action, as a link

    def test_current_account_plans_a_visit(self, client, auth, world, ordered):
        auth.login("ao.budi")
        row = row_of(client.get(URL).get_data(as_text=True), ordered["BIG-1"])
        [href] = re.findall(r'next-action" data-action="plan_visit" href="([^"]+)"', row)
        href = href.replace("&amp;", "&")
        customer, facility = ordered["BIG-1"].customer_id, ordered["BIG-1"].id
        assert href == f"/visits/new?customer={customer}&facility={facility}"
        assert client.get(href).status_code == 200

    def test_a_planned_follow_up_is_logged(self, client, auth, world, three):
        planned = fh.followup(world.officer, facility=three)
        assert watchlist(world.officer).items[0].followup_id == planned.id
        auth.login("ao.budi")
        row = row_of(client.get(URL).get_data(as_text=True), three)
        [href] = re.findall(r'next-action" data-action="log_outcome" href="([^"]+)"', row)
        assert href.startswith(f"/followups/{planned.id}/complete")
        assert client.get(href.replace("&amp;", "&")).status_code == 200

    def test_a_supervisor_opens_the_account(self, client, auth, world, three):
        auth.login("spv.jkt")
        row = row_of(client.get(URL).get_data(as_text=True), three)
        assert f'data-action="open" href="/facilities/{three.id}"' in row
        assert "/followups/new" not in row


class TestScope:
    def test_an_officer_sees_only_their_accounts(self, client, auth, api, world, three):
        theirs = make_facility(make_customer(world.colleague, name="Toko Sari"), "SARI")
        post_listing(EARLIER, [(theirs, 0, "1")])
        post_listing(AS_OF, [(theirs, 40, "1")])
        assert [e.facility.account_no for e in watchlist(world.officer).items] == ["THREE"]
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        assert "Toko Tiga" in html and "Toko Sari" not in html and len(rows(html)) == 1
        assert client.get(f"{URL}?officer={world.colleague.id}").status_code == 404
        body = api(world.officer).get("/api/v1/watchlist").json
        assert [i["account_no"] for i in body["items"]] == ["THREE"]
        spv = [e.facility.account_no for e in watchlist(world.supervisor).items]
        assert sorted(spv) == ["SARI", "THREE"]


class TestPhoneCards:
    def test_rows_are_cards_under_576_px(self, client, auth, world, three):
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        assert "watchlist.css" in html and "watchlist-cards" in html
        row = row_of(html, three)
        for label in ("Account", "Customer", "Reasons", "Exposure", "Next action"):
            assert f'data-label="{label}"' in row, label
        assert "btn-touch next-action" in row
        css = CSS.read_text()
        assert "@media (max-width: 576px)" in css
        assert (
            "td[data-label]::before" in css and ".watchlist-cards thead { display: none; }" in css
        )


class TestLanguages:
    def test_indonesian(self, client, auth, world, three):
        auth.login("ao.budi")
        speak_indonesian(auth)
        html = client.get(URL).get_data(as_text=True)
        assert english_leftovers(html) == []
        for words in ("Tingkat keparahan", "Eksposur", "Tindakan berikutnya", "Alasan"):
            assert words in html, words
        assert "Rencanakan telepon" in html and "Rencanakan kunjungan" in html
        row = row_of(html, three)
        assert row.count("<li>") == 3 and 'data-label="Eksposur"' in row

    def test_english(self, client, auth, world, three):
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        for words in ("Severity", "Exposure", "Next action", "Reasons", "Plan call"):
            assert words in html, words
