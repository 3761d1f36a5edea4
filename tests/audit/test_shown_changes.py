"""The audit history shows a text the system wrote as one field in the reader's language, and an
enumeration's code by its label."""

from flask_babel import force_locale

from aoapp.audit.models import AuditEntry
from aoapp.audit.services import shown_changes
from aoapp.followups import texts


def _entry(before: dict, after: dict) -> AuditEntry:
    return AuditEntry(
        entity_type="followup", entity_id=1, action="cancel", before=before, after=after
    )


def test_a_system_reason_is_one_field_in_the_readers_language(app):
    entry = _entry(
        {"status": "planned", "reason_code": None, "reason_params": None},
        {
            "status": "cancelled",
            "reason_code": texts.PROSPECT_CLOSED,
            "reason_params": {"status": "lost"},
        },
    )
    with app.test_request_context(), force_locale("en"):
        assert shown_changes(entry) == [
            ("reason", None, "The prospect was closed as lost."),
            ("status", "Planned", "Cancelled"),
        ]
    with app.test_request_context(), force_locale("id"):
        (reason, status) = shown_changes(entry)
        assert reason[2].startswith("Prospek ditutup")
        assert status[1:] != ("Planned", "Cancelled")


def test_only_the_parameters_changed_still_shows_the_text(app):
    entry = _entry(
        {"reason_code": texts.PROSPECT_CLOSED, "reason_params": {"status": "rejected"}},
        {"reason_code": texts.PROSPECT_CLOSED, "reason_params": {"status": "lost"}},
    )
    with app.test_request_context(), force_locale("en"):
        assert shown_changes(entry) == [
            (
                "reason",
                "The prospect was closed as rejected.",
                "The prospect was closed as lost.",
            )
        ]
