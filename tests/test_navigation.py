"""The main menu (aoapp/pages/navigation.py, templates/base.html): each role is offered exactly
the pages it may open, in groups; the group of the page shown is marked; the bank's name is
beside the brand; both languages."""

import re

import pytest

from tests.support.i18n import speak_indonesian

TODAY = ["Dashboard", "Follow-ups", "Complaints"]
OFFICER = {
    "/dashboard/",
    "/agenda/",
    "/followups/",
    "/complaints/",
    "/prospects/",
    "/customers/",
    "/plans/coverage",
    "/campaigns/",
    "/products/",
    "/portfolio/",
    "/portfolio/watchlist",
    "/renewals/",
    "/reports/",
}
SUPERVISOR = (OFFICER - {"/dashboard/", "/agenda/"}) | {
    "/dashboard/team",
    "/agenda/team",
    "/targets/",
    "/handovers/",
}
ADMIN = SUPERVISOR | {"/admin/", "/admin/users", "/admin/branches", "/imports/", "/audit/"}


def menu(client, url: str = "/profile") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    start = html.index('<ul class="navbar-nav main-menu')
    return html[start : html.index('<ul class="navbar-nav">', start)]


def links(html: str) -> set[str]:
    return set(re.findall(r'class="dropdown-item[^"]*" href="([^"]+)"', html)) | set(
        re.findall(r'<a class="nav-link[^"]*" href="([^"]+)"(?! role="button")', html)
    )


def groups(html: str) -> dict[str, str]:
    """{group key: its heading (a toggle) or its one link's text}."""
    found = re.findall(r'data-group="(\w+)">\s*<a class="nav-link[^>]*>([^<]+)</a>', html)
    return dict(found)


class TestWhoSeesWhat:
    @pytest.mark.parametrize(
        ("username", "expected"),
        [("ao.budi", OFFICER), ("spv.jkt", SUPERVISOR), ("admin", ADMIN)],
    )
    def test_each_role_is_offered_exactly_its_pages(self, client, auth, world, username, expected):
        auth.login(username)
        html = menu(client)
        assert links(html) == expected
        for url in sorted(expected):
            assert client.get(url).status_code == 200, url

    def test_the_groups_of_an_officer(self, client, auth, world):
        auth.login("ao.budi")
        html = menu(client)
        assert groups(html) == {
            "today": "Today",
            "relationship": "Customers &amp; prospects",
            "credit": "Credit",
            "reports": "Reports",  # one page: a plain link, not a menu
        }
        assert re.search(r'data-group="reports"><a class="nav-link" href="/reports/">', html)
        today = html.split('data-group="today"')[1].split("</ul>")[0]
        assert re.findall(r'class="dropdown-item" href="[^"]+">([^<]+)<', today) == [
            TODAY[0],
            "Agenda",
            *TODAY[1:],
        ]

    def test_an_admin_has_the_admin_group_with_its_home_first(self, client, auth, world):
        auth.login("admin")
        html = menu(client)
        assert list(groups(html)) == ["today", "relationship", "credit", "reports", "admin"]
        admin = html.split('data-group="admin"')[1]
        assert re.findall(r'href="([^"]+)"', admin)[:2] == ["/admin/", "/admin/"]
        assert "Audit log" in admin

    def test_anonymous_pages_have_no_menu(self, client, world):
        assert "main-menu" not in client.get("/login").get_data(as_text=True)


class TestTheCurrentPage:
    @pytest.mark.parametrize(
        ("url", "group", "item"),
        [
            ("/portfolio/watchlist", "credit", "/portfolio/watchlist"),
            ("/portfolio/", "credit", "/portfolio/"),
            ("/promises/", "today", "/followups/"),
            ("/products/introductions/", "relationship", "/products/"),
            ("/targets/", "reports", "/targets/"),
        ],
    )
    def test_its_group_and_page_are_marked(self, client, auth, world, url, group, item):
        auth.login("spv.jkt")
        html = menu(client, url)
        marked = re.findall(
            r'data-group="(\w+)">\s*<a class="nav-link dropdown-toggle active"', html
        )
        assert marked == [group]
        assert re.findall(
            r'class="dropdown-item active" href="([^"]+)" aria-current="page"', html
        ) == [item]

    def test_a_page_of_no_group_marks_none(self, client, auth, world):
        auth.login("spv.jkt")
        html = menu(client, "/profile")
        assert "active" not in html and "aria-current" not in html

    def test_an_admin_page_marks_the_admin_group(self, client, auth, world):
        auth.login("admin")
        html = menu(client, f"/admin/users/{world.officer.id}")
        assert re.findall(r'dropdown-item active" href="([^"]+)"', html) == ["/admin/users"]


class TestHeader:
    def test_the_bank_name_is_beside_the_brand(self, app, client, auth, world, monkeypatch):
        monkeypatch.setitem(app.config, "BANK_NAME", "BPR Sejahtera <Makmur>")
        auth.login("ao.budi")
        html = client.get("/profile").get_data(as_text=True)
        brand = re.search(r'<a class="navbar-brand[^"]*" href="/">(.*?)</a>', html, re.S).group(1)
        assert 'class="bank-name"' in brand and "BPR Sejahtera &lt;Makmur&gt;</small>" in brand

    def test_in_indonesian(self, client, auth, world):
        auth.login("spv.jkt")
        speak_indonesian(auth)
        html = menu(client, "/portfolio/watchlist")
        assert groups(html) == {
            "today": "Hari ini",
            "relationship": "Nasabah &amp; calon",
            "credit": "Kredit",
            "reports": "Laporan",
        }
        assert 'aria-current="page">Daftar pantauan</a>' in html
