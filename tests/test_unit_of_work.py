"""One unit of work: commits together or not at all, and no other module commits."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from aoapp.auth.models import Branch
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Conflict
from aoapp.extensions import db
from aoapp.introductions import services as intro_services
from aoapp.introductions.models import Introduction
from tests.support import factories

AOAPP = Path(__file__).resolve().parent.parent / "aoapp"
COMMITS = re.compile(r"\.(commit|rollback)\(\)")
# Where a transaction is still ended by hand, and why.
ALLOWED = {
    "common/transaction.py": "the unit of work itself",
    "errors.py": "the error handlers roll back a failed request",
    "__init__.py": "the request teardown rolls back what a failed request left",
    "imports/services.py": "the listing's record is committed apart from its load (progress, "
    "refusals kept); the generic listing import will move it onto unit_of_work",
    "imports/jobs.py": "the background import marks its record failed after a crash",
    "reports/customer/generation.py": "one customer's failed workbook must not undo the others'",
    "reports/portfolio/generation.py": "one branch's failed workbook must not undo the others'",
    "reports/cli.py": "a failed batch item is rolled back before the next",
    "demo/seed.py": "the demo loader commits each part of the demo bank",
    "demo/targets.py": "the demo loader",
    "demo/deposits.py": "the demo loader commits the depositors before the listings' imports",
    "demo/followups.py": "the demo loader",
    "demo/plans.py": "the demo loader dates its plans back",
    "demo/cli.py": "the demo command rolls back a failed load",
}


def _branches() -> set[str]:
    return set(db.session.scalars(sa.select(Branch.code)))


class TestUnitOfWork:
    def test_the_block_is_committed_at_its_end(self):
        with unit_of_work():
            db.session.add(Branch(code="JKT01", name="Jakarta"))
        db.session.close()
        assert _branches() == {"JKT01"}

    def test_any_error_undoes_the_whole_block(self):
        with pytest.raises(ValueError), unit_of_work():
            db.session.add(Branch(code="JKT01", name="Jakarta"))
            db.session.flush()
            raise ValueError("refused halfway")
        assert _branches() == set()

    def test_a_unique_value_taken_meanwhile_is_a_conflict_on_its_field(self):
        with unit_of_work():
            db.session.add(Branch(code="JKT01", name="Jakarta"))
        with (
            pytest.raises(Conflict) as refused,
            unit_of_work(duplicate="Taken.", duplicate_field="code"),
        ):
            db.session.add(Branch(code="JKT01", name="Again"))
        assert refused.value.errors == {"code": ["Taken."]}
        assert _branches() == {"JKT01"}

    def test_without_a_message_the_database_error_goes_on(self):
        with unit_of_work():
            db.session.add(Branch(code="JKT01", name="Jakarta"))
        with pytest.raises(IntegrityError), unit_of_work():
            db.session.add(Branch(code="JKT01", name="Again"))

    def test_a_stale_save_is_a_conflict_on_the_version(self):
        with pytest.raises(Conflict) as refused, unit_of_work(stale="Changed meanwhile."):
            db.session.add(Branch(code="JKT01", name="Jakarta"))
            raise StaleDataError("version 2 expected")
        assert refused.value.errors == {"version": ["Changed meanwhile."]}
        assert _branches() == set()

    def test_as_a_decorator_each_call_is_its_own_transaction(self):
        @unit_of_work()
        def open_branch(code):
            db.session.add(Branch(code=code, name=code))
            if code == "BAD":
                raise ValueError(code)

        open_branch("JKT01")
        with pytest.raises(ValueError):
            open_branch("BAD")
        open_branch("BDG01")
        assert _branches() == {"JKT01", "BDG01"}


class TestRacingRequests:
    """Found by schemathesis: a PATCH racing a DELETE of the same record answered 500."""

    @pytest.fixture
    def introduction(self, world, api):
        customer = factories.make_customer(world.officer)
        factories.make_product("KUR")
        body = {
            "customer": customer.id,
            "product": "KUR",
            "outcome": "interested",
            "place": "branch",
        }
        created = api(world.officer).post("/api/v1/introductions", json=body)
        assert created.status_code == 201, created.json
        return created.json["id"]

    def removed_by_another_request(self, monkeypatch, introduction_id: int) -> None:
        """The next read of the introduction finds it, then another request deletes it."""
        read = intro_services.get_introduction

        def read_then_removed(actor, record_id):
            found = read(actor, record_id)
            with db.engine.begin() as other:
                other.execute(sa.delete(Introduction).where(Introduction.id == introduction_id))
            return found

        monkeypatch.setattr(intro_services, "get_introduction", read_then_removed)

    def test_a_change_of_a_record_removed_meanwhile_is_a_conflict(
        self, world, api, introduction, monkeypatch
    ):
        self.removed_by_another_request(monkeypatch, introduction)
        url = f"/api/v1/introductions/{introduction}"
        response = api(world.officer).patch(url, json={"explanation": "Corrected."})
        assert response.status_code == 409
        assert response.json["error"] == "conflict" and "a moment ago" in response.json["message"]

    def test_a_record_removed_before_its_answer_is_written_is_a_conflict(
        self, world, api, introduction, monkeypatch
    ):
        """The change is saved, then the row is gone when the answer reads it back."""
        update = intro_services.update_introduction

        def update_then_removed(actor, record, data):
            saved = update(actor, record, data)
            with db.engine.begin() as other:
                other.execute(sa.delete(Introduction).where(Introduction.id == introduction))
            return saved

        monkeypatch.setattr(intro_services, "update_introduction", update_then_removed)
        url = f"/api/v1/introductions/{introduction}"
        response = api(world.officer).patch(url, json={"explanation": "Corrected."})
        assert response.status_code == 409 and response.json["code"] == 409


def test_no_other_module_ends_a_transaction_by_hand():
    found = [
        f"aoapp/{name}:{number}"
        for path in sorted(AOAPP.rglob("*.py"))
        if (name := path.relative_to(AOAPP).as_posix()) not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COMMITS.search(line)
    ]
    assert found == []


def test_every_allowed_exception_still_needs_its_place():
    unused = [name for name in ALLOWED if not COMMITS.search((AOAPP / name).read_text())]
    assert unused == []
