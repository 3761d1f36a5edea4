"""Amounts typed the way Indonesians type them (DOMAIN.md, input conventions): one parser,
`common.money.parse_amount`, read by every form's money field in the reader's language; the API
keeps its plain decimal strings."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoapp.common.i18n import format_money
from aoapp.common.money import AmountError, format_typed, parse_amount
from aoapp.extensions import db
from aoapp.followups.models import PromiseToPay
from aoapp.prospects.models import Prospect
from tests.prospects.conftest import form_data
from tests.support import followups as h
from tests.support.i18n import speak_indonesian

D = Decimal


@pytest.mark.parametrize(
    ("locale", "text", "amount"),
    [
        ("id", "75.000.000", "75000000"),
        ("id", "Rp 75.000.000", "75000000"),
        ("id", "Rp75.000.000,50", "75000000.50"),
        ("id", "rp. 75.000.000", "75000000"),
        ("id", "75000000", "75000000"),
        ("id", " 75 000 000 ", "75000000"),
        ("id", "75 jt", "75000000"),
        ("id", "75 juta", "75000000"),
        ("id", "1,5 M", "1500000000"),
        ("id", "2 miliar", "2000000000"),
        ("id", "250 rb", "250000"),
        ("id", "1.500", "1500"),
        ("id", "2,5", "2.50"),
        ("id", "75,000,000", "75000000"),  # two commas cannot be decimals: read as grouping
        ("id", "75000000.50", "75000000.50"),  # a point before two digits cannot group thousands
        ("en", "75,000,000", "75000000"),
        ("en", "IDR 75,000,000.50", "75000000.50"),
        ("en", "Rp 75.000.000", "75000000"),
        ("en", "75 jt", "75000000"),
        ("en", "1.5 bn", "1500000000"),
        ("en", "1,500", "1500"),
        ("en", "2.5", "2.50"),
    ],
)
def test_amounts_as_people_write_them(app, locale, text, amount):
    assert parse_amount(text, locale) == D(amount)


@pytest.mark.parametrize(
    ("locale", "text", "message"),
    [
        ("id", "1,500", "'1,500' can be read two ways, 1,50 or 1.500"),
        ("en", "1.500", "'1.500' can be read two ways, 1.50 or 1,500"),
        ("en", "75 M", "'75 M' is not an amount. Write it like 75,000,000, IDR 75,000,000,"),
        (
            "id",
            "lima juta",
            "'lima juta' is not an amount. Write it like 75.000.000, Rp 75.000.000",
        ),
        ("id", "1.234.567,891", "has more decimals than the sen: at most two, e.g. 1.500.000,50"),
        ("id", "1.50.000", "is not an amount"),
        ("id", "", "is not an amount"),
    ],
)
def test_what_cannot_be_read_or_reads_two_ways_is_refused_with_the_accepted_forms(
    app, locale, text, message
):
    with app.test_request_context(), pytest.raises(AmountError) as error:
        parse_amount(text, locale)
    assert message in str(error.value)


def test_the_refusal_is_in_the_readers_language(app):
    with app.test_request_context(), force_locale("id"), pytest.raises(AmountError) as error:
        parse_amount("1,500", "id")
    assert str(error.value) == (
        "'1,500' dapat dibaca dua cara, 1,50 atau 1.500: tulis 1.500 untuk ribuan, atau 1,50 "
        "dengan dua desimal."
    )


AMOUNTS = st.decimals(min_value=0, max_value=D("999999999999999.99"), places=2)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=AMOUNTS, locale=st.sampled_from(["id", "en"]))
def test_what_the_app_displays_reads_back_the_same(app, amount, locale):
    shown = format_money(amount, with_cents=True, locale=locale)
    assert parse_amount(shown, locale) == amount
    assert parse_amount(format_typed(amount, locale), locale) == amount
    whole = format_money(amount, locale=locale)  # the rounded display: back to the rupiah
    assert parse_amount(whole, locale) == amount.quantize(D(1), rounding="ROUND_HALF_UP")


class TestForms:
    def test_a_prospects_credit_need_in_indonesian(self, client, auth, world):
        auth.login("ao.budi")
        speak_indonesian(auth)
        response = auth.post("/prospects/new", form_data(estimated_credit_need="Rp 75.000.000"))
        assert response.status_code == 302, response.get_data(as_text=True)
        need = db.session.scalar(sa.select(Prospect.estimated_credit_need))
        assert need == D("75000000.00")

    def test_an_ambiguous_amount_is_refused_on_the_form_and_nothing_is_saved(
        self, client, auth, world
    ):
        auth.login("ao.budi")
        speak_indonesian(auth)
        response = auth.post("/prospects/new", form_data(estimated_credit_need="1,500"))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "&#39;1,500&#39; dapat dibaca dua cara, 1,50 atau 1.500" in page
        assert db.session.scalar(sa.select(sa.func.count(Prospect.id))) == 0

    def test_the_edit_form_shows_the_amount_as_people_write_it(self, client, auth, world):
        auth.login("ao.budi")
        speak_indonesian(auth)
        auth.post("/prospects/new", form_data(estimated_credit_need="75 jt"))
        prospect = db.session.scalar(sa.select(Prospect))
        page = client.get(f"/prospects/{prospect.id}/edit").get_data(as_text=True)
        assert 'data-money="id"' in page and 'inputmode="decimal"' in page
        assert 'value="75.000.000"' in page

    def test_a_promise_amount_in_english(self, client, auth, world):
        row = h.followup(world.officer, facility=h.debtor(world.officer, name="Warung Budi")[1])
        auth.login("ao.budi")
        data = {
            "outcome": "promised_to_pay",
            "notes": "After harvest",
            "promised_amount": "IDR 2,500,000",
            "promised_date": h.days(7).isoformat(),
        }
        response = auth.post(f"/followups/{row.id}/complete", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert db.session.scalar(sa.select(PromiseToPay.promised_amount)) == D("2500000.00")

    def test_the_api_keeps_its_one_convention(self, api, world):
        client = api(world.officer)
        body = {"name": "Toko Baru", "phone": "081234567001", "source": "walk_in"}
        response = client.post(
            "/api/v1/prospects", json={**body, "estimated_credit_need": "75.000.000"}
        )
        assert response.status_code == 422
        assert response.json["errors"]["estimated_credit_need"] == ["Not a valid number."]
        response = client.post(
            "/api/v1/prospects", json={**body, "estimated_credit_need": "75000000.00"}
        )
        assert response.status_code == 201, response.json


@pytest.mark.parametrize("text", ["10000000000000000", "55714387508808080539113081393021172.51"])
def test_amounts_beyond_the_money_columns_are_refused_not_a_500(api, world, text):
    client = api(world.officer)
    body = {"name": "Toko Baru", "phone": "081234567001", "source": "walk_in"}
    response = client.post("/api/v1/prospects", json={**body, "estimated_credit_need": text})
    assert response.status_code == 422
    assert response.json["errors"]["estimated_credit_need"] in (
        ["Too large."],
        ["Not a valid number."],
    )
    admin = api(world.admin)
    month = "2026-11"
    response = admin.put(
        f"/api/v1/targets/{world.officer.id}/{month}", json={"new_disbursement": text}
    )
    assert response.status_code == 422, response.json
