"""Admin pages: users (list, create, edit, deactivate, reset password) and branches."""

import re

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.auth.models import Branch, User
from aoapp.extensions import db

NEW_PASSWORD = "brand-new-password"


def _user(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


@pytest.fixture
def admin(auth, world):
    """The client logged in as the admin."""
    assert auth.login("admin").status_code == 302
    return auth


def _admin_urls(world) -> list[str]:
    return [
        "/admin/users",
        "/admin/users?role=officer",
        "/admin/users/new",
        f"/admin/users/{world.officer.id}",
        "/admin/branches",
    ]


class TestAccess:
    @pytest.mark.parametrize("who", ["officer", "supervisor", "remote", "bdg_supervisor"])
    def test_pages_do_not_exist_for_non_admins(self, client, auth, world, who):
        auth.login(getattr(world, who).username)
        for url in _admin_urls(world):
            assert client.get(url).status_code == 404, url

    @pytest.mark.parametrize(
        "url",
        [
            "/admin/users/new",
            "/admin/users/{id}",
            "/admin/users/{id}/deactivate",
            "/admin/branches",
        ],
    )
    def test_non_admin_posts_are_404_and_change_nothing(self, client, auth, world, url):
        auth.login("spv.jkt")
        data = {"username": "x.y", "role": "admin", "password": NEW_PASSWORD, "code": "X1"}
        data |= {"name": "X", "full_name": "Hacked"}
        response = auth.post(url.format(id=world.officer.id), data)
        assert response.status_code == 404
        assert _user("x.y") is None and _user("ao.budi").active
        assert _user("ao.budi").full_name == "Ao.Budi"
        assert db.session.scalar(sa.select(Branch).where(Branch.code == "X1")) is None

    def test_anonymous_users_are_sent_to_login(self, client, world):
        for url in _admin_urls(world):
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response.headers["Location"]

    def test_admin_sees_every_page(self, client, admin, world):
        for url in _admin_urls(world):
            assert client.get(url).status_code == 200, url

    def test_unknown_user_is_404(self, client, admin):
        assert client.get("/admin/users/999999").status_code == 404

    def test_only_admins_see_the_admin_links(self, client, auth, world):
        auth.login("admin")
        page = client.get("/profile").get_data(as_text=True)
        assert 'href="/admin/users"' in page and 'href="/admin/branches"' in page
        auth.logout()
        auth.login("spv.jkt")
        page = client.get("/profile").get_data(as_text=True)
        assert "/admin/" not in page


class TestUsersList:
    def _names(self, response) -> set[str]:
        text = response.get_data(as_text=True)
        return {
            u
            for u in ("admin", "spv.jkt", "ao.budi", "ao.sari", "ao.dewi", "spv.bdg")
            if f">{u}<" in text
        }

    def test_lists_every_user(self, client, admin):
        assert self._names(client.get("/admin/users")) == {
            "admin",
            "spv.jkt",
            "ao.budi",
            "ao.sari",
            "ao.dewi",
            "spv.bdg",
        }

    def test_filter_by_role(self, client, admin):
        assert self._names(client.get("/admin/users?role=supervisor")) == {"spv.jkt", "spv.bdg"}

    def test_filter_by_branch_includes_its_supervisors(self, client, admin, world):
        names = self._names(client.get(f"/admin/users?branch={world.bdg.id}"))
        assert names == {"ao.dewi", "spv.bdg"}

    def test_filter_by_status(self, client, admin, world):
        _user("ao.sari").active = False
        db.session.commit()
        assert self._names(client.get("/admin/users?status=inactive")) == {"ao.sari"}
        assert "ao.sari" not in self._names(client.get("/admin/users?status=active"))

    def test_filters_combine_and_bad_values_are_ignored(self, client, admin, world):
        names = self._names(client.get(f"/admin/users?role=officer&branch={world.jkt.id}"))
        assert names == {"ao.budi", "ao.sari"}
        response = client.get("/admin/users?role=boss&branch=abc&status=&bogus=1")
        assert response.status_code == 200 and len(self._names(response)) == 6

    def test_search_by_name(self, client, admin):
        assert self._names(client.get("/admin/users?q=BUDI")) == {"ao.budi"}

    def test_paginated_by_fifty(self, client, admin):
        for n in range(50):
            db.session.add(
                User(
                    username=f"zz.user{n:02d}",
                    role="admin",
                    password_hash="not-a-hash",
                )
            )
        db.session.commit()
        first = client.get("/admin/users").get_data(as_text=True)
        second = client.get("/admin/users?page=2").get_data(as_text=True)
        links = re.compile(r'href="/admin/users/\d+"')
        assert len(links.findall(first)) == 50
        assert len(links.findall(second)) == 6
        assert "56 records" in first and "Page 1 of 2" in first


class TestCreateUser:
    def _form(self, **changes):
        data = {
            "username": "ao.rina",
            "full_name": "Rina Marlina",
            "role": "officer",
            "branch": "JKT01",
            "officer_code": "AO777",
            "password": NEW_PASSWORD,
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def test_creates_an_officer_who_can_log_in(self, client, admin, auth, world):
        response = auth.post("/admin/users/new", self._form())
        assert response.status_code == 302
        user = _user("ao.rina")
        assert response.headers["Location"] == f"/admin/users/{user.id}"
        assert (user.role, user.branch.code, user.officer_code) == ("officer", "JKT01", "AO777")
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "user", AuditEntry.entity_id == user.id
            )
        )
        assert entry.action == "create" and entry.actor_id == world.admin.id
        assert "password_hash" not in entry.after
        auth.logout()
        assert auth.login("ao.rina", NEW_PASSWORD).status_code == 302

    def test_creates_a_supervisor_of_several_branches(self, client, admin, auth):
        data = self._form(username="spv.two", role="supervisor", branch="", officer_code="")
        data["supervises"] = ["JKT01", "BDG01"]
        assert auth.post("/admin/users/new", data).status_code == 302
        assert sorted(b.code for b in _user("spv.two").supervised) == ["BDG01", "JKT01"]

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"username": "ao.budi"}, "Username taken."),
            ({"officer_code": None, "username": "ao.x"}, "officer (AO) code"),
            ({"password": "short"}, "Password must be at least 10 characters."),
            ({"branch": ""}, "An officer must belong to a branch."),
            ({"username": ""}, "This field is required."),
            ({"username": "Bad Name"}, "lowercase letters"),
            ({"role": "boss"}, "Must be one of: officer, supervisor, admin."),
            (
                {"role": "supervisor", "branch": ""},
                "A supervisor must supervise at least one branch.",
            ),
        ],
    )
    def test_bad_input_shows_plain_field_errors(self, client, admin, auth, changes, message):
        before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        response = auth.post("/admin/users/new", self._form(**changes))
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert message in text and "invalid-feedback" in text
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before

    def test_duplicate_officer_code_is_refused(self, client, admin, auth, world):
        response = auth.post(
            "/admin/users/new", self._form(officer_code=world.officer.officer_code)
        )
        assert response.status_code == 422
        assert "Officer code already used by another user." in response.get_data(as_text=True)

    def test_form_keeps_what_was_typed_but_not_the_password(self, client, admin, auth):
        response = auth.post("/admin/users/new", self._form(password="short"))
        text = response.get_data(as_text=True)
        assert (
            'value="Rina Marlina"' in text
            and "short" not in text.split("Initial password")[1][:300]
        )

    def test_needs_the_csrf_token(self, client, admin):
        assert client.post("/admin/users/new", data=self._form()).status_code == 400
        assert _user("ao.rina") is None


