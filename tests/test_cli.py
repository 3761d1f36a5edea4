"""Provisioning commands: create-branch, create-user, create-token (scriptable, strict)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from aoapp.auth.models import ApiToken, Branch, User
from aoapp.extensions import db

GOOD = "a-strong-password"
ROOT = Path(__file__).resolve().parent.parent


def _user(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


@pytest.fixture
def invoke(runner):
    """Run a command with AOAPP_PASSWORD set (unless overridden)."""

    def run(*args, env=None, **kwargs):
        return runner.invoke(args=list(args), env={"AOAPP_PASSWORD": GOOD, **(env or {})}, **kwargs)

    return run


@pytest.fixture
def branches(invoke):
    for code, name in (("JKT01", "Jakarta Sudirman"), ("BDG01", "Bandung Dago")):
        assert invoke("create-branch", code, name).exit_code == 0


class TestCreateBranch:
    def test_creates_a_branch(self, invoke):
        result = invoke("create-branch", "jkt02", "Jakarta Thamrin")
        assert result.exit_code == 0, result.output
        branch = db.session.scalar(sa.select(Branch).where(Branch.code == "JKT02"))
        assert branch.name == "Jakarta Thamrin"
        assert result.stdout == ""  # messages go to stderr; stdout stays clean for scripts

    def test_duplicate_code_is_refused(self, invoke, branches):
        result = invoke("create-branch", "JKT01", "Again")
        assert result.exit_code != 0
        assert "Branch JKT01 already exists" in result.output

    def test_bad_code_is_refused(self, invoke):
        result = invoke("create-branch", "JKT 01!", "Spaces")
        assert result.exit_code != 0 and "letters, digits" in result.output


class TestCreateUser:
    def test_creates_an_officer(self, invoke, branches):
        result = invoke(
            "create-user",
            "ao.budi",
            "--role",
            "officer",
            "--branch",
            "JKT01",
            "--officer-code",
            "AO001",
            "--full-name",
            "Budi Santoso",
        )
        assert result.exit_code == 0, result.output
        user = _user("ao.budi")
        assert (user.role, user.branch.code, user.officer_code, user.full_name) == (
            "officer",
            "JKT01",
            "AO001",
            "Budi Santoso",
        )
        assert user.password_hash != GOOD and GOOD not in user.password_hash

    @pytest.mark.parametrize(
        "flags",
        [["--supervises", "JKT01", "--supervises", "BDG01"], ["--supervises", "JKT01,BDG01"]],
    )
    def test_supervises_takes_repeated_options_and_comma_lists(self, invoke, branches, flags):
        result = invoke("create-user", "spv.jkt", "--role", "supervisor", *flags)
        assert result.exit_code == 0, result.output
        assert sorted(b.code for b in _user("spv.jkt").supervised) == ["BDG01", "JKT01"]

    def test_creates_an_admin_without_branch(self, invoke):
        assert invoke("create-user", "root", "--role", "admin").exit_code == 0
        assert _user("root").is_admin

    def test_the_new_user_can_log_in(self, invoke, branches, auth):
        invoke("create-user", "admin", "--role", "admin")
        assert auth.login("admin", GOOD).status_code == 302

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["ao.x", "--role", "officer", "--officer-code", "AO9"], "must belong to a branch"),
            (["ao.x", "--role", "officer", "--branch", "JKT01"], "officer (AO) code"),
            (
                ["ao.x", "--role", "officer", "--branch", "NOPE", "--officer-code", "AO9"],
                "Unknown branch",
            ),
            (["spv.x", "--role", "supervisor"], "supervise at least one branch"),
            (["spv.x", "--role", "supervisor", "--supervises", "JKT01,NOPE"], "Unknown branch"),
            (["Bad Name!", "--role", "admin"], "lowercase letters"),
            (
                ["ao.x", "--role", "officer", "--branch", "JKT01", "--officer-code", "AO 1"],
                "letters, digits",
            ),
            (["x.y", "--role", "admin", "--supervises", "JKT01"], "Only supervisors"),
        ],
    )
    def test_bad_input_is_refused_with_a_clear_message(self, invoke, branches, args, message):
        result = invoke("create-user", *args)
        assert result.exit_code != 0
        assert message in result.output
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0

    def test_bad_role_is_refused(self, invoke):
        result = invoke("create-user", "x.y", "--role", "boss")
        assert result.exit_code != 0
        assert "'boss' is not one of 'officer', 'supervisor', 'admin'" in result.output

    def test_duplicate_username_is_refused(self, invoke):
        assert invoke("create-user", "root", "--role", "admin").exit_code == 0
        result = invoke("create-user", "ROOT", "--role", "admin")
        assert result.exit_code != 0 and "User root already exists" in result.output

    def test_duplicate_officer_code_is_refused(self, invoke, branches):
        base = ["--role", "officer", "--branch", "JKT01", "--officer-code", "AO001"]
        assert invoke("create-user", "ao.one", *base).exit_code == 0
        result = invoke("create-user", "ao.two", *base)
        assert result.exit_code != 0 and "Officer code AO001 is already used" in result.output
        assert _user("ao.two") is None

    def test_weak_password_is_refused(self, invoke):
        result = invoke(
            "create-user", "root", "--role", "admin", env={"AOAPP_PASSWORD": "123456789"}
        )
        assert result.exit_code != 0 and "at least 10 characters" in result.output
        assert _user("root") is None

    def test_password_is_prompted_twice_without_the_environment_variable(self, invoke):
        result = invoke(
            "create-user",
            "root",
            "--role",
            "admin",
            env={"AOAPP_PASSWORD": None},
            input=f"{GOOD}\n{GOOD}\n",
        )
        assert result.exit_code == 0, result.output
        assert result.output.count("Password") >= 1 and "Repeat for confirmation" in result.output
        assert _user("root") is not None

    def test_mismatched_confirmation_is_refused(self, invoke):
        result = invoke(
            "create-user",
            "root",
            "--role",
            "admin",
            env={"AOAPP_PASSWORD": None},
            input=f"{GOOD}\nsomething-else-1\n",
        )
        assert result.exit_code != 0
        assert "do not match" in result.output
        assert _user("root") is None


class TestCreateToken:
    def test_prints_only_a_working_token(self, invoke, client):
        invoke("create-user", "root", "--role", "admin")
        result = invoke("create-token", "root", "--name", "hr-sync")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 1 and lines[0].startswith("aoapp_")
        token = lines[0]
        response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.json["username"] == "root"
        assert db.session.scalar(sa.select(ApiToken.name)) == "hr-sync"

    def test_unknown_user_is_refused(self, invoke):
        result = invoke("create-token", "nobody")
        assert result.exit_code != 0 and "No user 'nobody'" in result.output
        assert result.stdout == ""

    def test_deactivated_user_gets_no_token(self, invoke):
        invoke("create-user", "root", "--role", "admin")
        user = _user("root")
        user.active = False
        db.session.commit()
        result = invoke("create-token", "root")
        assert result.exit_code != 0 and "deactivated" in result.output


def test_flask_finds_the_app_from_the_project_root():
    """`.venv/bin/flask` needs no FLASK_APP: .flaskenv names the app."""
    assert "FLASK_APP=wsgi:app" in (ROOT / ".flaskenv").read_text()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "AOAPP_ENV"}
    flask = Path(sys.executable).with_name("flask")
    command = [str(flask)] if flask.exists() else [sys.executable, "-m", "flask"]
    result = subprocess.run(  # noqa: S603 (fixed command, no shell)
        [*command, "--help"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for command_name in ("create-user", "create-branch", "create-token", "seed-demo"):
        assert command_name in result.stdout
