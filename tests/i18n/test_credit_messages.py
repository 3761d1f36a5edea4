"""Refusals of the credit and follow-up services in Indonesian: API error messages and their field
messages follow Accept-Language, the forms show Indonesian errors beside their fields; the notes
of suggested follow-ups are written in their owner's language; the daily command's summary."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.common.i18n import format_date
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.followups.suggestions import suggest_after_import, suggest_for_broken_promises
from tests.support import credit_visits as vh
from tests.support import followups as h
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.promises import make_promise, position

API = "/api/v1/followups"
ID = {"Accept-Language": "id"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def book(world):
    return h.debtor(world.officer, name="Warung Budi")


def _ptp(**changes) -> dict:
    data = {
        "outcome": "promised_to_pay",
        "promised_amount": "2500000",
        "promised_date": h.days(7).isoformat(),
    }
    data.update(changes)
    return data


class TestApi:
    def test_a_promise_beyond_90_days_is_refused_in_indonesian(self, app, api, world, book):
        row = h.followup(world.officer, facility=book[1])
        data = _ptp(promised_date=h.days(120).isoformat())
        response = api(world.officer).post(f"{API}/{row.id}/complete", json=data, headers=ID)
        assert response.status_code == 422
        assert response.json["message"] == "Periksa hasil tindak lanjut."
        with app.test_request_context():
            last = format_date(h.days(90), locale="id")
        assert response.json["errors"]["promised_date"] == [
            f"Tanggal janji bayar paling lama 90 hari dari hari ini (paling lambat {last})."
        ]

    def test_the_same_refusal_in_english(self, app, api, world, book):
        row = h.followup(world.officer, facility=book[1])
        data = _ptp(promised_date=h.days(120).isoformat(), promised_amount="0")
        response = api(world.officer).post(f"{API}/{row.id}/complete", json=data, headers=EN)
        assert response.status_code == 422
        assert response.json["message"] == "Check the outcome of the follow-up."
        with app.test_request_context():
            last = format_date(h.days(90), locale="en")
        errors = response.json["errors"]
        assert errors["promised_date"] == [f"The promised date must be within 90 days (by {last})."]
        assert errors["promised_amount"] == ["The promised amount must be more than zero."]

    def test_a_follow_up_completed_twice(self, api, world, book):
        row = h.followup(world.officer, customer=book[0])
        client = api(world.officer)
        url = f"{API}/{row.id}/complete"
        assert client.post(url, json={"outcome": "reached"}, headers=ID).status_code == 200
        again = client.post(url, json={"outcome": "reached"}, headers=ID)
        assert again.status_code == 409
        assert again.json["message"] == (
            "Tindak lanjut ini sudah selesai; hanya tindak lanjut yang direncanakan yang dapat "
            "diubah."
        )
        again = client.post(url, json={"outcome": "reached"}, headers=EN)
        assert again.json["message"] == (
            "This follow-up is already done; only a planned one changes."
        )

    def test_a_stale_version_and_a_reader(self, api, world, book):
        row = h.followup(world.officer, customer=book[0])
        response = api(world.officer).patch(
            f"{API}/{row.id}", json={"notes": "x", "version": 7}, headers=ID
        )
        assert response.status_code == 409
        assert response.json["message"].startswith("Tindak lanjut ini telah diubah oleh orang lain")
        response = api(world.supervisor).post(
            f"{API}/{row.id}/cancel", json={"reason": "x"}, headers=ID
        )
        assert response.status_code == 403
        assert response.json["message"] == (
            "Hanya AO pemilik tindak lanjut ini yang dapat mengubahnya."
        )

    def test_field_messages_of_the_schema_and_the_service(self, api, world, book):
        customer, facility = book
        client = api(world.officer)
        data = {
            "customer": customer.id,
            "channel": "call",
            "purpose": "relationship",
            "planned_date": h.days(1).isoformat(),
            "planned_time": "25:99",
        }
        response = client.post(API, json=data, headers=ID)
        assert response.status_code == 422
        assert response.json["errors"]["planned_time"] == ["Jam tidak valid (gunakan JJ:MM)."]
        data |= {"planned_time": "09:00", "planned_date": h.days(-1).isoformat()}
        response = client.post(API, json=data, headers=ID)
        assert response.status_code == 422
        assert response.json["message"] == "Periksa rincian tindak lanjut."
        assert response.json["errors"]["planned_date"] == [
            "Tanggal rencana tidak boleh di masa lalu."
        ]
        response = client.get(f"{API}?sort=owner", headers=ID)
        assert response.status_code == 422
        assert response.json["errors"]["sort"][0].startswith("Urutkan")

    def test_a_monitoring_visit_refused_in_indonesian(self, api, world, book):
        customer, _facility = book
        data = {
            "customer": customer.id,
            "risk_rating": "weak",
            "visit_date": h.days(-3).isoformat(),
            "next_visit_date": h.days(-5).isoformat(),
        }
        response = api(world.officer).post("/api/v1/monitoring-visits", json=data, headers=ID)
        assert response.status_code == 422
        assert response.json["message"] == "Periksa rincian kunjungan."
        assert response.json["errors"]["next_visit_date"] == [
            "Kunjungan berikutnya harus setelah kunjungan ini."
        ]
        colleague = api(world.colleague).post(
            "/api/v1/monitoring-visits", json=data | {"next_visit_date": None}, headers=ID
        )
        assert colleague.status_code in (403, 404)
        if colleague.status_code == 403:
            assert colleague.json["message"].startswith("Hanya AO")


def _after(page: str, field: str, message: str) -> bool:
    """The message follows the field's input, before the next field starts."""
    start = page.index(f'name="{field}"')
    found = page.find(message, start)
    following = page.find("<label", start)
    return found != -1 and (following == -1 or found < following)


