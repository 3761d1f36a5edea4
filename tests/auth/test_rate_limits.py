"""Rate limits per client address on login, token creation and failed API authentication."""

import pytest

from aoapp.extensions import limiter

ME = "/api/v1/users/me"


@pytest.fixture
def limits(app):
    """Switch the rate limits on (they are off for the rest of the suite) with small budgets."""
    saved = {
        key: app.config[key]
        for key in ("LOGIN_RATE_LIMIT", "TOKEN_RATE_LIMIT", "API_AUTH_FAILURE_LIMIT")
    }
    app.config.update(
        LOGIN_RATE_LIMIT="3 per minute",
        TOKEN_RATE_LIMIT="2 per hour",
        API_AUTH_FAILURE_LIMIT="4 per minute",
    )
    limiter.reset()
    limiter.enabled = True
    yield
    limiter.enabled = False
    limiter.reset()
    app.config.update(saved)


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


class TestLoginRateLimit:
    def test_the_fourth_login_attempt_in_a_minute_is_refused_with_429(
        self, client, auth, world, limits
    ):
        for _ in range(3):
            assert auth.login("ao.budi", "wrong-password").status_code == 401
        response = auth.login("ao.budi")  # even the right password waits
        assert response.status_code == 429
        assert "Too many requests" in response.get_data(as_text=True)
        assert response.headers["Retry-After"]

    def test_spraying_many_accounts_is_limited_too(self, client, auth, world, limits):
        for username in ("ao.budi", "ao.sari", "ao.dewi"):
            auth.login(username, "wrong-password")
        assert auth.login("spv.jkt", "wrong-password").status_code == 429

    def test_showing_the_login_form_is_not_counted(self, client, auth, world, limits):
        for _ in range(10):
            assert client.get("/login").status_code == 200
        assert auth.login("ao.budi").status_code == 302

    def test_another_address_is_not_affected(self, client, app, auth, world, limits):
        for _ in range(3):
            auth.login("ao.budi", "wrong-password")
        other = app.test_client()
        assert other.get("/login", **_from("10.1.2.3")).status_code == 200
        response = other.post(
            "/login", data={"username": "x", "password": "y"}, **_from("10.1.2.3")
        )
        assert response.status_code != 429


class TestTokenRateLimit:
    def test_a_user_creates_at_most_two_tokens_an_hour(self, client, auth, world, limits):
        auth.login("ao.budi")
        for name in ("laptop", "phone"):
            assert auth.post("/profile/tokens", {"name": name}).status_code == 200
        assert auth.post("/profile/tokens", {"name": "third"}).status_code == 429


class TestApiAuthenticationFailures:
    def test_guessing_tokens_meets_429_and_blocks_the_address(self, client, api, world, limits):
        bad = {"Authorization": "Bearer aoapp_not-a-real-token"}
        for _ in range(4):
            assert client.get(ME, headers=bad).status_code == 401
        response = client.get(ME, headers=bad)
        assert response.status_code == 429
        assert response.mimetype == "application/json"
        assert response.json["code"] == 429
        # The address is blocked for the window, whichever token it sends now.
        assert api(world.officer).get(ME).status_code == 429

    def test_successful_calls_do_not_count(self, client, api, world, limits):
        good = api(world.officer)
        for _ in range(10):
            assert good.get(ME).status_code == 200