class TestEditUser:
    def test_change_full_name(self, client, admin, auth, world):
        response = auth.post(f"/admin/users/{world.officer.id}", {"full_name": "Budi Santoso"})
        assert response.status_code == 302
        assert _user("ao.budi").full_name == "Budi Santoso"
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert entry.before["full_name"] == "Ao.Budi" and entry.after["full_name"] == "Budi Santoso"

    def test_change_supervised_branches(self, client, admin, auth, world):
        url = f"/admin/users/{world.supervisor.id}"
        assert b"Supervised branches" in client.get(url).data
        response = auth.post(url, {"full_name": "Spv", "supervises": ["JKT01", "BDG01"]})
        assert response.status_code == 302
        assert sorted(b.code for b in _user("spv.jkt").supervised) == ["BDG01", "JKT01"]

    def test_a_supervisor_keeps_at_least_one_branch(self, client, admin, auth, world):
        response = auth.post(f"/admin/users/{world.supervisor.id}", {"full_name": "Spv"})
        assert response.status_code == 422
        assert b"Pick at least one branch." in response.data
        assert [b.code for b in _user("spv.jkt").supervised] == ["JKT01"]
        assert _user("spv.jkt").full_name == "Spv.Jkt"

    def test_officers_get_no_supervised_branches(self, client, admin, auth, world):
        assert b"Supervised branches" not in client.get(f"/admin/users/{world.officer.id}").data
        auth.post(f"/admin/users/{world.officer.id}", {"full_name": "B", "supervises": ["BDG01"]})
        assert _user("ao.budi").supervised == []


