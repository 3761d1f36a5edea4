"""Implausible promises to pay: above what the facility owes (outstanding + interest arrears on
its latest position) refused; above its arrears (principal + interest) saved only when confirmed.
The same rule through the service, the API and the page, in English and Indonesian."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.common.i18n import format_date
from aoapp.errors import InvalidInput, Unconfirmed
from aoapp.extensions import db
from aoapp.followups import services
from aoapp.followups.models import PromiseToPay
from tests.support import followups as h
from tests.support.credit import post_listing
from tests.support.i18n import speak_indonesian

API = "/api/v1/followups"
ID = {"Accept-Language": "id"}
EN = {"Accept-Language": "en"}
# The KUR of the issue: Rp 60 jt outstanding, Rp 3,79 jt in arrears (2,5 jt principal, 1,29 jt
# interest): a promise up to Rp 3.790.000 is ordinary, up to Rp 61.290.000 possible, above it not.
ARREARS = Decimal("3790000")
CEILING = Decimal("61290000")


@pytest.fixture
def kur(world):
    """ao.budi's KUR debtor with its latest position five days ago, and an older one."""
    _customer, facility = h.debtor(world.officer, name="Warung Bu Sri")
    post_listing(
        h.days(-35), [(facility, 60, "61000000")], arrears={facility.id: ("9000000", "2000000")}
    )
    post_listing(
        h.days(-5), [(facility, 40, "60000000")], arrears={facility.id: ("2500000", "1290000")}
    )
    return facility


@pytest.fixture
def call(world, kur):
    """A planned collection call about the KUR."""
    return h.followup(world.officer, facility=kur)


def complete(world, call, amount, **values):
    data = {"outcome": "promised_to_pay", "promised_amount": Decimal(amount)}
    data["promised_date"] = h.days(7)
    data.update(values)
    return services.complete(h.user(world.officer), call, data)


def promises() -> list[Decimal]:
    return list(db.session.scalars(sa.select(PromiseToPay.promised_amount)))


class TestTheRule:
    @pytest.mark.parametrize("amount", ["1", str(ARREARS)])
    def test_up_to_the_arrears_is_saved_without_a_question(self, world, call, amount):
        complete(world, call, amount)
        assert promises() == [Decimal(amount)]

    @pytest.mark.parametrize("amount", [str(ARREARS + Decimal("0.01")), "5000000", str(CEILING)])
    def test_above_the_arrears_asks_for_confirmation(self, world, call, amount):
        with pytest.raises(Unconfirmed) as refusal:
            complete(world, call, amount)
        assert list(refusal.value.errors) == ["confirm_amount"]
        assert h.reload(call).status == "planned" and promises() == []
        complete(world, h.reload(call), amount, confirm_amount=True)
        assert promises() == [Decimal(amount)]

    @pytest.mark.parametrize("amount", [str(CEILING + Decimal("0.01")), "900000000"])
    def test_above_outstanding_plus_interest_arrears_is_refused_even_confirmed(
        self, world, call, amount
    ):
        with pytest.raises(InvalidInput) as refusal:
            complete(world, call, amount, confirm_amount=True)
        assert not isinstance(refusal.value, Unconfirmed)
        assert "at most IDR 61,290,000" in refusal.value.errors["promised_amount"][0]
        assert promises() == []

    def test_the_latest_position_decides(self, world, call, kur):
        # The older listing had Rp 11 jt in arrears: Rp 10 jt is above today's Rp 3,79 jt.
        with pytest.raises(Unconfirmed):
            complete(world, call, "10000000")

    def test_without_any_position_there_is_nothing_to_measure_against(self, world):
        _customer, facility = h.debtor(world.officer, name="Toko Baru")
        complete(world, h.followup(world.officer, facility=facility), "900000000")
        assert promises() == [Decimal("900000000")]


