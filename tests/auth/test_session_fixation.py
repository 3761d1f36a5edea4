"""Session fixation: the session is regenerated on login and cleared on logout.

Sessions are Flask's signed cookies (the content lives in the cookie, nothing on the server): a
"fixed" session here is a cookie obtained before login, possibly carrying planted values. Login
must start from an empty session, so nothing planted survives and the pre-login cookie stays
anonymous; logout must leave an anonymous session and no remember cookie.
"""

from tests.conftest import CSRF_RE
from tests.support import factories


def cookie(client, name: str = "session") -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def with_cookie(app, value: str):
    """A new browser holding only this session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def planted_session(client) -> str:
    with client.session_transaction() as session:
        session["planted"] = "attacker"
        session["_user_id"] = "999999"  # a planted user id (no such user)
    client.get("/login")  # a real pre-login page view, as an attacker's visit would leave
    return cookie(client)


class TestLogin:
    def test_planted_session_content_does_not_survive_login(self, client, auth, world):
        planted_session(client)
        assert auth.login("ao.budi").status_code == 302
        with client.session_transaction() as session:
            assert "planted" not in session
            assert session["_user_id"] == world.officer.get_id()
        assert client.get("/profile").status_code == 200

    def test_pre_login_cookie_does_not_authenticate(self, app, client, auth, world):
        client.get("/login")
        before = cookie(client)
        assert before
        auth.login("ao.budi")
        after = cookie(client)
        assert after and after != before
        assert client.get("/profile").status_code == 200
        assert with_cookie(app, before).get("/profile").status_code == 302

    def test_pre_login_csrf_token_is_replaced(self, client, auth, world):
        page = client.get("/login").get_data(as_text=True)
        before = CSRF_RE.search(page).group(1)
        with client.session_transaction() as session:
            raw_before = session.get("csrf_token")
        auth.login("ao.budi")
        with client.session_transaction() as session:
            assert session.get("csrf_token") != raw_before or raw_before is None
        assert auth.csrf_token() != before

    def test_no_remember_cookie_is_set(self, client, auth, world):
        response = auth.login("ao.budi")
        assert "remember_token" not in response.headers.get("Set-Cookie", "")
        assert cookie(client, "remember_token") is None


class TestLogout:
    def test_logout_leaves_an_anonymous_session(self, app, client, auth, world):
        auth.login("ao.budi")
        auth.logout()
        with client.session_transaction() as session:
            assert "_user_id" not in session
        assert client.get("/profile").status_code == 302
        assert cookie(client, "remember_token") is None
        assert with_cookie(app, cookie(client) or "").get("/profile").status_code == 302

    def test_a_copied_logged_in_cookie_is_dead_after_logout(self, app, client, auth, world):
        auth.login("ao.budi")
        logged_in = cookie(client)
        assert with_cookie(app, logged_in).get("/profile").status_code == 200
        auth.logout()
        assert with_cookie(app, logged_in).get("/profile").status_code == 302

    def test_a_password_reset_ends_sessions_but_the_own_change_keeps_its_own(
        self, app, client, auth, world
    ):
        from aoapp.auth import services

        auth.login("ao.budi")
        before = cookie(client)
        response = auth.post(
            "/profile/password",
            {
                "current_password": factories.PASSWORD,
                "new_password": "another long password 1",
                "confirm": "another long password 1",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert client.get("/profile").status_code == 200  # the session that changed it goes on
        assert with_cookie(app, before).get("/profile").status_code == 302  # others end
        services.set_password(world.officer, "reset by the admin 1", actor=world.admin)
        assert client.get("/profile").status_code == 302
