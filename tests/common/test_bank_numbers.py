"""The bank's number formats at every entrance, with the bank's default settings (CIF exactly 10
digits, accounts 10 to 16, leading zeros kept): the customer form and API, the conversion of a
prospect, a held product's account, the loan listing import; and the NIK and phone gaps."""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.identity import (
    InvalidNumber,
    normalize_account,
    normalize_cif,
    normalize_nik,
    normalize_phone,
)
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from config import Config
from tests.support import listings as L
from tests.support.customers import api_data, form_data
from tests.support.factories import make_customer, make_product, make_prospect, nik
from tests.support.i18n import speak_indonesian
from tests.support.listings import line

CUSTOMERS = "/api/v1/customers"
PROSPECTS = "/api/v1/prospects"
ID = {"Accept-Language": "id"}
EN = {"Accept-Language": "en"}
CIF_RULE = "CIF must be exactly 10 digits (leading zeros kept)."
CIF_RULE_ID = "CIF harus tepat 10 digit (angka nol di depan tetap ditulis)."
ACCOUNT_RULE = "Account number must be 10 to 16 digits (leading zeros kept)."


@pytest.fixture
def bank_defaults(app):
    """The bank's default formats (the test configuration is permissive for older test data)."""
    defaults = Config()
    app.config["CIF_PATTERN"] = defaults.CIF_PATTERN
    app.config["ACCOUNT_PATTERN"] = defaults.ACCOUNT_PATTERN
    return defaults


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


class TestTheFormats:
    def test_the_defaults(self, bank_defaults):
        assert (bank_defaults.CIF_PATTERN, bank_defaults.ACCOUNT_PATTERN) == (
            r"^\d{10}$",
            r"^\d{10,16}$",
        )

    @pytest.mark.parametrize("value", ["0012345678", " 0000000001 ", "9999999999"])
    def test_ten_digit_cifs_keep_their_zeros(self, bank_defaults, value):
        assert normalize_cif(value) == value.strip()

    @pytest.mark.parametrize("value", ["", "123456789", "12345678901", "CIF1", "00123-4567", "1e9"])
    def test_other_cifs_are_refused_in_plain_words(self, bank_defaults, value):
        with pytest.raises(InvalidNumber, match=r"exactly 10 digits \(leading zeros kept\)"):
            normalize_cif(value)

    @pytest.mark.parametrize(
        ("value", "good"),
        [("0012345678", True), ("0012345678901234", True), ("001234567", False)]
        + [("00123456789012345", False), ("0012-345678", False)],
    )
    def test_account_numbers(self, bank_defaults, value, good):
        if good:
            assert normalize_account(value) == value
        else:
            with pytest.raises(InvalidNumber, match="10 to 16 digits"):
                normalize_account(value)

    def test_a_pattern_is_matched_whole_and_an_unusual_one_is_named(self, app):
        app.config["CIF_PATTERN"] = r"[A-Z]{2}\d{6}"
        assert normalize_cif("JK123456") == "JK123456"
        with pytest.raises(InvalidNumber, match=r"bank's format \(\[A-Z\]\{2\}\\d\{6\}\)"):
            normalize_cif("JK1234567")

    def test_a_broken_pattern_stops_the_app_at_start(self, monkeypatch):
        monkeypatch.setenv("CIF_PATTERN", "^(\\d{10}$")
        with pytest.raises(RuntimeError, match="CIF_PATTERN is not a valid regular expression"):
            Config().validate()


