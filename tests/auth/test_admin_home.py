"""The admin's home (/admin/): where `/` lands an admin, the listings' freshness, the latest
imports, accounts locked out or deactivated, branches without a supervisor; admins only."""

import re
from datetime import date, datetime, timedelta

import pytest

from aoapp.auth.models import Branch
from aoapp.common.dates import utcnow
from aoapp.extensions import db
from aoapp.imports.models import PositionImport
from tests.support.i18n import english_leftovers, speak_indonesian

TODAY = "2026-11-10"


def _import(world, as_of: date, status: str, started: datetime, **values) -> PositionImport:
    record = PositionImport(
        file_name=f"listing-{as_of}-{status}.csv",
        sha256="0" * 64,
        as_of=as_of,
        status=status,
        user_id=world.admin.id,
        started_at=started,
        finished_at=started,
        **values,
    )
    db.session.add(record)
    db.session.commit()
    return record


def _page(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


class TestAccess:
    def test_slash_lands_an_admin_on_the_home(self, client, auth, world):
        auth.login("admin")
        response = client.get("/")
        assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")

    @pytest.mark.parametrize("who", ["officer", "supervisor", "bdg_supervisor"])
    def test_it_does_not_exist_for_anyone_else(self, client, auth, world, who):
        auth.login(getattr(world, who).username)
        assert client.get("/admin/").status_code == 404

    def test_anonymous_is_sent_to_login(self, client, world):
        response = client.get("/admin/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.today(TODAY)
class TestContent:
    def test_freshness_is_the_latest_loaded_listing_not_the_latest_run(self, client, auth, world):
        now = utcnow()
        _import(world, date(2026, 9, 30), "succeeded", now - timedelta(days=40), rows=120)
        loaded = _import(world, date(2026, 10, 31), "succeeded", now - timedelta(days=9), rows=130)
        refused = _import(
            world, date(2026, 11, 9), "rejected", now - timedelta(hours=2), rows=131, error_count=3
        )
        auth.login("admin")
        fresh = _section(_page(client), "freshness")
        row = re.search(r'<tr data-kind="loans"[^>]*>(.*?)</tr>', fresh, re.S)
        assert 'data-as-of="2026-10-31"' in row.group(1)
        assert "10 days" in row.group(1) and "Stale" not in row.group(1)  # 10 Nov − 31 Oct
        assert f"/imports/{refused.id}" in row.group(1) and "Rejected" in row.group(1)
        assert "table-warning" not in row.group(0)
        recent = _section(_page(client), "recent-imports")
        ids = re.findall(r'<tr data-import="(\d+)">', recent)
        assert ids[:2] == [str(refused.id), str(loaded.id)]  # newest first
        refused_row = re.search(rf'<tr data-import="{refused.id}">(.*?)</tr>', recent, re.S)
        cells = re.findall(r'<td class="text-end">([^<]*)</td>', refused_row.group(1))
        assert cells == ["131", "3"]  # rows, errors
        assert "Loan listing" in refused_row.group(1)

    def test_a_listing_over_35_days_old_or_none_is_stale(self, client, auth, world):
        auth.login("admin")
        assert "never loaded" in _section(_page(client), "freshness")
        _import(world, date(2026, 10, 5), "succeeded", utcnow() - timedelta(days=30))
        row = re.search(r'<tr data-kind="loans"([^>]*)>(.*?)</tr>', _page(client), re.S)
        assert "table-warning" in row.group(1) and "36 days" in row.group(2)
        assert "Stale" in row.group(2)

    def test_accounts_locked_out_deactivated_and_branches_unsupervised(self, client, auth, world):
        budi = db.session.merge(world.officer)
        budi.locked_until = utcnow() + timedelta(minutes=10)
        sari = db.session.merge(world.colleague)
        sari.locked_until = utcnow() - timedelta(minutes=1)  # the lock has run out
        sari.active = False
        db.session.add(Branch(code="MKS01", name="Makassar"))
        db.session.commit()
        auth.login("admin")
        accounts = _section(_page(client), "accounts")
        locked = accounts[accounts.index('id="locked-users"') :]
        locked = locked[: locked.index("</ul>")]
        assert re.findall(r'data-user="([^"]+)"', locked) == ["ao.budi"]
        inactive = accounts[accounts.index('id="inactive-users"') :]
        assert re.findall(r'data-user="([^"]+)"', inactive[: inactive.index("</ul>")]) == [
            "ao.sari"
        ]
        assert re.findall(r'data-branch="([^"]+)"', accounts) == ["MKS01"]
        assert '<span class="badge text-bg-secondary" id="branch-count">3</span>' in accounts
        assert ">Officer: 2</a>" in accounts  # active officers: ao.budi, ao.dewi

    def test_the_admin_tasks_are_linked(self, client, auth, world):
        auth.login("admin")
        tasks = _page(client).split('id="admin-tasks"', 1)[1].split("</div>", 1)[0]
        hrefs = re.findall(r'href="([^"]+)"', tasks)
        assert hrefs == ["/imports/new", "/admin/users/new", "/admin/branches", "/audit/"]
        for href in hrefs:
            assert client.get(href).status_code == 200, href

    def test_in_indonesian(self, client, auth, world):
        auth.login("admin")
        speak_indonesian(auth)
        html = _page(client)
        assert "Kemutakhiran data" in html and "Impor daftar nominatif terakhir" in html
        assert "belum pernah dimuat" in html and "Tidak ada akun yang terkunci." in html
        assert english_leftovers(html) == []