class TestActivation:
    def test_deactivate_and_reactivate(self, client, admin, auth, world):
        url = f"/admin/users/{world.officer.id}"
        assert auth.post(f"{url}/deactivate").status_code == 302
        assert _user("ao.budi").active is False
        assert "deactivated" in client.get(url).get_data(as_text=True)
        assert auth.post(f"{url}/activate").status_code == 302
        assert _user("ao.budi").active is True

    def test_a_deactivated_user_is_logged_out_and_cannot_log_in(self, app, admin, auth, world):
        other = app.test_client()
        from tests.conftest import AuthActions

        officer = AuthActions(other)
        officer.login("ao.budi")
        assert other.get("/profile").status_code == 200
        auth.post(f"/admin/users/{world.officer.id}/deactivate")
        assert other.get("/profile").status_code == 302
        assert officer.login("ao.budi").status_code == 401

    def test_reactivating_revives_no_old_session_nor_token(self, app, admin, auth, world):
        from aoapp.auth.models import ApiToken
        from tests.conftest import AuthActions
        from tests.support import factories

        other = app.test_client()
        AuthActions(other).login("ao.budi")
        token = factories.make_token(world.officer)
        bearer = {"Authorization": f"Bearer {token}"}
        assert other.get("/api/v1/users/me", headers=bearer).status_code == 200
        url = f"/admin/users/{world.officer.id}"
        auth.post(f"{url}/deactivate")
        auth.post(f"{url}/activate")
        assert _user("ao.budi").active is True
        assert other.get("/profile").status_code == 302  # the old session stays ended
        assert other.get("/api/v1/users/me", headers=bearer).status_code == 401  # the token too
        revoked = db.session.scalar(sa.select(ApiToken.revoked_at))
        assert revoked is not None
        revocations = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "apitoken", AuditEntry.action == "revoke"
            )
        ).all()
        assert len(revocations) == 1

    def test_an_admin_cannot_deactivate_themself(self, client, admin, auth, world):
        response = auth.post(f"/admin/users/{world.admin.id}/deactivate", follow_redirects=True)
        assert "You cannot deactivate yourself." in response.get_data(as_text=True)
        assert _user("admin").active is True
        page = client.get(f"/admin/users/{world.admin.id}").get_data(as_text=True)
        assert "/deactivate" not in page


class TestResetPassword:
    def test_reset_lets_the_user_log_in_and_lifts_a_lockout(self, app, admin, auth, world):
        from tests.conftest import AuthActions

        officer = AuthActions(app.test_client())
        for _ in range(5):
            officer.login("ao.budi", "wrong password")
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert auth.post(f"/admin/users/{world.officer.id}/password", data).status_code == 302
        assert officer.login("ao.budi", NEW_PASSWORD).status_code == 302
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "password_reset")
        ).one()
        assert entry.entity_id == world.officer.id and entry.actor_id == world.admin.id

    @pytest.mark.parametrize(
        ("password", "confirm", "message"),
        [
            ("123456789", "123456789", "Password must be at least 10 characters."),
            (NEW_PASSWORD, "something else", "The two passwords differ."),
            ("", "", "Password must be at least 10 characters."),
        ],
    )
    def test_bad_passwords_are_refused(
        self, client, admin, auth, world, password, confirm, message
    ):
        old_hash = _user("ao.budi").password_hash
        response = auth.post(
            f"/admin/users/{world.officer.id}/password", {"password": password, "confirm": confirm}
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert _user("ao.budi").password_hash == old_hash


class TestBranches:
    def test_lists_branches_with_their_people(self, client, admin):
        text = client.get("/admin/branches").get_data(as_text=True)
        assert "Jakarta Sudirman" in text and "Bandung Dago" in text

    def test_create_branch(self, client, admin, auth):
        response = auth.post("/admin/branches", {"code": "sby01", "name": "Surabaya Darmo"})
        assert response.status_code == 302
        assert (
            db.session.scalar(sa.select(Branch.name).where(Branch.code == "SBY01"))
            == "Surabaya Darmo"
        )
        assert "Surabaya Darmo" in client.get("/admin/branches").get_data(as_text=True)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"code": "JKT01", "name": "Again"}, "Branch code already exists."),
            ({"code": "SBY01", "name": ""}, "This field is required."),
            ({"code": "S B Y", "name": "Spaces"}, "Use 1–20 letters, digits, - or _."),
        ],
    )
    def test_bad_branch_is_refused(self, client, admin, auth, data, message):
        response = auth.post("/admin/branches", data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Branch)) == 2
