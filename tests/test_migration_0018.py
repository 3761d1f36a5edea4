"""Migration 0018: the texts an import wrote on its record become a code and its parameters."""

import json

import flask_migrate
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.extensions import db
from aoapp.imports.models import PositionImport
from tests.support.migrations import app_at


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0016 (messages are sentences)."""
    with app_at(tmp_path, "0016") as application:
        yield application


NOTES = [
    "Format: csv, delimiter ';', encoding utf-8.",
    "Angka: format Indonesia (1.234.567,89) (terdeteksi).",
    "Dates: dd/mm/yyyy (31/10/2026).",
    "Follow-up suggestions failed: boom",  # not a known note: stays as written
]
CASES = {
    # name: (status, message, notes)
    "rejected in Indonesian": (
        "rejected",
        "1.234 kesalahan pada 3 baris: tidak ada yang diimpor.",
        NOTES,
    ),
    "interrupted": (
        "failed",
        "The import was interrupted (its process stopped) and changed nothing.",
        None,
    ),
    "headers": ("rejected", "Missing required columns: cif, dpd.", None),
    "failed": ("failed", "The import failed and changed nothing: OSError: disk full", None),
    "unknown": ("rejected", "Some message of an older version.", None),
}


def _seed() -> dict[str, int]:
    ids = {}
    for name, (status, message, notes) in CASES.items():
        summary = json.dumps({"rows": 3, "notes": notes}) if notes else None
        ids[name] = db.session.execute(
            sa.text(
                "INSERT INTO position_imports (kind, source, file_name, sha256, as_of, partial,"
                " status, stage, progress, rows, error_count, message, summary, started_at)"
                " VALUES ('loans', 'web', 'l.csv', 'x', '2026-10-31', 0, :status, 'done', 100,"
                " 3, 0, :message, :summary, '2026-11-01 02:00:00') RETURNING id"
            ),
            {"status": status, "message": message, "summary": summary},
        ).scalar_one()
    db.session.commit()
    return ids


def test_known_messages_and_notes_become_codes_and_others_stay(old_app):
    ids = _seed()
    flask_migrate.upgrade(revision="0018")
    rows = {
        name: db.session.execute(
            sa.text(
                "SELECT message, message_code, message_params, summary FROM position_imports"
                " WHERE id = :id"
            ),
            {"id": ids[name]},
        ).one()
        for name in CASES
    }
    assert tuple(rows["rejected in Indonesian"][:3]) == (
        None,
        "imports.rows_rejected",
        '{"errors": 1234, "rows": 3}',
    )
    notes = json.loads(rows["rejected in Indonesian"][3])["notes"]
    assert notes == [
        {
            "code": "imports.format",
            "params": {"format": "csv", "delimiter": ";", "encoding": "utf-8", "sheet": None},
        },
        {"code": "imports.numbers", "params": {"convention": "comma", "detected": True}},
        {"code": "imports.dates", "params": {"convention": "dmy", "detected": False}},
        "Follow-up suggestions failed: boom",
    ]
    assert tuple(rows["interrupted"][:2]) == (None, "imports.interrupted")
    assert json.loads(rows["headers"][2]) == {"missing": ["cif", "dpd"], "duplicates": []}
    assert json.loads(rows["failed"][2]) == {"error": "OSError: disk full"}
    assert tuple(rows["unknown"][:2]) == ("Some message of an older version.", None)
    # Each reader then reads them in their own language (with today's model: the later
    # migrations only add columns).
    flask_migrate.upgrade()
    record = db.session.get(PositionImport, ids["rejected in Indonesian"])
    with force_locale("en"):
        assert record.shown_message == "1,234 error(s) on 3 row(s): nothing was imported."
        assert record.shown_notes[:3] == [
            "Format: csv, delimiter ';', encoding utf-8.",
            "Numbers: Indonesian (1.234.567,89) (detected).",
            "Dates: dd/mm/yyyy (31/10/2026).",
        ]
    with force_locale("id"):
        assert record.shown_message == "1.234 kesalahan pada 3 baris: tidak ada yang diimpor."
    unknown = db.session.get(PositionImport, ids["unknown"])
    assert unknown.shown_message == "Some message of an older version."
