"""Reading the audit log: changed fields, history of a record, latest entries."""

from datetime import UTC, datetime, timedelta

from aoapp.audit import services as audit
from aoapp.audit.models import AuditEntry
from aoapp.extensions import db


def _entry(**kw) -> AuditEntry:
    values = {"entity_type": "prospect", "entity_id": 1, "action": "update"}
    entry = AuditEntry(**(values | kw))
    db.session.add(entry)
    db.session.commit()
    return entry


def test_changed_fields_lists_only_real_changes():
    entry = _entry(
        before={"name": "A", "phone": "6281", "notes": "", "updated_at": "t1", "area": None},
        after={"name": "B", "phone": "6281", "notes": None, "updated_at": "t2", "area": "Tebet"},
    )
    assert audit.changed_fields(entry) == [("area", None, "Tebet"), ("name", "A", "B")]


def test_changed_fields_of_a_creation_shows_the_values_entered():
    entry = _entry(action="create", before=None, after={"name": "A", "email": None, "notes": ""})
    assert audit.changed_fields(entry) == [("name", None, "A")]


def test_history_is_one_records_entries_newest_first():
    now = datetime.now(UTC)
    old = _entry(action="create", at=now - timedelta(days=1))
    new = _entry(at=now)
    _entry(entity_id=2)
    _entry(entity_type="customer")
    assert [e.id for e in audit.history("prospect", 1)] == [new.id, old.id]


def test_recent_filters_by_entity_type_and_actor(world):
    mine = _entry(actor_id=world.officer.id)
    _entry(entity_type="customer", actor_id=world.officer.id)
    _entry(actor_id=world.colleague.id)
    page = audit.recent({"entity": "prospect", "actor": world.officer.id}, per_page=50)
    assert [e.id for e in page.items] == [mine.id] and page.total == 1
    assert {u.username for u in audit.actors()} == {"ao.budi", "ao.sari"}
    assert {"branch", "customer", "prospect", "user"} <= set(audit.entity_types())
