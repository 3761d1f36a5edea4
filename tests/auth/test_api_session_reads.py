"""The pages' scripts read the API with the session cookie; nothing else the cookie can do there."""

import pytest

PAGE_SCRIPT = {"X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def logged_in(client, auth, world):
    auth.login("ao.budi")
    return client


class TestSessionCookieOnTheApi:
    def test_a_page_script_reads_with_the_cookie(self, logged_in):
        response = logged_in.get("/api/v1/users/me", headers=PAGE_SCRIPT)
        assert response.status_code == 200
        assert response.get_json()["username"] == "ao.budi"

    def test_without_the_header_the_cookie_is_not_enough(self, logged_in):
        assert logged_in.get("/api/v1/users/me").status_code == 401

    def test_a_cross_site_request_is_refused_even_with_the_header(self, logged_in):
        headers = {**PAGE_SCRIPT, "Sec-Fetch-Site": "cross-site"}
        assert logged_in.get("/api/v1/users/me", headers=headers).status_code == 401

    def test_the_cookie_never_writes(self, logged_in):
        response = logged_in.post("/api/v1/prospects", json={"name": "X"}, headers=PAGE_SCRIPT)
        assert response.status_code == 401

    def test_after_logout_the_cookie_reads_nothing(self, logged_in, auth):
        auth.logout()
        assert logged_in.get("/api/v1/users/me", headers=PAGE_SCRIPT).status_code == 401