class TestApi:
    def url(self, call) -> str:
        return f"{API}/{call.id}/complete"

    def body(self, amount, **changes) -> dict:
        data = {
            "outcome": "promised_to_pay",
            "promised_amount": amount,
            "promised_date": h.days(7).isoformat(),
        }
        data.update(changes)
        return data

    def test_the_900_million_promise_is_refused_naming_the_ceiling(self, app, api, world, call):
        response = api(world.officer).post(self.url(call), json=self.body("900000000"), headers=EN)
        assert response.status_code == 422
        with app.test_request_context():
            day = format_date(h.days(-5), locale="en")
        assert response.json["errors"]["promised_amount"] == [
            "The promise cannot be more than the facility owes: at most IDR 61,290,000 "
            f"(outstanding plus interest arrears on {day})."
        ]
        assert promises() == []

    def test_the_same_refusal_in_indonesian(self, app, api, world, call):
        response = api(world.officer).post(self.url(call), json=self.body("900000000"), headers=ID)
        assert response.status_code == 422
        with app.test_request_context():
            day = format_date(h.days(-5), locale="id")
        assert response.json["errors"]["promised_amount"] == [
            "Janji bayar tidak boleh melebihi kewajiban fasilitas: paling banyak Rp 61.290.000 "
            f"(baki debet ditambah tunggakan bunga per {day})."
        ]

    def test_above_the_arrears_needs_confirm_amount_true(self, app, api, world, call):
        client = api(world.officer)
        response = client.post(self.url(call), json=self.body("5000000"), headers=EN)
        assert response.status_code == 422
        assert response.json["error"] == "confirmation_required"
        assert "more than the arrears of IDR 3,790,000" in response.json["message"]
        assert list(response.json["errors"]) == ["confirm_amount"]
        response = client.post(
            self.url(call), json=self.body("5000000", confirm_amount=False), headers=EN
        )
        assert response.status_code == 422 and promises() == []
        response = client.post(self.url(call), json=self.body("5000000", confirm_amount=True))
        assert response.status_code == 200, response.json
        assert response.json["promise"]["promised_amount"] == "5000000.00"

    def test_the_question_in_indonesian(self, api, world, call):
        response = api(world.officer).post(self.url(call), json=self.body("5000000"), headers=ID)
        assert response.status_code == 422
        message = response.json["errors"]["confirm_amount"][0]
        assert message.startswith("Rp 5.000.000 melebihi tunggakan sebesar Rp 3.790.000")
        assert "Konfirmasikan jumlahnya" in message


def form(amount, **changes) -> dict:
    data = {
        "outcome": "promised_to_pay",
        "notes": "Will pay after harvest",
        "promised_amount": amount,
        "promised_date": h.days(7).isoformat(),
        "next_date": "",
        "next_time": "",
        "next_channel": "",
        "next_purpose": "",
        "next_notes": "",
        "confirm_amount": "",
    }
    data.update(changes)
    return data


class TestPage:
    def test_the_form_carries_an_empty_confirmation(self, client, auth, world, call):
        auth.login("ao.budi")
        page = client.get(f"/followups/{call.id}/complete").get_data(as_text=True)
        assert re.search(r'<input[^>]*name="confirm_amount" type="hidden" value=""', page)
        assert 'type="checkbox" name="confirm_amount"' not in page

    def test_above_the_ceiling_the_field_says_so(self, client, auth, world, call):
        auth.login("ao.budi")
        response = auth.post(f"/followups/{call.id}/complete", form("900.000.000"))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        start = page.index('name="promised_amount"')
        assert page.find("at most IDR 61,290,000", start) > start
        assert 'type="checkbox" name="confirm_amount"' not in page and promises() == []

    def test_above_the_arrears_the_page_asks_then_saves_when_confirmed(
        self, client, auth, world, call
    ):
        auth.login("ao.budi")
        response = auth.post(f"/followups/{call.id}/complete", form("5.000.000"))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert 'id="confirm-amount"' in page and "more than the arrears of IDR 3,790,000" in page
        assert 'type="checkbox" name="confirm_amount" value="y"' in page
        assert "Yes, the customer promised this amount" in page
        assert promises() == [] and h.reload(call).status == "planned"
        response = auth.post(
            f"/followups/{call.id}/complete", form("5.000.000", confirm_amount="y")
        )
        assert response.status_code == 302
        assert promises() == [Decimal("5000000")]

    def test_the_question_in_indonesian(self, client, auth, world, call):
        auth.login("ao.budi")
        speak_indonesian(auth)
        response = auth.post(f"/followups/{call.id}/complete", form("5.000.000"))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Rp 5.000.000 melebihi tunggakan sebesar Rp 3.790.000" in page
        assert "Ya, nasabah menjanjikan jumlah ini" in page
        response = auth.post(f"/followups/{call.id}/complete", form("900.000.000"))
        assert "paling banyak Rp 61.290.000" in response.get_data(as_text=True)
