"""Personal API tokens: bearer authentication, shown once, stored as a hash, revocable."""

import hashlib
import re

import pytest
import sqlalchemy as sa

from aoapp.auth import services, tokens
from aoapp.auth.models import ApiToken
from aoapp.extensions import db
from tests.support import factories

ME = "/api/v1/users/me"
TOKEN_RE = re.compile(r'id="new-token"[^>]*>(aoapp_[^<]+)<')


def _assert_json_401(response):
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    body = response.json
    assert {"code", "status", "message"} <= set(body)
    assert body["code"] == 401
    assert "<html" not in response.get_data(as_text=True).lower()
    # RFC 6750: the challenge names the scheme; a refused bearer token says so.
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="aoapp"')
    return challenge


class TestBearerAuthentication:
    def test_a_valid_token_authenticates(self, api, world):
        response = api(world.officer).get(ME)
        assert response.status_code == 200
        assert response.json == {
            "id": world.officer.id,
            "username": "ao.budi",
            "full_name": "Ao.Budi",
            "role": "officer",
            "branch": "JKT01",
            "officer_code": world.officer.officer_code,
            "supervises": [],
            "email": None,
            "digest_time": "07:00",
            "language": "en",
        }

    def test_supervisor_sees_supervised_branches(self, api, world):
        assert api(world.supervisor).get(ME).json["supervises"] == ["JKT01"]

    @pytest.mark.parametrize(
        "header",
        [
            None,
            "Bearer",
            "Bearer aoapp_not-a-real-token",
            "Bearer garbage",
            "Basic YW8uYnVkaTpwYXNzd29yZA==",
            "Token {token}",
        ],
    )
    def test_missing_or_garbage_token_is_a_json_401(self, client, world, header):
        token = factories.make_token(world.officer)
        headers = {"Authorization": header.format(token=token)} if header else {}
        challenge = _assert_json_401(client.get(ME, headers=headers))
        refused = bool(header) and header.startswith("Bearer")
        assert ('error="invalid_token"' in challenge) is refused

    def test_a_revoked_token_is_a_json_401(self, client, world):
        token_row, token = tokens.create_token(world.officer, "laptop")
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get(ME, headers=headers).status_code == 200
        tokens.revoke_token(world.officer, token_row.id)
        _assert_json_401(client.get(ME, headers=headers))

    def test_a_deactivated_users_token_is_a_json_401(self, client, world):
        token = factories.make_token(world.officer)
        services.update_user(world.officer, world.admin, active=False)
        _assert_json_401(client.get(ME, headers={"Authorization": f"Bearer {token}"}))

    def test_the_session_cookie_alone_does_not_authenticate_the_api(self, client, auth, world):
        assert auth.login("ao.budi").status_code == 302
        assert client.get("/profile").status_code == 200  # logged in for the pages
        _assert_json_401(client.get(ME))

    def test_using_a_token_records_when(self, api, world):
        api(world.officer).get(ME)
        db.session.expire_all()
        assert db.session.scalar(sa.select(ApiToken.last_used_at)) is not None


class TestTokensInTheProfile:
    def _create(self, auth, client, name="laptop"):
        response = auth.post("/profile/tokens", {"name": name})
        assert response.status_code == 200
        return TOKEN_RE.search(response.get_data(as_text=True)).group(1)

    def test_token_is_shown_once_then_only_its_prefix(self, client, auth, world):
        auth.login("ao.budi")
        token = self._create(auth, client)
        page = client.get("/profile").get_data(as_text=True)
        assert token not in page
        assert token[:12] in page
        assert "laptop" in page

    def test_only_the_sha256_hash_is_stored(self, client, auth, world):
        auth.login("ao.budi")
        token = self._create(auth, client)
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT * FROM api_tokens")).all()
        assert len(rows) == 1
        assert all(token not in str(value) for value in rows[0])
        assert rows[0]._mapping["token_hash"] == hashlib.sha256(token.encode()).hexdigest()

    def test_the_created_token_authenticates(self, client, auth, world):
        auth.login("ao.budi")
        token = self._create(auth, client)
        other = client.application.test_client()
        response = other.get(ME, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json["username"] == "ao.budi"

    def test_a_token_needs_a_label(self, client, auth, world):
        auth.login("ao.budi")
        response = auth.post("/profile/tokens", {"name": ""})
        assert response.status_code == 422
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0

    def test_revoking_from_the_profile_makes_the_token_401(self, client, auth, world):
        auth.login("ao.budi")
        token = self._create(auth, client)
        headers = {"Authorization": f"Bearer {token}"}
        api_client = client.application.test_client()
        assert api_client.get(ME, headers=headers).status_code == 200
        token_id = db.session.scalar(sa.select(ApiToken.id))
        response = auth.post(f"/profile/tokens/{token_id}/revoke")
        assert response.status_code == 302
        _assert_json_401(api_client.get(ME, headers=headers))
        assert "revoked" in client.get("/profile").get_data(as_text=True)

    def test_revoking_needs_the_csrf_token(self, client, auth, world):
        auth.login("ao.budi")
        self._create(auth, client)
        token_id = db.session.scalar(sa.select(ApiToken.id))
        assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 400
        db.session.expire_all()
        assert db.session.get(ApiToken, token_id).revoked_at is None

    def test_a_user_cannot_revoke_another_users_token(self, client, auth, world):
        token_row, token = tokens.create_token(world.colleague, "sari's phone")
        auth.login("ao.budi")
        response = auth.post(f"/profile/tokens/{token_row.id}/revoke")
        assert response.status_code == 404
        db.session.expire_all()
        assert db.session.get(ApiToken, token_row.id).revoked_at is None
        assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200

    def test_another_users_tokens_are_not_listed(self, client, auth, world):
        tokens.create_token(world.colleague, "sari-secret-label")
        auth.login("ao.budi")
        assert "sari-secret-label" not in client.get("/profile").get_data(as_text=True)
