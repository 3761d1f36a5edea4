"""texts an import writes on its record are a code and its parameters, rendered in the reader's
language: position_imports.message_code/message_params (why it was refused or failed), and the
notes of its summary as {"code", "params"} (how the file was read)

Existing records whose message or notes are one of the known system sentences (English or
Indonesian) get the code and its parameters; anything else stays as it was written.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:00:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

imports = sa.table(
    "position_imports",
    sa.column("id", sa.Integer),
    sa.column("message", sa.Text),
    sa.column("message_code", sa.String),
    sa.column("message_params", sa.JSON),
    sa.column("summary", sa.JSON),
)

NUMBER = r"(?P<{}>\d[\d.,]*)"
MESSAGES = (
    (
        "imports.interrupted",
        r"The import was interrupted \(its process stopped\) and changed nothing\.",
    ),
    ("imports.interrupted", r"Impor terputus \(prosesnya berhenti\) dan tidak mengubah apa pun\."),
    (
        "imports.rows_rejected",
        NUMBER.format("errors")
        + r" error\(s\) on "
        + NUMBER.format("rows")
        + r" row\(s\): nothing was imported\.",
    ),
    (
        "imports.rows_rejected",
        NUMBER.format("errors")
        + r" kesalahan pada "
        + NUMBER.format("rows")
        + r" baris: tidak ada yang diimpor\.",
    ),
    ("imports.no_rows", r"The listing has no rows\."),
    ("imports.no_rows", r"Daftar nominatif tidak berisi baris\."),
    ("imports.no_header", r"The file is empty or has no header row\."),
    ("imports.no_header", r"Berkas kosong atau tidak memiliki baris judul kolom\."),
    ("imports.failed", r"The import failed and changed nothing: (?P<error>.+)"),
    ("imports.failed", r"Impor gagal dan tidak mengubah apa pun: (?P<error>.+)"),
    ("imports.headers", r"Missing required columns: (?P<missing>[\w, ]+)\."),
    ("imports.headers", r"Kolom wajib tidak ada: (?P<missing>[\w, ]+)\."),
    (
        "imports.unsupported_type",
        r"Unsupported file type (?P<suffix>\.\w+): send a \.csv or \.xlsx listing\.",
    ),
    (
        "imports.unsupported_type",
        r"Jenis berkas (?P<suffix>\.\w+) tidak didukung: kirim daftar nominatif \.csv atau \.xlsx\.",
    ),
)
CONVENTIONS = {
    "plain (1234567.89)": "dot",
    "biasa (1234567.89)": "dot",
    "Indonesian (1.234.567,89)": "comma",
    "Indonesia (1.234.567,89)": "comma",
    "ISO (2026-10-31)": "iso",
    "dd/mm/yyyy (31/10/2026)": "dmy",
    "hh/bb/tttt (31/10/2026)": "dmy",
}
NOTES = (
    (
        "imports.numbers",
        r"(?:Numbers|Angka): (?:format )?(?P<convention>.+?)(?P<detected> \((?:detected|terdeteksi)\))?\.",
    ),
    (
        "imports.dates",
        r"(?:Dates|Tanggal): (?:format )?(?P<convention>.+?)(?P<detected> \((?:detected|terdeteksi)\))?\.",
    ),
)
FORMAT = re.compile(
    r"Format: (?P<format>csv|xlsx)"
    r"(?:, (?:delimiter|pemisah) '(?P<delimiter>.)')?"
    r"(?:, encoding (?P<encoding>[\w-]+))?"
    r"(?:, sheet '(?P<sheet>[^']*)')?\."
)


def _count(text: str) -> int:
    return int(re.sub(r"[.,]", "", text))


def message_text(message: str | None) -> tuple[str, dict] | None:
    """The code and parameters of a known message (the whole of it), else None."""
    for code, pattern in MESSAGES:
        found = re.fullmatch(pattern, (message or "").strip(), flags=re.S)
        if not found:
            continue
        values = found.groupdict()
        if code == "imports.rows_rejected":
            return code, {"errors": _count(values["errors"]), "rows": _count(values["rows"])}
        if code == "imports.headers":
            missing = [name.strip() for name in values["missing"].split(",")]
            return code, {"missing": missing, "duplicates": []}
        return code, values
    return None


def note_text(note) -> dict | None:
    """A known note as {"code", "params"}, else None (it stays as written)."""
    if not isinstance(note, str):
        return None
    found = FORMAT.fullmatch(note.strip())
    if found:
        return {"code": "imports.format", "params": found.groupdict()}
    for code, pattern in NOTES:
        found = re.fullmatch(pattern, note.strip())
        if found and found["convention"] in CONVENTIONS:
            params = {
                "convention": CONVENTIONS[found["convention"]],
                "detected": bool(found["detected"]),
            }
            return {"code": code, "params": params}
    return None


def _convert(connection) -> None:
    rows = connection.execute(
        sa.select(imports).where(
            sa.or_(imports.c.message.is_not(None), imports.c.summary.is_not(None))
        )
    ).all()
    for row in rows:
        values = {}
        known = message_text(row.message)
        if known is not None:
            values |= {"message": None, "message_code": known[0], "message_params": known[1]}
        summary = row.summary if isinstance(row.summary, dict) else None
        if summary and isinstance(summary.get("notes"), list):
            notes = [note_text(note) or note for note in summary["notes"]]
            if notes != summary["notes"]:
                values["summary"] = {**summary, "notes": notes}
        if values:
            connection.execute(sa.update(imports).where(imports.c.id == row.id).values(**values))


def upgrade():
    with op.batch_alter_table("position_imports") as batch:
        batch.add_column(sa.Column("message_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("message_params", sa.JSON(), nullable=True))
    _convert(op.get_bind())


def downgrade():
    with op.batch_alter_table("position_imports") as batch:
        batch.drop_column("message_params")
        batch.drop_column("message_code")
