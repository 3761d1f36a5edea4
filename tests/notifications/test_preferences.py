"""Users' e-mail address, digest time and language: `flask create-user --email`, the admin's
user form, `PATCH /api/v1/users/me` and the profile page; checked plainly, times as people
write them, refusals in the reader's language, changes audited."""

from datetime import time

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.auth.models import User
from aoapp.extensions import db
from tests.support.followups import reload


def _user(username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


class TestCreateUser:
    def test_the_command_takes_an_email_address(self, runner, world):
        result = runner.invoke(
            args=["create-user", "ao.rina", "--role", "officer", "--branch", "JKT01"]
            + ["--officer-code", "AO777", "--email", "Rina.W@Bank.Example"],
            env={"AOAPP_PASSWORD": "a-strong-password"},
        )
        assert result.exit_code == 0, result.output
        assert _user("ao.rina").email == "Rina.W@bank.example"

    def test_a_bad_address_is_refused_and_nothing_is_saved(self, runner, world):
        result = runner.invoke(
            args=["create-user", "ao.rina", "--role", "admin", "--email", "rina at bank"],
            env={"AOAPP_PASSWORD": "a-strong-password"},
        )
        assert result.exit_code != 0
        assert "email: Not a valid e-mail address" in result.output
        assert _user("ao.rina") is None

    def test_the_admin_sets_and_clears_it_on_the_user_form(self, client, auth, world):
        auth.login("admin")
        created = auth.post(
            "/admin/users/new",
            {
                "username": "spv.sby",
                "role": "admin",
                "password": "a-strong-password",
                "email": "spv.sby@bank.example",
            },
        )
        assert created.status_code == 302
        target = _user("spv.sby")
        assert target.email == "spv.sby@bank.example"
        bad = auth.post(f"/admin/users/{target.id}", {"full_name": "Spv", "email": "nope@"})
        assert bad.status_code == 422
        assert "Not a valid e-mail address" in bad.get_data(as_text=True)
        cleared = auth.post(f"/admin/users/{target.id}", {"full_name": "Spv", "email": ""})
        assert cleared.status_code == 302 and _user("spv.sby").email is None


class TestMyOwnSettings:
    def test_patch_me_changes_only_what_is_sent_and_is_audited(self, api, world):
        me = api(world.officer)
        shown = me.get("/api/v1/users/me").json
        assert (shown["email"], shown["digest_time"], shown["language"]) == (None, "07:00", "en")
        changed = me.patch(
            "/api/v1/users/me",
            json={"email": "budi@bank.example", "digest_time": "6.30", "language": "id"},
        )
        assert changed.status_code == 200, changed.json
        assert changed.json["digest_time"] == "06:30"
        assert changed.json["language"] == "id"
        row = reload(world.officer)
        assert (row.email, row.digest_time, row.locale) == ("budi@bank.example", time(6, 30), "id")
        assert me.patch("/api/v1/users/me", json={"digest_time": "07.45"}).json["email"] == (
            "budi@bank.example"
        )
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "user").order_by(AuditEntry.id)
        ).all()[-1]
        assert (entry.before["digest_time"], entry.after["digest_time"]) == ("06:30:00", "07:45:00")
        reset = me.patch("/api/v1/users/me", json={"digest_time": None, "email": None})
        assert (reset.json["digest_time"], reset.json["email"]) == ("07:00", None)

    @pytest.mark.parametrize(
        ("body", "field", "message"),
        [
            ({"email": "budi@"}, "email", "Alamat email tidak valid"),
            ({"email": "a" * 250 + "@bank.example"}, "email", "Alamat email tidak valid"),
            ({"digest_time": "25.00"}, "digest_time", "Jam tidak valid"),
            ({"digest_time": 7}, "digest_time", "Jam tidak valid"),
            ({"language": "fr"}, "language", "Harus salah satu dari: id, en."),
            ({"role": "admin"}, "role", "Kolom tidak dikenal."),
        ],
    )
    def test_bad_values_are_refused_field_by_field_in_the_readers_language(
        self, api, world, body, field, message
    ):
        answer = api(world.officer).patch(
            "/api/v1/users/me", json=body, headers={"Accept-Language": "id"}
        )
        assert answer.status_code == 422
        assert any(message in text for text in answer.json["errors"][field])
        assert reload(world.officer).role == "officer"

    def test_the_profile_form_saves_them_as_indonesians_write_them(self, client, auth, world):
        auth.login("ao.budi")
        page = client.get("/profile").get_data(as_text=True)
        assert 'name="digest_time"' in page and 'value="07:00"' in page
        saved = auth.post(
            "/profile/preferences",
            {"email": "budi@bank.example", "digest_time": "7.30", "language": "id"},
        )
        assert saved.status_code == 302
        row = reload(world.officer)
        assert (row.email, row.digest_time, row.locale) == ("budi@bank.example", time(7, 30), "id")
        page = client.get("/profile").get_data(as_text=True)
        assert 'value="07.30"' in page  # shown back as an Indonesian writes it
        refused = auth.post(
            "/profile/preferences", {"email": "budi", "digest_time": "jam 7", "language": "id"}
        )
        assert refused.status_code == 422
        text = refused.get_data(as_text=True)
        assert "Alamat email tidak valid" in text and "Jam tidak valid" in text

    def test_the_form_needs_its_csrf_token(self, client, auth, world):
        auth.login("ao.budi")
        answer = client.post("/profile/preferences", data={"email": "x@bank.example"})
        assert answer.status_code == 400
        assert reload(world.officer).email is None
