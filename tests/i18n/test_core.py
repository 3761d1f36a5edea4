"""The core pages (login, profile, admin, audit, imports, errors) and the API's error messages
in Indonesian and English."""

import re

import pytest

from aoapp.audit import services as audit
from aoapp.extensions import db
from tests.support.factories import make_prospect
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.listing_uploads import (
    AS_OF,
    bad_rows,
    credit_products,
    upload_field,
    write_listing,
)


def _html(response) -> str:
    assert response.status_code in (200, 404, 422), response.status_code
    return response.get_data(as_text=True)


def _indonesian(page: str, *words: str) -> None:
    assert english_leftovers(page) == []
    for word in words:
        assert word in page, word


@pytest.fixture
def admin_id(world, auth):
    credit_products()
    auth.login("admin")
    speak_indonesian(auth)
    return world.admin


class TestPagesInIndonesian:
    def test_login_page_before_login(self, client):
        page = _html(client.get("/login"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/language", data={"locale": "id", "next": "/login", "csrf_token": token})
        page = _html(client.get("/login"))
        _indonesian(page, "Masuk", "Nama pengguna", "Kata sandi", 'aria-label="Bahasa"')
        assert ">ID</button>" in page and ">EN</button>" in page

    def test_profile_and_header(self, client, auth, world):
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = _html(client.get("/profile"))
        _indonesian(page, "Ubah kata sandi", "Token API", "Belum ada token.", "Keluar", "Dasbor")
        assert "Tindak lanjut" in page and "Calon nasabah" in page and "Portofolio" in page

    def test_admin_pages(self, client, auth, admin_id, world):
        page = _html(client.get("/admin/users"))
        _indonesian(page, "Pengguna baru", "Semua peran", "Terakhir masuk", "Penyelia")
        page = _html(client.get(f"/admin/users/{world.officer.id}"))
        _indonesian(page, "Setel ulang kata sandi", "Nonaktifkan", "Kode pejabat (AO)")
        page = _html(client.get("/admin/users/new"))
        _indonesian(page, "Buat pengguna", "Kata sandi awal")
        page = _html(client.get("/admin/branches"))
        _indonesian(page, "Cabang baru", "AO aktif", "Buat cabang")
        page = _html(client.get("/audit/"))
        _indonesian(page, "Log audit", "Jenis data", "Diubah oleh")

    def test_audit_history(self, client, auth, world):
        prospect = make_prospect(world.officer)
        audit.record(world.officer, prospect, "create", None, audit.snapshot(prospect))
        db.session.commit()
        auth.login("spv.jkt")
        speak_indonesian(auth)
        page = _html(client.get(f"/audit/prospect/{prospect.id}"))
        _indonesian(page, "Riwayat", "Buat", "oleh", "Sesudah")

    def test_imports_pages(self, client, auth, admin_id, world, tmp_path):
        _indonesian(_html(client.get("/imports/")), "Impor daftar nominatif", "Belum ada impor.")
        page = _html(client.get("/imports/new"))
        _indonesian(page, "Unggah dan pratinjau", "Tanggal posisi daftar nominatif.")
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto"}
        data["date_format"] = "auto"
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert response.status_code == 302
        page = _html(client.get(response.headers["Location"]))
        _indonesian(
            page, "Pratinjau: bad.csv", "Kesalahan baris", "Unggah berkas yang sudah diperbaiki"
        )
        token = re.search(r'name="token"[^>]*value="([^"]+)"', page)
        token = token or re.search(r'value="([^"]+)"[^>]*name="token"', page)
        response = auth.post("/imports/confirm", {"token": token.group(1)})
        page = _html(client.get(response.headers["Location"]))
        _indonesian(page, "Kesalahan baris", "Ditolak", "Masalah")
        assert "kesalahan" in _html(client.get("/imports/"))

    def test_an_error_page(self, client, auth, world):
        auth.login("ao.budi")
        speak_indonesian(auth)
        response = client.get("/no/such/page")
        assert response.status_code == 404
        _indonesian(_html(response), "Tidak ditemukan", "Kembali ke halaman awal")

    def test_english_stays_english(self, client, auth, world):
        auth.login("admin")
        page = _html(client.get("/admin/users"))
        assert "New user" in page and "All roles" in page and "Log out" in page


BAD_PROSPECT = {"name": "", "phone": "12", "estimated_amount": 1.5, "bogus": 1}


class TestApiErrors:
    @pytest.mark.parametrize(
        ("language", "not_found", "required", "unknown"),
        [
            ("id", "Tidak ditemukan.", "Kolom ini wajib diisi.", "Kolom tidak dikenal."),
            ("en", "Not found.", "This field is required.", "Unknown field."),
        ],
    )
    def test_messages_follow_accept_language(
        self, api, world, language, not_found, required, unknown
    ):
        client = api(world.officer)
        headers = {"Accept-Language": language}
        response = client.get("/api/v1/prospects/999999", headers=headers)
        body = response.get_json()
        assert response.status_code == 404
        assert (body["code"], body["status"], body["message"]) == (404, "Not Found", not_found)

        response = client.post("/api/v1/prospects", json=BAD_PROSPECT, headers=headers)
        body = response.get_json()
        assert response.status_code == 422 and body["code"] == 422
        assert body["status"] == "Unprocessable Entity"
        assert body["errors"]["name"] == [required]
        assert body["errors"]["bogus"] == [unknown]
        if language == "id":
            assert body["message"].startswith("Permintaan tidak dapat diproses")
            assert "Nomor telepon" in body["errors"]["phone"][0]
        else:
            assert body["message"].startswith("The request was well-formed")
            assert "Phone number" in body["errors"]["phone"][0]

    @pytest.mark.parametrize(
        ("language", "start"), [("id", "Autentikasi diperlukan"), ("en", "Authentication required")]
    )
    def test_401(self, client, world, language, start):
        response = client.get("/api/v1/prospects", headers={"Accept-Language": language})
        body = response.get_json()
        assert response.status_code == 401 and body["code"] == 401
        assert body["status"] == "Unauthorized" and body["message"].startswith(start)

    def test_unknown_api_path(self, api, world):
        response = api(world.officer).get("/api/v1/nothing", headers={"Accept-Language": "id"})
        assert response.status_code == 404
        assert response.get_json()["message"].startswith("URL yang diminta tidak ditemukan")
