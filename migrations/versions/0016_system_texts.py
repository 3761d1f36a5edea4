"""texts the system writes on follow-ups are a code and its parameters, rendered in the reader's
language: follow_ups.note_code/note_params (a suggestion's note) and reason_code/reason_params
(the reason of a change made from a prospect's data)

Existing rows whose notes or reason begin with one of the known system sentences (English or
Indonesian, in every form they were written) get the code and its parameters, and keep only what
the officer typed after it; anything else stays as typed text.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 19:30:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

follow_ups = sa.table(
    "follow_ups",
    sa.column("id", sa.Integer),
    sa.column("notes", sa.Text),
    sa.column("reason", sa.Text),
    sa.column("suggestion", sa.String),
    sa.column("suggestion_key", sa.String),
    sa.column("suggested_dpd", sa.Integer),
    sa.column("note_code", sa.String),
    sa.column("note_params", sa.JSON),
    sa.column("reason_code", sa.String),
    sa.column("reason_params", sa.JSON),
)
promises = sa.table(
    "promises_to_pay",
    sa.column("id", sa.Integer),
    sa.column("promised_amount", sa.Numeric),
    sa.column("promised_date", sa.Date),
)

LISTING = "followup.suggested_listing"
BROKEN = "followup.broken_promise"
CHASE = "followup.chase_broken_promise"
NOTES = (
    (LISTING, r"Suggested: (?P<dpd>\d+) days? past due on the (?P<day>[^.\n]+) listing\."),
    (LISTING, r"Disarankan: tunggakan (?P<dpd>\d+) hari pada daftar nominatif (?P<day>[^\n]+?)\."),
    (LISTING, r"Suggested after the (?P<day>[\d/]+) listing: (?P<dpd>\d+) days? past due\."),
    (LISTING, r"Suggested: (?P<dpd>\d+) days? past due"),  # the first, set-based note
    (BROKEN, r"Promise of [^\n]+? by [^\n]+? was broken\."),
    (BROKEN, r"Janji bayar [^\n]+? paling lambat [^\n]+? tidak ditepati\."),
    (CHASE, r"Promise to pay broken: ask for the payment and a firm new date\."),
)
REASONS = (
    ("followup.next_contact_cleared", r"The next follow-up was cleared on the prospect's data\."),
    ("followup.next_contact_cleared", r"Tanggal tindak lanjut berikutnya dikosongkan pada data prospek\."),
    ("followup.next_contact_moved", r"The next follow-up was moved on the prospect's data\."),
    ("followup.next_contact_moved", r"Tindak lanjut berikutnya dipindahkan pada data prospek\."),
    ("followup.prospect_closed", r"The prospect was closed as (?P<status>[^.\n]+)\."),
    ("followup.prospect_closed", r"Prospek ditutup dengan status (?P<status>[^.\n]+)\."),
)
STATUS = {"rejected": "rejected", "lost": "lost", "ditolak": "rejected", "gagal": "lost"}


def _match(patterns, text):
    """The code, the match and the rest of `text` when it begins with a known sentence."""
    for code, pattern in patterns:
        found = re.match(r"\s*" + pattern, text or "")
        if found:
            return code, found, text[found.end() :].strip()
    return None


def _note_params(connection, code, found, row) -> dict | None:
    """The parameters of a note, from the row itself (never from parsing a formatted value)."""
    if code == LISTING:
        key = row.suggestion_key or ""
        day = key[-10:] if re.fullmatch(r"(demo-)?\d{4}-\d{2}-\d{2}", key) else None
        dpd = row.suggested_dpd if row.suggested_dpd is not None else int(found["dpd"])
        return {"day": day, "dpd": dpd} if day else None
    if code == BROKEN:
        key = row.suggestion_key or ""
        if not key.startswith("ptp:"):
            return None
        promise = connection.execute(
            sa.select(promises).where(promises.c.id == int(key[4:]))
        ).first()
        if promise is None:
            return None
        return {"amount": str(promise.promised_amount), "day": promise.promised_date.isoformat()}
    return {}


def _convert(connection) -> None:
    rows = connection.execute(
        sa.select(follow_ups).where(sa.or_(follow_ups.c.notes != "", follow_ups.c.reason != ""))
    ).all()
    for row in rows:
        values = {}
        note = _match(NOTES, row.notes)
        if note is not None:
            code, found, rest = note
            params = _note_params(connection, code, found, row)
            if params is not None:
                values |= {"note_code": code, "note_params": params, "notes": rest}
        reason = _match(REASONS, row.reason)
        if reason is not None and not reason[2]:
            code, found, _rest = reason
            params = {}
            if "status" in found.groupdict():
                status = STATUS.get(found["status"].strip().lower())
                params = {"status": status} if status else None
            if params is not None:
                values |= {"reason_code": code, "reason_params": params, "reason": None}
        if values:
            connection.execute(
                sa.update(follow_ups).where(follow_ups.c.id == row.id).values(**values)
            )


def upgrade():
    with op.batch_alter_table("follow_ups") as batch:
        batch.add_column(sa.Column("note_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("note_params", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("reason_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("reason_params", sa.JSON(), nullable=True))
    _convert(op.get_bind())


def downgrade():
    with op.batch_alter_table("follow_ups") as batch:
        batch.drop_column("reason_params")
        batch.drop_column("reason_code")
        batch.drop_column("note_params")
        batch.drop_column("note_code")
