"""Migration 0008 turns the free-text campaign of prospects into campaign records, and back."""

import os
from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp import create_app
from aoapp.extensions import db
from tests.databases import own_database


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own (the suite's is at head): a SQLite file, or a PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migration.db'}"
        return
    yield own_database(url, "migration")


def _insert_prospect(connection, n, owner_id, source, campaign, created):
    connection.execute(
        sa.text(
            "INSERT INTO prospects (id, name, phone, address, area, business_type, source, "
            "campaign, owner_id, status, notes, created_at, updated_at, version) VALUES "
            "(:id, :name, :phone, '', '', '', :source, :campaign, :owner, 'new', '', :at, :at, 1)"
        ),
        {
            "id": n,
            "name": f"Prospect {n}",
            "phone": f"62812000000{n}",
            "source": source,
            "campaign": campaign,
            "owner": owner_id,
            "at": created,
        },
    )


def test_free_text_campaigns_become_records(scratch_url):
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with application.app_context():
        flask_migrate.upgrade(revision="0007")
        now = datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None)
        with db.engine.begin() as connection:
            for id_, code in ((1, "JKT01"), (2, "BDG01")):
                connection.execute(
                    sa.text(
                        "INSERT INTO branches (id, code, name, created_at) "
                        "VALUES (:id, :code, :code, :at)"
                    ),
                    {"id": id_, "code": code, "at": now},
                )
            for id_, branch in ((1, 1), (2, 2)):
                connection.execute(
                    sa.text(
                        "INSERT INTO users (id, username, password_hash, role, branch_id, active, "
                        "full_name, created_at, failed_login_count, session_epoch) VALUES "
                        "(:id, :u, 'x', 'officer', :b, true, :u, :at, 0, 0)"
                    ),
                    {"id": id_, "u": f"ao{id_}", "b": branch, "at": now},
                )
            _insert_prospect(connection, 1, 1, "event", "Pameran UMKM", datetime(2026, 9, 3))
            _insert_prospect(connection, 2, 2, "event", " Pameran UMKM ", datetime(2026, 9, 9))
            _insert_prospect(connection, 3, 1, "flyer", "Brosur Pasar", datetime(2026, 10, 1))
            _insert_prospect(connection, 4, 1, "walk_in", "Brosur Pasar", datetime(2026, 10, 5))
            _insert_prospect(connection, 5, 1, "walk_in", "  ", datetime(2026, 10, 5))
            _insert_prospect(connection, 6, 1, "walk_in", None, datetime(2026, 10, 5))

        flask_migrate.upgrade(revision="0008")
        with db.engine.connect() as connection:
            campaigns = connection.execute(
                sa.text("SELECT id, name, channel, starts_on, ends_on FROM campaigns ORDER BY name")
            ).all()
            tagged = dict(
                connection.execute(sa.text("SELECT id, campaign_id FROM prospects")).all()
            )
            branches = connection.execute(
                sa.text("SELECT campaign_id, branch_id FROM campaign_branches ORDER BY 1, 2")
            ).all()
        by_name = {
            name: (id_, channel, str(start), str(end))
            for id_, name, channel, start, end in campaigns
        }
        assert set(by_name) == {"Brosur Pasar", "Pameran UMKM"}
        pameran, brosur = by_name["Pameran UMKM"], by_name["Brosur Pasar"]
        assert pameran[1:] == ("event", "2026-09-03", "2026-09-09")
        assert brosur[1:] == ("other", "2026-10-01", "2026-10-05")  # flyer and walk-in disagree
        assert tagged == {
            1: pameran[0],
            2: pameran[0],
            3: brosur[0],
            4: brosur[0],
            5: None,
            6: None,
        }
        assert branches == sorted([(pameran[0], 1), (pameran[0], 2), (brosur[0], 1)])

        flask_migrate.downgrade(revision="0007")
        with db.engine.connect() as connection:
            texts = dict(connection.execute(sa.text("SELECT id, campaign FROM prospects")).all())
        assert texts == {
            1: "Pameran UMKM",
            2: "Pameran UMKM",
            3: "Brosur Pasar",
            4: "Brosur Pasar",
            5: None,
            6: None,
        }
        db.engine.dispose()
