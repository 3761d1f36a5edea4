"""Generating on the Reports page: the form comes first, speaks the reader's language, offers each
role its scopes, names periods for people, and never shows a command line."""

import re

import pytest

from aoapp.reports import services
from tests.reports.conftest import PERIOD, report_rows
from tests.support.html import html_id_problems
from tests.support.i18n import english_leftovers, speak_indonesian, visible_text


def _generate(auth, scope: str, kind: str = "customer", **period):
    """POST the Generate form with a period from the picker (default: the month of PERIOD)."""
    values = period or {"period_kind": "month", "month": PERIOD}
    return auth.post("/reports/generate", {"kind": kind, "scope": scope, **values})


def _page(client) -> str:
    return client.get("/reports/").get_data(as_text=True)


class TestThePage:
    def test_generation_comes_first_and_no_command_line_shows(self, client, auth, book, world):
        services.generate_portfolio_reports(PERIOD)
        auth.login("spv.jkt")
        html = _page(client)
        assert (
            html.index('id="generate"') < html.index('id="generated"') < html.index('id="reports"')
        )
        text = visible_text(html)
        assert "flask " not in text and "--queue" not in text
        assert "June 2024" in text and "Q2 2024" in text
        assert '<td class="text-nowrap" data-period="2024-06">June 2024</td>' in html
        # Scopes of a supervisor: his branch and its officers, never the bank or another branch.
        scopes = set(re.findall(r'<option value="((?:bank|branch|officer)[^"]*)"', html))
        assert scopes == {
            f"branch:{world.jkt.id}",
            f"officer:{world.officer.id}",
            f"officer:{world.colleague.id}",
        }

    def test_in_indonesian_periods_sizes_and_texts(self, client, auth, book, world):
        services.generate_portfolio_reports(PERIOD)
        auth.login("spv.jkt")
        speak_indonesian(auth)
        html = _page(client)
        text = visible_text(html)
        assert "Juni 2024" in text and "Kuartal II 2024" in text
        assert "Desember 2026 (belum ada daftar nominatif)" in text  # the clock's month: none yet
        assert '<td class="text-nowrap" data-period="2024-06">Juni 2024</td>' in html
        assert re.search(r"\d+,\d kB", text)  # sizes with the Indonesian decimal comma
        assert "flask " not in text
        assert english_leftovers(html) == []

    @pytest.mark.parametrize("username", ["admin", "spv.jkt", "ao.budi"])
    def test_every_id_is_unique_and_valid(self, client, auth, book, username):
        services.generate_portfolio_reports(PERIOD)
        auth.login(username)
        assert html_id_problems(_page(client)) == []
        assert html_id_problems(client.get(f"/reports/?period={PERIOD}").get_data(True)) == []


class TestGenerating:
    def test_a_supervisor_makes_the_branch_portfolio_of_the_month(self, client, auth, book, world):
        auth.login("spv.jkt")
        response = _generate(auth, f"branch:{world.jkt.id}", "portfolio")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/reports/?period={PERIOD}")
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Portfolio report portfolio_2024-06_branch-jkt01.xlsx generated." in html
        assert [r.scope for r in report_rows()] == ["branch"]

    def test_a_quarter_and_a_range_from_the_picker(self, client, auth, book, world):
        auth.login("spv.jkt")
        scope = f"officer:{world.colleague.id}"
        assert (
            _generate(auth, scope, "portfolio", period_kind="quarter", quarter="2024Q2").status_code
            == 302
        )
        custom = {"period_kind": "custom", "start": "2024-06-01", "end": "2024-06-30"}
        assert _generate(auth, scope, "portfolio", **custom).status_code == 302
        assert sorted(r.period for r in report_rows()) == ["20240601-20240630", "2024Q2"]
        # Dates typed day first (a browser without a date picker sends what was typed).
        typed = {"period_kind": "custom", "start": "1/6/2024", "end": "30/06/2024"}
        assert _generate(auth, scope, "portfolio", **typed).status_code == 302
        refused = _generate(auth, scope, "portfolio", **{**typed, "end": "06/31/2024"})
        assert refused.status_code == 422
        assert "Write a date: 15/10/2026 or 2026-10-15." in refused.get_data(as_text=True)
        assert len(report_rows()) == 2

    def test_an_officer_makes_his_customers_reports(self, client, auth, book, world):
        auth.login("ao.budi")
        response = _generate(auth, f"officer:{world.officer.id}")
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Customer reports for June 2024: 3 generated" in html
        assert {r.customer.cif for r in report_rows()} == {"CIF-B1", "CIF-B2", "CIF-B3"}
        _generate(auth, f"officer:{world.officer.id}", "portfolio")
        assert sorted(r.scope for r in report_rows()) == ["customer"] * 3 + ["officer"]

    def test_a_scope_outside_the_role_is_refused_on_the_field(self, client, auth, book, world):
        auth.login("ao.budi")
        for scope in (f"officer:{world.colleague.id}", f"branch:{world.jkt.id}", "bank", "x"):
            response = _generate(auth, scope)
            assert response.status_code == 422, scope
            assert "Choose one of the scopes offered." in response.get_data(as_text=True)
        auth.logout()
        auth.login("spv.jkt")
        assert _generate(auth, f"branch:{world.bdg.id}", "portfolio").status_code == 422
        assert _generate(auth, "bank", "portfolio").status_code == 422
        assert report_rows() == []

    def test_a_period_without_a_listing_says_so(self, client, auth, book, world):
        auth.login("spv.jkt")
        response = _generate(auth, f"branch:{world.jkt.id}", period_kind="month", month="2026-11")
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "There is no listing in November 2026 yet: the latest is dated Jun 30, 2024." in html
        assert html_id_problems(html) == []
        speak_indonesian(auth)
        response = _generate(auth, f"branch:{world.jkt.id}", period_kind="month", month="2026-11")
        assert "Belum ada daftar nominatif pada November 2026" in response.get_data(as_text=True)
        assert report_rows() == []

    def test_too_many_without_a_queue_is_refused_in_plain_words(
        self, app, client, auth, book, world, monkeypatch
    ):
        monkeypatch.setitem(app.config, "REPORTS_WEB_INLINE_LIMIT", 2)
        monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
        auth.login("spv.jkt")
        response = _generate(auth, f"branch:{world.jkt.id}")
        assert response.status_code == 422
        text = visible_text(response.get_data(as_text=True))
        assert "Background generation is not available just now" in text
        assert "flask " not in text
        assert report_rows() == []
