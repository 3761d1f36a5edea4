"""the header search: customers.name_key and prospects.name_key, a name's words in lower-case
ASCII computed by the database (aoapp_search_key(name)), indexed in byte order and by trigrams
(pg_trgm); CIF, phone and account numbers indexed in byte order, so a prefix typed so far is a
range read in order

PostgreSQL: the function, a STORED generated column (the table is rewritten once), the indexes
with their collation and operator class. pg_trgm is a trusted extension (PostgreSQL 13+): the
database's owner may create it. SQLite: the app registers the same function on each of its
connections (aoapp.common.search_text); SQLite adds only VIRTUAL generated columns, and gets plain
indexes.

The function's strings are a frozen copy of aoapp.common.search_text (FOLDED, PLAIN, DROPPED);
changing it means dropping and adding the columns again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 21:00:00

"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

FOLDED = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅàáâãäåÈÉÊËèéêëÌÍÎÏìíîïÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿÑñÇç"
PLAIN = "abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooooouuuuuuuuyyynncc"
DROPPED = "'’`"

# IMMUTABLE (it reads no table and no setting), so a generated column may use it; plain SQL and
# not STRICT (a STRICT function around a CASE is not inlined: a call through the SQL-function
# executor costs ~10 µs). translate() costs ~4 µs a name in a UTF-8 database, five times the rest:
# names in ASCII (nearly all) take lower() in the "C" collation (A–Z only, whatever the database's
# locale) and replace() instead, with the same result. translate() drops the characters of its
# second argument that have no counterpart in the third: the apostrophes, at its end.
FUNCTION = """
CREATE OR REPLACE FUNCTION aoapp_search_key(value varchar) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT btrim(regexp_replace(
    CASE WHEN octet_length(value) = char_length(value)
         THEN replace(replace(lower(value COLLATE "C"), '''', ''), '`', '')
         ELSE translate(value, {source}, {target}) END,
    '[^a-z0-9]+', ' ', 'g')) $$
"""

TABLES = ("customers", "prospects")
BYTE_ORDER = (
    ("ix_customers_name_key", "customers", "name_key"),
    ("ix_customers_cif_prefix", "customers", "cif"),
    ("ix_customers_phone_prefix", "customers", "phone"),
    ("ix_prospects_name_key", "prospects", "name_key"),
    ("ix_prospects_phone_prefix", "prospects", "phone"),
    ("ix_facilities_account_prefix", "facilities", "account_no"),
    ("ix_product_holdings_account_prefix", "product_holdings", "account_no"),
)
TRIGRAMS = (
    ("ix_customers_name_trgm", "customers", "name_key"),
    ("ix_prospects_name_trgm", "prospects", "name_key"),
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(FUNCTION.format(source=_literal(FOLDED + DROPPED), target=_literal(PLAIN)))
    stored = "STORED" if postgresql else "VIRTUAL"
    for table in TABLES:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN name_key TEXT "
            f"GENERATED ALWAYS AS (aoapp_search_key(name)) {stored}"
        )
    for name, table, column in BYTE_ORDER:
        op.create_index(name, table, [column], postgresql_ops={column: 'COLLATE "C"'})
    for name, table, column in TRIGRAMS:
        op.create_index(
            name, table, [column], postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
        )


def downgrade():
    for name, table, _column in BYTE_ORDER + TRIGRAMS:
        op.drop_index(name, table_name=table)
    for table in TABLES:
        # A plain ALTER on SQLite too (3.35+): a batch copy of the table would trip the foreign
        # keys of the rows that reference it.
        op.execute(f"ALTER TABLE {table} DROP COLUMN name_key")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION aoapp_search_key(varchar)")
