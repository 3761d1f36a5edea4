"""The pages of prospects, customers, products, campaigns, complaints and the agenda in
Indonesian (no English left where a translation exists) and the same pages' English."""

from datetime import timedelta

import pytest

from aoapp.common.dates import bank_today
from aoapp.extensions import db
from tests.support import agenda
from tests.support.complaints import complaint as make_complaint
from tests.support.factories import make_campaign, make_customer, make_product, make_prospect
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.products import make_introduction


def _html(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def _indonesian(page: str, *words: str) -> None:
    assert english_leftovers(page) == []
    for word in words:
        assert word in page, word


@pytest.fixture
def cast(world):
    """A product, a campaign, a prospect, a customer with an introduction, a complaint and
    follow-ups of the officer ao.budi (JKT01)."""
    product = make_product("KMK", name="Kredit Modal Kerja")
    campaign = make_campaign("Pameran UMKM", cost=15000000)
    prospect = make_prospect(
        world.officer, name="Toko Sinar", campaign_id=campaign.id, status="contacted"
    )
    customer = make_customer(world.officer, name="Warung Makmur")
    make_introduction(world.officer, product, customer_id=customer.id, campaign_id=campaign.id)
    make_introduction(world.officer, product, prospect_id=prospect.id)
    complaint = make_complaint(customer)
    facility = agenda.debtor(world.officer, dpd=12, name="CV Lancar")
    agenda.followup(world.officer, facility=facility)
    agenda.followup(world.officer, customer=customer, planned_date=bank_today() - timedelta(1))
    agenda.followup(world.officer, prospect=prospect, planned_date=bank_today() + timedelta(2))
    agenda.complaint(customer, status="escalated", due_date=bank_today() - timedelta(1))
    db.session.commit()
    return {
        "product": product,
        "campaign": campaign,
        "prospect": prospect,
        "customer": customer,
        "complaint": complaint,
    }


def _as(auth, username: str) -> None:
    auth.login(username)
    speak_indonesian(auth)


class TestOfficerPagesInIndonesian:
    def test_prospects(self, client, auth, cast):
        _as(auth, "ao.budi")
        page = _html(client.get("/prospects/"))
        _indonesian(page, "Calon nasabah baru", "Ekspor CSV", "Sudah dihubungi", "Semua sumber")
        prospect = cast["prospect"]
        page = _html(client.get(f"/prospects/{prospect.id}"))
        _indonesian(page, "Ubah status", "Konversi menjadi nasabah", "Riwayat pipeline", "Cabang")
        page = _html(client.get("/prospects/new"))
        _indonesian(page, "Calon nasabah baru", "Perkiraan kebutuhan kredit (Rp)", "Pilih…")
        page = _html(client.get(f"/prospects/{prospect.id}/edit"))
        _indonesian(page, "Ubah calon nasabah", "Simpan", "Batal")

    def test_a_prospect_form_with_errors(self, client, auth, cast):
        _as(auth, "ao.budi")
        response = auth.post("/prospects/new", {"name": "", "phone": "12", "source": ""})
        page = _html(response, 422)
        _indonesian(page, "Calon nasabah baru")
        prospect = cast["prospect"]
        response = auth.post(
            f"/prospects/{prospect.id}/status", {"status": "lost", "lost_reason": ""}
        )
        assert response.status_code in (409, 422)
        _indonesian(_html(response, response.status_code), "Alasan wajib diisi")

    def test_the_prospect_export_follows_the_language(self, client, auth, cast):
        _as(auth, "ao.budi")
        csv = client.get("/prospects/export.csv").get_data(as_text=True)
        header = csv.splitlines()[0]
        assert "Nama" in header and "Perkiraan kebutuhan kredit" in header

    def test_customers(self, client, auth, cast):
        _as(auth, "ao.budi")
        page = _html(client.get("/customers/"))
        _indonesian(page, "Nasabah baru", "Perorangan", "Mikro", "Debitur per")
        customer = cast["customer"]
        page = _html(client.get(f"/customers/{customer.id}"))
        _indonesian(
            page, "Produk yang dimiliki", "Penjualan silang", "Catat pengenalan produk", "Keluhan"
        )
        page = _html(client.get("/customers/new"))
        _indonesian(page, "Nasabah baru", "Nomor CIF", "— pilih —")
        page = _html(client.get(f"/customers/{customer.id}/edit"))
        _indonesian(page, "Ubah Warung Makmur", "Nasabah sejak")

    def test_a_customer_form_with_errors(self, client, auth, cast):
        _as(auth, "ao.budi")
        data = {"cif": "", "name": "", "customer_type": "company", "segment": ""}
        page = _html(auth.post("/customers/new", data), 422)
        _indonesian(page, "Nasabah baru", "Kolom ini wajib diisi.")

    def test_products_and_introductions(self, client, auth, cast):
        _as(auth, "ao.budi")
        page = _html(client.get("/products/"))
        _indonesian(page, "Produk", "Kode atau nama", "Modal kerja")
        page = _html(client.get("/products/introductions/"))
        _indonesian(page, "Pengenalan produk", "Berminat", "Semua hasil")
        customer = cast["customer"]
        page = _html(client.get(f"/products/introductions/new?customer={customer.id}"))
        _indonesian(page, "Catat pengenalan produk", "Yang dijelaskan", "nasabah, CIF")
        data = {"product": "", "place": "", "outcome": "", "introduced_on": "2999-01-01"}
        response = auth.post(f"/products/introductions/new?customer={customer.id}", data)
        _indonesian(_html(response, 422), "Catat pengenalan produk")

    def test_campaigns(self, client, auth, cast):
        _as(auth, "ao.budi")
        page = _html(client.get("/campaigns/"))
        _indonesian(page, "Kampanye pemasaran", "Semua saluran", "Acara")
        page = _html(client.get(f"/campaigns/{cast['campaign'].id}"))
        _indonesian(page, "Tingkat konversi", "Calon nasabah per status", "Hasil")
        assert 'data-series-label="Calon nasabah"' in page

    def test_complaints(self, client, auth, cast):
        _as(auth, "ao.budi")
        page = _html(client.get("/complaints/"))
        _indonesian(page, "Keluhan", "Masih ditangani", "Tagihan")
        page = _html(client.get(f"/complaints/{cast['complaint'].id}"))
        _indonesian(page, "Kronologi", "Langkah berikutnya", "Mulai tangani", "Diterima")
        customer = cast["customer"]
        page = _html(client.get(f"/complaints/new?customer_id={customer.id}"))
        _indonesian(page, "Catat keluhan", "Diterima melalui", "Batas waktu")
        data = {"channel": "", "category": "", "description": ""}
        response = auth.post(f"/complaints/new?customer_id={customer.id}", data)
        _indonesian(_html(response, 422), "Catat keluhan", "Kolom ini wajib diisi.")

    def test_agenda_and_calendar(self, client, auth, cast):
        _as(auth, "ao.budi")
        page = _html(client.get("/agenda/"))
        _indonesian(page, "Agenda saya", "Terlambat", "Hari ini", "7 hari ke depan", "Telepon")
        page = _html(client.get("/agenda/calendar"))
        _indonesian(page, "Umpan kalender", "Buat alamat kalender", "Kembali ke agenda saya")


class TestSupervisorPagesInIndonesian:
    def test_lists_details_and_team_agenda(self, client, auth, cast):
        _as(auth, "spv.jkt")
        _indonesian(_html(client.get("/prospects/")), "Semua AO")
        page = _html(client.get(f"/prospects/{cast['prospect'].id}"))
        _indonesian(page, "Riwayat audit")
        page = _html(client.get(f"/customers/{cast['customer'].id}"))
        _indonesian(page, "Alihkan", "Perubahan ini diaudit.")
        _indonesian(_html(client.get("/customers/")), "Nasabah")
        _indonesian(_html(client.get("/products/introductions/")), "Semua AO")
        _indonesian(_html(client.get("/campaigns/")), "Kampanye baru")
        _indonesian(
            _html(client.get("/campaigns/new")), "Kampanye baru", "Produk yang dipromosikan"
        )
        page = _html(client.get(f"/campaigns/{cast['campaign'].id}/edit"))
        _indonesian(page, "Ubah kampanye")
        page = _html(client.get("/complaints/"))
        _indonesian(page, "Keluhan yang dieskalasi ditampilkan lebih dahulu.")
        page = _html(client.get("/agenda/team"))
        _indonesian(page, "Agenda tim", "Eskalasi menunggu", "Janji bayar ingkar")

    def test_a_campaign_form_with_errors(self, client, auth, cast, world):
        _as(auth, "spv.jkt")
        data = {"name": "Baru", "channel": "event", "branches": [str(world.jkt.id)]}
        data.update(starts_on="2026-10-02", ends_on="2026-10-01")
        page = _html(auth.post("/campaigns/new", data), 422)
        _indonesian(page, "Kampanye tidak dapat berakhir sebelum dimulai.")


class TestAdminPagesInIndonesian:
    def test_product_catalogue(self, client, auth, cast):
        _as(auth, "admin")
        _indonesian(_html(client.get("/products/")), "Produk baru", "Tampilkan yang tidak aktif")
        _indonesian(_html(client.get("/products/new")), "Produk baru", "Subjenis kredit")
        data = {"code": "", "name": "", "kind": "credit", "credit_subtype": ""}
        _indonesian(_html(auth.post("/products/new", data), 422), "Produk baru")


class TestEnglishStaysEnglish:
    def test_pages_and_export(self, client, auth, cast):
        auth.login("ao.budi")
        assert "New prospect" in _html(client.get("/prospects/"))
        assert "Products held" in _html(client.get(f"/customers/{cast['customer'].id}"))
        assert "My agenda" in _html(client.get("/agenda/"))
        header = client.get("/prospects/export.csv").get_data(as_text=True).splitlines()[0]
        assert "Estimated credit need" in header

    def test_the_calendar_feed_speaks_the_officers_language(self, app, cast, world):
        from aoapp.agenda import feeds

        officer = db.session.get(type(world.officer), world.officer.id)
        officer.locale = "id"
        db.session.commit()
        with app.test_request_context("/"):
            body = feeds.build_calendar(officer, "aoapp", lambda id_: f"/f/{id_}").decode()
        assert "Telepon: " in body and "Tindak lanjut · " in body