class TestForms:
    def test_the_outcome_form_in_indonesian(self, client, auth, world, book):
        row = h.followup(world.officer, facility=book[1])
        auth.login("ao.budi")
        speak_indonesian(auth)
        data = _ptp(promised_date=h.days(120).isoformat(), notes="")
        data |= {"next_date": "", "next_time": "", "next_channel": "", "next_purpose": ""}
        response = auth.post(f"/followups/{row.id}/complete", data | {"next_notes": ""})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert _after(page, "promised_date", "Tanggal janji bayar paling lama 90 hari")
        assert english_leftovers(page) == []
        response = auth.post(
            f"/followups/{row.id}/complete", data | {"promised_date": "", "next_notes": "x"}
        )
        page = response.get_data(as_text=True)
        assert _after(page, "promised_date", "Isi tanggal nasabah berjanji membayar.")
        assert _after(page, "next_date", "Isi tanggal tindak lanjut berikutnya")
        assert h.reload(row).status == "planned"

    def test_the_reschedule_form_in_indonesian(self, client, auth, world, book):
        row = h.followup(world.officer, facility=book[1], suggestion="dpd_1_30")
        auth.login("ao.budi")
        speak_indonesian(auth)
        data = {"planned_date": h.days(-2).isoformat(), "planned_time": "", "reason": ""}
        response = auth.post(f"/followups/{row.id}/reschedule", data | {"version": "1"})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert _after(page, "planned_date", "Tanggal baru tidak boleh di masa lalu.")
        assert _after(page, "reason", "Sebutkan alasan Anda memindahkan tindak lanjut")
        assert english_leftovers(page) == []

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"to_kol": "4"}, "to_kol", "Kol 4 bukan perbaikan: fasilitas ini berada di Kol 4."),
            (
                {"justification": "pendek"},
                "justification",
                "Jelaskan alasan kenaikan Kol paling sedikit 10 karakter.",
            ),
            ({"justification": ""}, "justification", "Kolom ini wajib diisi."),
        ],
    )
    def test_the_upgrade_form_in_indonesian(self, client, auth, world, data, field, message):
        customer = make_customer(world.officer)
        fac = vh.facility(customer, restructured=True)
        vh.position(fac, date(2025, 3, 31), 0, facility_kol=4)
        auth.login("spv.jkt")
        speak_indonesian(auth)
        form = {"to_kol": "1", "justification": "Enam angsuran dibayar tepat waktu"} | data
        response = auth.post(f"/facilities/{fac.id}/upgrade", form)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and _after(page, field, message.split(":")[0])

    def test_a_visit_form_in_indonesian(self, client, auth, world, book):
        customer, _facility = book
        auth.login("ao.budi")
        speak_indonesian(auth)
        data = {
            "facility": "",
            "visit_date": h.days(3).isoformat(),
            "risk_rating": "weak",
            "next_visit_date": "",
            "collateral_value": "",
            "business_condition": "",
            "collateral_condition": "",
            "findings": "",
            "recommendations": "",
        }
        response = auth.post(f"/visits/new?customer={customer.id}", data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert _after(page, "visit_date", "Tanggal kunjungan tidak boleh di masa depan.")


AS_OF = date(2026, 10, 31)
WEDNESDAY = date(2026, 11, 4)


def _notes(locale: str) -> list[str]:
    """The suggestions' notes as a reader of `locale` sees them, sorted (the suggestions of one
    run are inserted set-based: their ids follow no order)."""
    db.session.expire_all()
    stmt = sa.select(FollowUp).where(FollowUp.suggestion.is_not(None)).order_by(FollowUp.id)
    with force_locale(locale):
        return sorted(row.shown_notes for row in db.session.scalars(stmt))


class TestSuggestionNotes:
    """Stored as a code and its parameters, shown in the reader's language, whoever wrote them."""

    def test_each_reader_sees_the_notes_in_their_language(self, world):
        h.user(world.officer).locale = "en"  # the owner's language no longer decides
        db.session.commit()
        for dpd in (1, 45):
            post_listing(AS_OF, [(make_facility(make_customer(world.officer)), dpd, "5000000")])
        suggest_after_import(AS_OF, today=WEDNESDAY)
        assert _notes("id") == sorted(
            [
                "Disarankan: tunggakan 1 hari pada daftar nominatif 31 Okt 2026.",
                "Disarankan: tunggakan 45 hari pada daftar nominatif 31 Okt 2026.",
            ]
        )
        assert _notes("en") == sorted(
            [
                "Suggested: 1 day past due on the Oct 31, 2026 listing.",
                "Suggested: 45 days past due on the Oct 31, 2026 listing.",
            ]
        )

    def test_a_broken_promise_note_in_indonesian(self, world):
        facility = make_facility(make_customer(world.officer), "PTP-ID")
        position(facility, date(2026, 9, 30), "10000000.00", 40)
        make_promise(facility, Decimal("3000000"), date(2026, 10, 5), date(2026, 10, 15))
        position(facility, AS_OF, "10000000.00", 40)
        assert suggest_for_broken_promises(today=date(2026, 10, 19)) == 1
        assert _notes("id") == sorted(
            ["Janji bayar Rp 3.000.000 paling lambat 15 Okt 2026 tidak ditepati."]
        )

    def test_the_officer_s_own_notes_follow_as_typed(self, world):
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 3, "5000000")])
        suggest_after_import(AS_OF, today=WEDNESDAY)
        row = db.session.scalar(sa.select(FollowUp))
        row.notes = "Sudah ditelepon, minta kunjungan."
        db.session.commit()
        assert _notes("id") == sorted(
            [
                "Disarankan: tunggakan 3 hari pada daftar nominatif 31 Okt 2026.\n"
                "Sudah ditelepon, minta kunjungan."
            ]
        )


def test_the_daily_command_speaks_the_bank_language(app, world, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "id")
    post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 10, "5000000")])
    result = runner.invoke(args=["followups", "suggest", "--today", "2026-11-04"])
    assert result.exit_code == 0, result.output
    assert "Daftar nominatif 2026-10-31: 1 tindak lanjut disarankan" in result.output
    assert "Janji bayar tidak ditepati: 0 telepon disarankan." in result.output