class TestCustomers:
    def test_the_api_refuses_a_short_cif_in_both_languages(self, bank_defaults, api, world):
        client = api(world.officer)
        response = client.post(CUSTOMERS, json=api_data(cif="1234567"), headers=EN)
        assert response.status_code == 422
        assert response.json["errors"]["cif"] == [CIF_RULE]
        response = client.post(CUSTOMERS, json=api_data(cif="1234567"), headers=ID)
        assert response.json["errors"]["cif"] == [CIF_RULE_ID]
        response = client.post(CUSTOMERS, json=api_data(cif="0001234567"), headers=EN)
        assert response.status_code == 201, response.json
        assert response.json["cif"] == "0001234567"

    def test_the_edit_form_says_it_beside_the_field(self, bank_defaults, client, auth, world):
        customer = make_customer(world.officer, cif="0000000042")
        auth.login("ao.budi")
        data = form_data(cif="42", version=str(customer.version))
        response = auth.post(f"/customers/{customer.id}/edit", data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert page.find(CIF_RULE, page.index('name="cif"')) > 0
        speak_indonesian(auth)
        response = auth.post(f"/customers/{customer.id}/edit", data)
        assert CIF_RULE_ID in response.get_data(as_text=True)

    def test_a_held_products_account_number(self, bank_defaults, client, auth, world):
        customer = make_customer(world.officer, cif="0000000043")
        make_product("MBANKING", kind="service", subtype=None)
        auth.login("ao.budi")
        url = f"/customers/{customer.id}/holdings"
        response = auth.post(url, {"product": "MBANKING", "account_no": "001-234", "opened_on": ""})
        assert response.status_code == 422
        assert ACCOUNT_RULE in response.get_data(as_text=True)
        response = auth.post(
            url, {"product": "MBANKING", "account_no": "0012340000", "opened_on": ""}
        )
        assert response.status_code == 302
        assert db.session.scalar(sa.select(ProductHolding.account_no)) == "0012340000"


class TestConversion:
    def test_the_api(self, bank_defaults, api, world):
        prospect = make_prospect(world.officer, nik=nik(11))
        url = f"{PROSPECTS}/{prospect.id}/convert"
        response = api(world.officer).post(url, json={"cif": "CIF-4", "segment": "small"})
        assert response.status_code == 422
        assert response.json["errors"]["cif"] == [CIF_RULE]
        response = api(world.officer).post(
            url, json={"cif": "CIF-4", "segment": "small"}, headers=ID
        )
        assert response.json["errors"]["cif"] == [CIF_RULE_ID]
        response = api(world.officer).post(url, json={"cif": "0100000004", "segment": "small"})
        assert response.status_code == 201, response.json
        assert db.session.scalar(sa.select(Customer.cif)) == "0100000004"

    def test_the_page_in_indonesian(self, bank_defaults, client, auth, world):
        prospect = make_prospect(world.officer, nik=nik(12))
        auth.login("ao.budi")
        speak_indonesian(auth)
        data = {"cif": "12-34", "segment": "micro", "customer_type": "individual"}
        response = auth.post(f"/prospects/{prospect.id}/convert", data)
        assert response.status_code == 422
        assert CIF_RULE_ID in response.get_data(as_text=True)
        assert count(Customer) == 0


class TestListingImport:
    @pytest.fixture
    def load(self, tmp_path, world):
        L.catalogue()
        importer = L.Importer(tmp_path, world.admin)
        return lambda rows: importer.csv(rows, date(2026, 10, 31))

    def test_numbers_in_the_banks_format_load(self, bank_defaults, load, world):
        ao = world.officer.officer_code
        outcome = load(
            [line("0012345678901", "0000012345", ao), line("0012345678", "0000012345", ao)]
        )
        assert outcome.ok, outcome.errors
        assert L.customer("0000012345").name == "Debtor 0000012345"

    def test_other_shapes_are_row_errors_on_their_columns(self, bank_defaults, load, world):
        ao = world.officer.officer_code
        rows = [
            line("0013001", "CIF101", ao),
            line("0012345678", "12345", ao),
            line("00123456789", "0000054321", ao),
        ]
        outcome = load(rows)
        assert not outcome.ok
        assert [(e.row, e.column, e.value, e.message) for e in outcome.errors] == [
            (2, "account_no", "0013001", ACCOUNT_RULE),
            (2, "cif", "CIF101", CIF_RULE),
            (3, "cif", "12345", CIF_RULE),
        ]
        assert count(Customer) == 0

    def test_the_row_error_in_the_uploaders_language(self, bank_defaults, load, world):
        db.session.get(User, world.admin.id).locale = "id"
        db.session.commit()
        outcome = load([line("0012345678", "12345", world.officer.officer_code)])
        assert [e.message for e in outcome.errors] == [CIF_RULE_ID]

    def test_a_pattern_re2_cannot_read_is_checked_value_by_value(self, app, load, world):
        app.config["CIF_PATTERN"] = r"(?!000)\d{10}"  # a look-ahead: Python's re only
        ao = world.officer.officer_code
        outcome = load([line("A1", "0001234567", ao), line("A2", "1001234567", ao)])
        assert [(e.row, e.column) for e in outcome.errors] == [(2, "cif")]


class TestIdentityGaps:
    @pytest.mark.parametrize(
        "value",
        [
            "3201012902000001",  # 29 Feb (00: 2000 was a leap year)
            "3201016902960001",  # 29 Feb 1996, a woman (day + 40)
            "9401013112990001",  # province 94, 31 Dec
        ],
    )
    def test_real_birth_dates_pass(self, value):
        assert normalize_nik(value) == value

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("3201013102900001", "impossible date of birth"),  # 31 Feb
            ("3201012902010001", "impossible date of birth"),  # 29 Feb 2001
            ("3201017102900001", "impossible date of birth"),  # 31 Feb, a woman
            ("3201013104900001", "impossible date of birth"),  # 31 Apr
            ("9501011506900001", "province code"),
        ],
    )
    def test_impossible_ones_are_refused(self, value, reason):
        with pytest.raises(InvalidNumber, match=reason):
            normalize_nik(value)

    @pytest.mark.parametrize(
        ("value", "normal"),
        [("0812-3456-7890", "6281234567890"), ("021 555 1234", "62215551234")]
        + [("+62 274 512345", "62274512345"), ("0967 533 111", "62967533111")],
    )
    def test_mobiles_and_landlines(self, value, normal):
        assert normalize_phone(value) == normal

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("0112345678", "Not an Indonesian mobile"),
            ("0800 1234 567", "Not an Indonesian mobile"),
            ("0812 345 67", "A mobile number has 10 to 13 digits"),
        ],
    )
    def test_numbers_no_one_can_call_are_refused(self, value, reason):
        with pytest.raises(InvalidNumber, match=reason):
            normalize_phone(value)
