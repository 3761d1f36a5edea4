"""One identifier rule for CIF and account numbers at every entrance (issue 19, point 8): whatever
pattern the bank sets, a value shaped like a path (`..`, `/`, `\\`, a leading dot) or holding a
control character is refused by the customer form and API, the conversion of a prospect and a
held product's account, as the listing import refuses it (tests/imports/test_hostile_input.py)."""

import pytest
import sqlalchemy as sa

from aoapp.common.identity import InvalidNumber, identifier_problem, normalize_cif
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from tests.support.customers import api_data, form_data
from tests.support.factories import make_customer, make_product, make_prospect, nik
from tests.support.i18n import speak_indonesian

CIF_SHAPE = (
    "CIF may hold only letters, digits, dots, dashes and underscores, and must start with a "
    "letter or digit."
)
CIF_SHAPE_ID = (
    "CIF hanya boleh berisi huruf, angka, titik, tanda hubung, dan garis bawah, serta harus "
    "diawali huruf atau angka."
)
ACCOUNT_SHAPE = (
    "Account number may hold only letters, digits, dots, dashes and underscores, and must start "
    "with a letter or digit."
)
PATH_LIKE = ["..", "../TRV002", "TRV/../../003", ".hidden", "TRV\\004", "TRV\x00005", "A B"]


@pytest.fixture
def anything_goes(app):
    """A bank pattern that lets anything through: the identifier rule still holds."""
    app.config["CIF_PATTERN"] = app.config["ACCOUNT_PATTERN"] = r"^.+$"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


class TestTheRule:
    @pytest.mark.parametrize("value", PATH_LIKE)
    def test_path_like_values_are_refused_whatever_the_pattern(self, anything_goes, value):
        with pytest.raises(InvalidNumber, match="may hold only letters"):
            normalize_cif(value)
        assert identifier_problem("account", value) == ACCOUNT_SHAPE

    @pytest.mark.parametrize("value", ["0012345678", "TRV-002", "JK.001_2", "a1"])
    def test_plain_identifiers_pass(self, anything_goes, value):
        assert normalize_cif(f"  {value} ") == value

    def test_the_banks_own_message_comes_first(self, app):
        app.config["CIF_PATTERN"] = r"^\d{10}$"
        assert identifier_problem("cif", "..") == (
            "CIF must be exactly 10 digits (leading zeros kept)."
        )

    def test_digits_of_other_scripts_are_not_the_banks_digits(self, app):
        app.config["CIF_PATTERN"] = r"^\d{10}$"  # Python's \d reads ٠١٢…; the rule is ASCII
        assert identifier_problem("cif", "٠١٢٣٤٥٦٧٨٩") == CIF_SHAPE


class TestEntrances:
    @pytest.mark.parametrize("cif", ["..", "../TRV002", "TRV/../../003"])
    def test_the_customers_api(self, anything_goes, api, world, cif):
        response = api(world.officer).post("/api/v1/customers", json=api_data(cif=cif))
        assert response.status_code == 422
        assert response.json["errors"]["cif"] == [CIF_SHAPE]
        assert count(Customer) == 0

    def test_the_customer_forms_in_both_languages(self, anything_goes, client, auth, world):
        auth.login("ao.budi")
        response = auth.post("/customers/new", form_data(cif="../TRV002"))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert page.find(CIF_SHAPE, page.index('name="cif"')) > 0
        customer = make_customer(world.officer, cif="TRV002")
        speak_indonesian(auth)
        data = form_data(cif="TRV/../../003", version=str(customer.version))
        response = auth.post(f"/customers/{customer.id}/edit", data)
        assert response.status_code == 422
        assert CIF_SHAPE_ID in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(Customer.cif)) == "TRV002"

    def test_converting_a_prospect(self, anything_goes, api, world):
        prospect = make_prospect(world.officer, nik=nik(21))
        url = f"/api/v1/prospects/{prospect.id}/convert"
        response = api(world.officer).post(url, json={"cif": "..", "segment": "small"})
        assert response.status_code == 422
        assert response.json["errors"]["cif"] == [CIF_SHAPE]
        assert count(Customer) == 0

    def test_a_held_products_account_number(self, anything_goes, client, auth, world):
        customer = make_customer(world.officer, cif="TRV005")
        make_product("MBANKING", kind="service", subtype=None)
        auth.login("ao.budi")
        url = f"/customers/{customer.id}/holdings"
        response = auth.post(url, {"product": "MBANKING", "account_no": "../005", "opened_on": ""})
        assert response.status_code == 422
        assert ACCOUNT_SHAPE in response.get_data(as_text=True)
        assert count(ProductHolding) == 0
