"""Write and read audit entries; services call record() inside their own transaction."""

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from aoapp.audit.models import AuditEntry
from aoapp.common.pagination import Page, paginate
from aoapp.common.system_text import render
from aoapp.common.templating import label
from aoapp.extensions import db

SECRET_COLUMNS = {"password_hash", "token_hash"}


def _json_value(value):
    """Make a column value JSON-safe without losing precision (money stays exact as text)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def snapshot(record) -> dict:
    """The record's column values as a JSON-safe dict, secrets left out, and the columns the
    database computes from the others (a name's search key), which are not a change of their own."""
    return {
        column.key: _json_value(getattr(record, column.key))
        for column in sa.inspect(record).mapper.column_attrs
        if column.key not in SECRET_COLUMNS and not _computed(column)
    }


def _computed(attribute) -> bool:
    return any(getattr(column, "computed", None) is not None for column in attribute.columns)


def entity_type(record) -> str:
    """Audit name of a record's kind, e.g. 'prospect'."""
    return type(record).__name__.lower()


def record(actor, record_, action: str, before: dict | None, after: dict | None) -> AuditEntry:
    """Add an audit entry to the current unit of work; the caller commits."""
    if action == "update" and before is not None and after is not None:
        changed = {key for key in after if before.get(key) != after.get(key)}
        changed.discard("updated_at")
        if not changed:
            return None
    db.session.flush()  # the record needs its id
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        entity_type=entity_type(record_),
        entity_id=record_.id,
        action=action,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def record_all(actor, changes: list[tuple[object, str, dict | None, dict | None]]) -> None:
    """Add the audit entries of several records one unit of work changed, (record, action,
    before, after) each: the records are flushed once, their entries inserted together (a
    reassignment of many customers and their open work)."""
    db.session.flush()
    db.session.add_all(
        AuditEntry(
            actor_id=getattr(actor, "id", None),
            entity_type=entity_type(record_),
            entity_id=record_.id,
            action=action,
            before=before,
            after=after,
        )
        for record_, action, before, after in changes
    )


def history(entity: str, entity_id: int) -> list[AuditEntry]:
    """All audit entries of one record, newest first."""
    stmt = (
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return list(db.session.scalars(stmt))


def values_at(entity: str, ids, keys, moment: datetime) -> dict[int, dict]:
    """What `keys` of each record (`entity`, `ids`) held at `moment` (UTC), read back from the
    audit: the `before` of the first entry after it that holds the key. Every change of an
    audited record writes an entry, so a key no later entry holds has its current value then,
    which the caller reads (it is left out here). A record made after `moment` did not exist
    then: the caller that cares asks its creation time."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    stmt = (
        sa.select(AuditEntry.entity_id, AuditEntry.before)
        .where(
            AuditEntry.entity_type == entity,
            AuditEntry.entity_id.in_(ids),
            AuditEntry.at > moment,
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    found: dict[int, dict] = {}
    for entity_id, before in db.session.execute(stmt):
        known = found.setdefault(entity_id, {})
        for key in keys:
            if key not in known and key in (before or {}):
                known[key] = before[key]
    return found


def changed_fields(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field an entry changed."""
    before, after = entry.before or {}, entry.after or {}
    keys = sorted(set(before) | set(after))
    return [
        (key, before.get(key), after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
        and key != "updated_at"
        and not (_blank(before.get(key)) and _blank(after.get(key)))
    ]


# Fields that hold an enumeration's code: the history shows their label in the reader's language.
CODED_FIELDS = {
    "status",
    "from_status",
    "to_status",
    "channel",
    "purpose",
    "outcome",
    "category",
    "priority",
    "role",
    "segment",
    "customer_type",
    "source",
    "lost_reason",
    "place",
    "scope",
    "suggestion",
    "risk_rating",
    "credit_subtype",
}


def shown_changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """The changes of an entry as a reader sees them: a text the system wrote (`<name>_code` and
    `<name>_params`) as one field `<name>` said in the current language, codes by their label."""
    before, after = entry.before or {}, entry.after or {}
    shown = []
    for key, old, new in changed_fields(entry):
        if key.endswith("_params") and key[: -len("_params")] + "_code" in before | after:
            name = key[: -len("_params")]
            if any(row[0] == name for row in shown):
                continue  # its code changed too: shown once
            key = name + "_code"
            old, new = before.get(key), after.get(key)
        if key.endswith("_code") and key[: -len("_code")] + "_params" in before | after:
            name = key[: -len("_code")]
            params = name + "_params"
            old = render(old, before.get(params)) if old else old
            new = render(new, after.get(params)) if new else new
            shown.append((name, old, new))
        elif key in CODED_FIELDS:
            shown.append((key, _label(old), _label(new)))
        else:
            shown.append((key, old, new))
    return shown


def _label(value):
    return label(value) if isinstance(value, str) and value else value


def _blank(value) -> bool:
    """None and the empty string both mean 'nothing entered'."""
    return value is None or value == ""


def recent(filters: dict, per_page: int) -> Page:
    """One page of the latest audit entries, optionally of one entity type and one actor."""
    stmt = sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
    if filters.get("entity"):
        stmt = stmt.where(AuditEntry.entity_type == filters["entity"])
    if filters.get("actor"):
        stmt = stmt.where(AuditEntry.actor_id == filters["actor"])
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return paginate(stmt, filters.get("page", 1), per_page)


def entity_types() -> list[str]:
    """The kinds of records the log holds entries for."""
    stmt = sa.select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)
    return list(db.session.scalars(stmt))


def actors() -> list:
    """Users who appear as actors in the log."""
    User = AuditEntry.actor.property.mapper.class_  # noqa: N806 (auth's model, which sits above)
    used = sa.select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    return list(
        db.session.scalars(sa.select(User).where(User.id.in_(used)).order_by(User.username))
    )
