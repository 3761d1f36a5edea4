"""Logging in and out, lockout, CSRF, open redirects."""

from datetime import timedelta

from aoapp.auth.models import User
from aoapp.common.dates import utcnow
from aoapp.extensions import db


def _csrf(one, other) -> tuple[str, str]:
    """The CSRF token of each login page (the one part that differs between two answers)."""
    from tests.conftest import CSRF_RE

    return tuple(CSRF_RE.search(r.get_data(as_text=True)).group(1) for r in (one, other))


class TestLoggingIn:
    def test_login_with_good_password_reaches_the_app(self, client, auth, world):
        response = auth.login("ao.budi")
        assert response.status_code == 302
        assert client.get("/profile").status_code == 200

    def test_wrong_password_and_unknown_user_get_the_same_generic_error(self, client, auth, world):
        wrong = auth.login("ao.budi", "wrong password!")
        unknown = auth.login("nobody", "wrong password!")
        assert wrong.status_code == unknown.status_code == 401
        assert b"Invalid username or password." in wrong.data
        assert b"Invalid username or password." in unknown.data

    def test_login_without_csrf_token_is_refused(self, client, world):
        response = client.post(
            "/login", data={"username": "ao.budi", "password": "correct horse battery"}
        )
        assert response.status_code == 400
        assert client.get("/profile").status_code == 302

    def test_five_failures_lock_the_account_even_for_the_right_password(self, client, auth, world):
        for _ in range(4):
            assert b"Invalid username" in auth.login("ao.budi", "bad password").data
        auth.login("ao.budi", "bad password")
        user = db.session.scalar(db.select(User).filter_by(username="ao.budi"))
        assert user.locked_until is not None
        assert auth.login("ao.budi").status_code == 401

    def test_the_lockout_answers_as_an_unknown_user_does(self, client, auth, world, monkeypatch):
        from aoapp.auth import services

        hashes = []
        real = services.check_password_hash
        monkeypatch.setattr(
            services, "check_password_hash", lambda *a: hashes.append(1) or real(*a)
        )
        for _ in range(5):
            auth.login("ao.budi", "bad password")
            auth.login("nobody", "bad password")
        hashes.clear()
        locked = auth.login("ao.budi", "bad password")
        locked_hashes, hashes[:] = len(hashes), []
        unknown = auth.login("nobody", "bad password")
        assert locked.status_code == unknown.status_code == 401
        page = locked.get_data(as_text=True)
        assert "Invalid username or password." in page
        other = unknown.get_data(as_text=True).replace(*_csrf(unknown, locked))
        assert page == other.replace('value="nobody"', 'value="ao.budi"')
        assert locked_hashes == len(hashes) == 1  # the same work, so the same time

    def test_an_unknown_user_costs_the_hash_a_user_costs(self, auth, world, monkeypatch):
        from aoapp.auth import services

        methods = []
        real = services.check_password_hash
        monkeypatch.setattr(
            services,
            "check_password_hash",
            lambda hashed, *a: methods.append(hashed.split("$")[0]) or real(hashed, *a),
        )
        auth.login("ao.budi", "bad password")
        auth.login("nobody", "bad password")
        # The same method (and cost) for both: a default scrypt dummy took 20 times longer.
        assert methods[0] == methods[1] == "pbkdf2:sha256:1000"

    def test_lock_expires_after_fifteen_minutes(self, client, auth, world):
        for _ in range(5):
            auth.login("ao.budi", "bad password")
        user = db.session.scalar(db.select(User).filter_by(username="ao.budi"))
        user.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert auth.login("ao.budi").status_code == 302

    def test_failures_older_than_the_window_do_not_count(self, client, auth, world):
        for _ in range(4):
            auth.login("ao.budi", "bad password")
        user = db.session.scalar(db.select(User).filter_by(username="ao.budi"))
        user.first_failed_login_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
        assert b"Invalid username" in auth.login("ao.budi", "bad password").data
        assert auth.login("ao.budi").status_code == 302

    def test_deactivated_user_cannot_log_in(self, client, auth, world):
        user = db.session.get(User, world.officer.id)
        user.active = False
        db.session.commit()
        assert auth.login("ao.budi").status_code == 401

    def test_next_parameter_only_follows_local_paths(self, client, world):
        from tests.conftest import CSRF_RE

        for target, expected in [
            ("/profile", "/profile"),
            ("https://evil.example/", "/"),
            ("//evil.example", "/"),
        ]:
            client.get("/")  # fresh page
            page = client.get(f"/login?next={target}")
            token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
            response = client.post(
                f"/login?next={target}",
                data={
                    "username": "ao.budi",
                    "password": "correct horse battery",
                    "csrf_token": token,
                },
            )
            assert response.headers["Location"] == expected
            client.post(
                "/logout",
                data={
                    "csrf_token": CSRF_RE.search(
                        client.get("/profile").get_data(as_text=True)
                    ).group(1)
                },
            )

    def test_logout_ends_the_session(self, client, auth, world):
        auth.login("ao.budi")
        auth.logout()
        assert client.get("/profile").status_code == 302

    def test_session_cookie_is_httponly_and_samesite_lax(self, client, auth, world):
        response = auth.login("ao.budi")
        cookie = response.headers.get("Set-Cookie", "")
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
