"""The language of a request, the header's switch, and numbers, money and dates per language."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from aoapp import create_app
from aoapp.common import i18n
from aoapp.extensions import db


class TestFormats:
    @pytest.mark.parametrize(
        ("locale", "money", "cents", "ratio", "day", "moment"),
        [
            ("id", "Rp 1.234.568", "Rp 1.234.567,89", "48,19%", "23 Nov 2026", "23 Nov 2026 14.05"),
            (
                "en",
                "IDR 1,234,568",
                "IDR 1,234,567.89",
                "48.19%",
                "Nov 23, 2026",
                "Nov 23, 2026 2:05\u202fPM",
            ),
        ],
    )
    def test_each_language_writes_its_own_way(self, app, locale, money, cents, ratio, day, moment):
        amount = Decimal("1234567.89")
        assert i18n.format_money(amount, locale=locale) == money
        assert i18n.format_money(amount, with_cents=True, locale=locale) == cents
        assert i18n.format_ratio(Decimal("0.4819"), locale=locale) == ratio
        assert i18n.format_date(date(2026, 11, 23), locale=locale) == day
        at = datetime(2026, 11, 23, 7, 5, tzinfo=UTC)  # 14:05 in Jakarta
        assert i18n.format_datetime(at, locale=locale) == moment

    @pytest.mark.parametrize(
        ("locale", "clock", "weekday", "sizes"),
        [
            ("id", "21.15", "Sabtu", ("27,9 kB", "1,5 MB", "512 byte")),
            ("en", "9:15\u202fPM", "Saturday", ("27.9 kB", "1.5 MB", "512 byte")),
        ],
    )
    def test_times_weekdays_and_file_sizes(self, app, locale, clock, weekday, sizes):
        assert i18n.format_clock(time(21, 15), locale=locale) == clock
        assert i18n.format_weekday(date(2026, 12, 5), locale=locale) == weekday
        month = {"id": "Desember 2026", "en": "December 2026"}[locale]
        assert i18n.format_month(date(2026, 12, 5), locale=locale) == month
        found = tuple(i18n.format_size(n, locale=locale) for n in (27_900, 1_530_000, 512))
        assert found == sizes

    def test_negative_amounts_and_nothing(self, app):
        assert i18n.format_money(Decimal("-1500000"), locale="id") == "-Rp 1.500.000"
        assert i18n.format_money(None) == ""
        assert i18n.format_ratio(None) == "—"
        assert i18n.format_date(None) == ""


def _html(response) -> str:
    return response.get_data(as_text=True)


class TestLanguageOfAPage:
    def test_a_user_without_a_choice_gets_the_banks_language(self, app, client, auth, world):
        app.config["DEFAULT_LOCALE"] = "id"
        try:
            auth.login("ao.budi")
            assert '<html lang="id">' in _html(client.get("/profile"))
        finally:
            app.config["DEFAULT_LOCALE"] = "en"

    def test_the_header_switch_sets_the_profile(self, client, auth, world):
        auth.login("ao.budi")
        response = auth.post("/language", {"locale": "id", "next": "/profile"})
        assert response.status_code == 302 and response.headers["Location"] == "/profile"
        assert db.session.get(type(world.officer), world.officer.id).locale == "id"
        assert '<html lang="id">' in _html(client.get("/profile"))
        auth.post("/language", {"locale": "en", "next": "/profile"})
        assert '<html lang="en">' in _html(client.get("/profile"))

    def test_the_choice_follows_the_user_to_another_browser(self, app, auth, world):
        auth.login("ao.budi")
        auth.post("/language", {"locale": "id", "next": "/profile"})
        other = app.test_client()
        from tests.conftest import AuthActions

        AuthActions(other).login("ao.budi")
        assert '<html lang="id">' in _html(other.get("/profile"))

    def test_before_login_the_choice_is_the_browsers(self, client, world):
        page = _html(client.get("/login"))
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/language", data={"locale": "id", "next": "/login", "csrf_token": token})
        assert '<html lang="id">' in _html(client.get("/login"))

    def test_an_unknown_language_or_a_foreign_next_changes_nothing_unsafe(
        self, client, auth, world
    ):
        auth.login("ao.budi")
        response = auth.post("/language", {"locale": "fr", "next": "/profile"})
        assert response.status_code == 302
        assert db.session.get(type(world.officer), world.officer.id).locale is None
        response = auth.post("/language", {"locale": "id", "next": "https://evil.example/"})
        assert response.headers["Location"] == "/"

    def test_the_switch_needs_csrf(self, client, auth, world):
        auth.login("ao.budi")
        assert client.post("/language", data={"locale": "id"}).status_code == 400

    def test_dates_on_a_page_follow_the_language(self, client, auth, world):
        from tests.support import factories

        customer = factories.make_customer(world.officer, since=date(2026, 11, 23))
        auth.login("ao.budi")
        english = _html(client.get(f"/customers/{customer.id}"))
        auth.post("/language", {"locale": "id", "next": "/"})
        indonesian = _html(client.get(f"/customers/{customer.id}"))
        assert "Nov 23, 2026" in english and "23 Nov 2026" not in english
        assert "23 Nov 2026" in indonesian and "Nov 23, 2026" not in indonesian


class TestLanguageOfTheApi:
    def test_accept_language_picks_the_language(self, app):
        with app.test_request_context("/api/v1/x", headers={"Accept-Language": "id-ID,id;q=0.9"}):
            assert i18n.select_locale() == "id"
        with app.test_request_context("/api/v1/x", headers={"Accept-Language": "en-US"}):
            assert i18n.select_locale() == "en"
        with app.test_request_context("/api/v1/x", headers={"Accept-Language": "fr"}):
            assert i18n.select_locale() == app.config["DEFAULT_LOCALE"]


def test_the_bank_must_speak_a_known_language():
    with pytest.raises(RuntimeError, match="DEFAULT_LOCALE"):
        create_app({"TESTING": True, "DEFAULT_LOCALE": "fr"})


class TestTemplateCatalogue:
    """Templates look their catalogue up once per request and language (i18n.translations)."""

    def test_force_locale_switches_and_restores_template_texts(self, app):
        from flask import render_template_string
        from flask_babel import force_locale

        page = "{{ _('Customers') }}|{{ ngettext('%(num)d customer', '%(num)d customers', 2) }}"
        app.config["DEFAULT_LOCALE"] = "id"
        with app.app_context(), app.test_request_context("/"):
            first = render_template_string(page)
            with force_locale("en"):
                forced = render_template_string(page)
            again = render_template_string(page)
        assert first.startswith("Nasabah|") and again == first
        assert forced == "Customers|2 customers"

    def test_each_request_speaks_its_own_language(self, app):
        from flask import render_template_string

        for locale, expected in (("id", "Nasabah"), ("en", "Customers"), ("id", "Nasabah")):
            app.config["DEFAULT_LOCALE"] = locale
            with app.app_context(), app.test_request_context("/"):  # a request's own `g`
                assert render_template_string("{{ _('Customers') }}") == expected


def test_a_filter_of_a_constant_is_written_in_each_readers_language(app):
    """Jinja folds `'done'|label` into the compiled template unless the filter takes the context:
    the first reader's language would stay in the page (templates are compiled once) for everyone
    after."""
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("id"):  # compiled while an Indonesian reader's page is written
            template = app.jinja_env.from_string("{{ 'done'|label }} · {{ 1234567|number }}")
            first = template.render()
        with force_locale("en"):
            second = template.render()
    assert first == "Selesai · 1.234.567"
    assert second == "Done · 1,234,567"
