"""schemathesis against the app's own OpenAPI document: every operation, authenticated.

No input may cause a 5xx, and every response must match the documented schema. CI runs a bounded
number of examples per operation (FUZZ_EXAMPLES, default 15); a longer run is
`FUZZ_EXAMPLES=500 make fuzz` (see tests/fuzz/README.md).
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.support import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))


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


@pytest.fixture
def fuzz_headers(world):
    """An officer's bearer token, with a customer so id-taking operations meet real rows too."""
    factories.make_customer(world.officer)
    return {"Authorization": f"Bearer {factories.make_token(world.officer, 'fuzz')}"}


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_responses_match_the_schema(case, app, fuzz_headers):
    case.call_and_validate(
        app=app,
        headers=fuzz_headers,
        checks=[not_a_server_error, response_schema_conformance],
    )
