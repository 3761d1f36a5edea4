"""Migration 0015: a prospect's next-contact date becomes a planned follow-up, then the column goes."""

import importlib.util
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.extensions import db
from tests.support import factories
from tests.support.migrations import app_at

MIGRATION = Path(__file__).parent.parent / "migrations/versions/0015_prospect_next_contact.py"


def migration():
    """The migration module (its file name is not an importable module name)."""
    spec = importlib.util.spec_from_file_location("migration_0015", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0014 (prospects still have the date)."""
    with app_at(tmp_path, "0014", DEFAULT_LOCALE="en") as application:
        yield application


def seed() -> dict[str, int]:
    """Prospects in every case the migration tells apart; returns their ids by case."""
    officer, colleague = factories.insert_officers("ao.budi", "ao.sari")
    world = SimpleNamespace(officer=officer, colleague=colleague)
    today = bank_today()
    cases = {
        "coming": (today + timedelta(days=5), "new"),
        "today": (today, "contacted"),
        "past": (today - timedelta(days=1), "new"),
        "planned already": (today + timedelta(days=3), "new"),
        "lost": (today + timedelta(days=2), "lost"),
        "no date": (None, "new"),
        "colleague's": (today + timedelta(days=9), "interested"),
    }
    ids = {}
    for case, (day, status) in cases.items():
        owner = world.colleague if case == "colleague's" else world.officer
        # Raw SQL: the models are at head (later columns, e.g. the name key, do not exist yet).
        ids[case] = db.session.execute(
            sa.text(
                "INSERT INTO prospects (name, phone, address, area, business_type, source, "
                "owner_id, status, notes, next_follow_up_date, version, created_at, updated_at) "
                "VALUES (:name, :phone, '', '', '', 'walk_in', :owner, :status, '', :day, 1, "
                ":now, :now) RETURNING id"
            ),
            {
                "name": case,
                "phone": factories.phone(),
                "owner": owner.id,
                "status": status,
                "day": day,
                "now": "2026-12-01 00:00:00",
            },
        ).scalar_one()
    db.session.execute(
        sa.text(
            "INSERT INTO follow_ups (prospect_id, owner_id, channel, purpose, planned_date, "
            "status, notes, escalated, version, created_at, updated_at) VALUES "
            "(:p, :o, 'visit', 'relationship', :d, 'planned', '', 0, 1, :now, :now)"
        ),
        {
            "p": ids["planned already"],
            "o": world.officer.id,
            "d": today + timedelta(days=1),
            "now": "2026-12-01 00:00:00",
        },
    )
    db.session.commit()
    return ids | {"officer": world.officer.id, "colleague": world.colleague.id}


def followups() -> list[tuple]:
    return db.session.execute(
        sa.text(
            "SELECT prospect_id, owner_id, planned_date, status, channel, purpose, created_by_id "
            "FROM follow_ups ORDER BY id"
        )
    ).all()


class TestPlanNextContacts:
    def test_a_planned_follow_up_for_each_coming_date_without_one(self, old_app):
        ids = seed()
        today = bank_today()
        with db.engine.begin() as connection:
            assert migration().plan_next_contacts(connection, today) == 3
        rows = followups()[1:]  # the first is the one planned already
        assert [(r.prospect_id, r.owner_id, str(r.planned_date)) for r in rows] == [
            (ids["coming"], ids["officer"], str(today + timedelta(days=5))),
            (ids["today"], ids["officer"], str(today)),
            (ids["colleague's"], ids["colleague"], str(today + timedelta(days=9))),
        ]
        assert {(r.status, r.channel, r.purpose, r.created_by_id) for r in rows} == {
            ("planned", "call", "product_offer", None)
        }
        audits = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "migrate"))
        found = {(a.actor_id, a.entity_type, a.entity_id, a.before) for a in audits}
        ids_ = db.session.scalars(sa.text("SELECT id FROM follow_ups ORDER BY id")).all()[1:]
        assert found == {(None, "followup", i, None) for i in ids_}
        with db.engine.begin() as connection:  # a second run finds nothing left to plan
            assert migration().plan_next_contacts(connection, today) == 0

    def test_upgrade_drops_the_column_and_downgrade_brings_the_dates_back(self, old_app):
        ids = seed()
        flask_migrate.upgrade()
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("prospects")}
        assert "next_follow_up_date" not in columns
        assert len(followups()) == 4
        flask_migrate.downgrade(revision="0014")
        dates = dict(
            db.session.execute(sa.text("SELECT id, next_follow_up_date FROM prospects")).all()
        )
        today = bank_today()
        assert str(dates[ids["coming"]]) == str(today + timedelta(days=5))
        assert str(dates[ids["planned already"]]) == str(today + timedelta(days=1))
        assert dates[ids["past"]] is None and dates[ids["lost"]] is None
