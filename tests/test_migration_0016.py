"""Migration 0016: the texts the system wrote on follow-ups become a code and its parameters."""

from types import SimpleNamespace

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from tests.support import factories
from tests.support.migrations import app_at


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0015 (notes are sentences)."""
    with app_at(tmp_path, "0015") as application:
        yield application


CASES = {
    # name: (notes, reason, suggestion_key, suggested_dpd)
    "english": ("Suggested: 12 days past due on the 31 Oct 2026 listing.", None, "2026-10-31", 12),
    "indonesian": (
        "Disarankan: tunggakan 1 hari pada daftar nominatif 31 Okt 2026.\nSudah ditelepon.",
        None,
        "2026-10-31",
        1,
    ),
    "demo": (
        "Suggested after the 30/11/2026 listing: 400 days past due.",
        None,
        "demo-2026-11-30",
        400,
    ),
    "typed": ("Suggested by the customer: call after lunch.", None, None, None),
    "closed": ("", "The prospect was closed as lost.", None, None),
    "typed reason": ("", "Customer travelling", None, None),
}


def _seed() -> dict[str, int]:
    officer, colleague = factories.insert_officers("ao.budi", "ao.sari")
    world = SimpleNamespace(officer=officer, colleague=colleague)
    customer_id = factories.insert_customer(world.officer)
    ids = {}
    for name, (notes, reason, key, dpd) in CASES.items():
        ids[name] = db.session.execute(
            sa.text(
                "INSERT INTO follow_ups (customer_id, owner_id, channel, purpose, planned_date,"
                " status, notes, reason, suggestion, suggestion_key, suggested_dpd, escalated,"
                " version, created_at, updated_at) VALUES (:c, :o, 'call', 'collection',"
                " '2026-11-04', 'planned', :notes, :reason, :rule, :key, :dpd, 0, 1,"
                " '2026-11-04 02:00:00', '2026-11-04 02:00:00') RETURNING id"
            ),
            {
                "c": customer_id,
                "o": world.officer.id,
                "notes": notes,
                "reason": reason,
                "rule": "dpd_1_30" if key else None,
                "key": key,
                "dpd": dpd,
            },
        ).scalar_one()
    db.session.commit()
    return ids


def test_known_sentences_become_codes_and_typed_text_stays(old_app):
    ids = _seed()
    flask_migrate.upgrade(revision="0016")
    rows = {
        name: db.session.execute(
            sa.text(
                "SELECT notes, note_code, note_params, reason, reason_code, reason_params"
                " FROM follow_ups WHERE id = :id"
            ),
            {"id": ids[name]},
        ).one()
        for name in CASES
    }
    listing = "followup.suggested_listing"
    assert tuple(rows["english"][:3]) == ("", listing, '{"day": "2026-10-31", "dpd": 12}')
    assert tuple(rows["indonesian"][:3]) == (
        "Sudah ditelepon.",
        listing,
        '{"day": "2026-10-31", "dpd": 1}',
    )
    assert tuple(rows["demo"][:3]) == ("", listing, '{"day": "2026-11-30", "dpd": 400}')
    assert tuple(rows["typed"][:2]) == (CASES["typed"][0], None)
    assert tuple(rows["closed"][3:]) == (None, "followup.prospect_closed", '{"status": "lost"}')
    assert tuple(rows["typed reason"][3:5]) == ("Customer travelling", None)
