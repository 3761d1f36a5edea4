"""schemathesis against the app's own OpenAPI document: every operation, authenticated.

The phases of an outside `st run`: examples, coverage (every documented value and its edges,
wrong types, missing parameters, undeclared methods) and fuzzing per operation, then stateful
sequences that follow the links between operations. Every check schemathesis has runs (see
schemathesis.toml): no input may cause a 5xx, every response matches the documented schema
(errors included) and status codes, invalid input is refused, a 405 says what is allowed.

The suite runs FUZZ_EXAMPLES (default 2) examples per operation, derandomised, and leaves the
coverage phase to the night's run: it sends every documented value's edges to every operation
whatever FUZZ_EXAMPLES says, and cost the suite a minute of CI's twelve (the fuzzing phase still
sends invalid input to each operation). `make fuzz` is the night's run: FUZZ_EXAMPLES=15 and
FUZZ_COVERAGE=1, every phase (see tests/fuzz/README.md).
"""

import os
import tomllib
from pathlib import Path

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import settings
from hypothesis.errors import Flaky

from aoapp.auth.models import ApiToken, User
from aoapp.auth.tokens import _hash_token
from aoapp.extensions import db

# The contract does not depend on the database: CI runs it in its SQLite stage only.
pytestmark = pytest.mark.fuzz

CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 2))
COVERAGE = os.environ.get("FUZZ_COVERAGE", "") not in ("", "0")  # `make fuzz` sets it
SCENARIOS = max(15, 4 * EXAMPLES)  # stateful scenarios of up to 6 steps, per user
TOKEN = "aoapp_fuzz-" + "0" * 32  # the fuzzing user's API token, known before any test runs


def _config() -> schemathesis.Config:
    """schemathesis.toml with the examples and phases of this run."""
    data = tomllib.loads(CONFIG.read_text())
    data["generation"]["max-examples"] = EXAMPLES
    data["phases"]["coverage"]["enabled"] = COVERAGE
    data["headers"] = {"Authorization": f"Bearer {TOKEN}"}
    return schemathesis.Config.from_dict(data)


def _document() -> dict:
    """The OpenAPI document, from an app built only to describe itself (no database is opened).

    schemathesis' lazy fixture loader does not support pytest 9, so the schema is loaded at
    import; the calls still go in-process to the test session's app (`app=` below).
    """
    from aoapp import create_app
    from aoapp.extensions import api

    spec_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with spec_app.app_context():
        return api.spec.to_dict()


schema = schemathesis.openapi.from_dict(_document(), config=_config())


def _as(username: str, app) -> dict:
    """How to call the test session's app in-process, as `username`: the cases carry TOKEN from
    collection on (schemathesis leaves it out of those testing a missing one).

    Through the suite's client, so that every request has an app context of its own, as in
    production: requests that shared the test's would share its `g`, and with it the user a
    previous request logged in (a request without a token would pass as that user).
    """
    user = db.session.scalar(sa.select(User).where(User.username == username))
    db.session.add(
        ApiToken(user_id=user.id, name="fuzz", token_hash=_hash_token(TOKEN), prefix=TOKEN[:12])
    )
    db.session.commit()
    schema.app = app
    return {"app": app, "session": app.test_client(use_cookies=False)}


@pytest.fixture
def as_officer(app, demo_bank) -> dict:
    """Budi, an officer of the demo bank: its records hold what a real portfolio holds (nulls
    included), so the responses meet the document with real data."""
    return _as("ao.budi", app)


@schema.parametrize()
def test_every_operation_as_an_officer(case, app, as_officer):
    """Examples and fuzzing of one operation (and coverage in the night's run), every check."""
    case.operation.schema.app = app  # parametrize runs a copy of `schema`; its probes read this
    case.call_and_validate(**as_officer)


@pytest.mark.parametrize("username", ["ao.budi", "spv.jkt"])
def test_sequences_of_operations(username, app, demo_bank):
    """Stateful, as an officer and as a supervisor of the demo bank: create, read, change and
    remove records along the links between operations."""
    call, found = _as(username, app), []

    class Sequences(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return call

        def validate_response(self, response, case, **kwargs):
            try:
                super().validate_response(response, case, **kwargs)
            except Exception as failure:
                found.append(failure)
                raise

    try:
        Sequences.run(
            settings=settings(schema.config.get_hypothesis_settings(), max_examples=SCENARIOS)
        )
    except Flaky:
        # A scenario reads what earlier ones wrote, so Hypothesis may not replay it alike; as in
        # schemathesis' own runner, only a check that failed is a finding.
        if found:
            raise found[0] from None
