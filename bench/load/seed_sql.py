"""The seed's SQL: set-based INSERT … SELECT over generate_series, in dependency order.

Parameters (psycopg `%(name)s`): branches, officers, customers, facilities, prospects, today,
end (latest month end), first (earliest), dates, days (day offsets of the dates from `first`),
end_key, now, pw (the password hash), grace (PTP grace days).

Officer k (0-based) is user 2 + branches + k in branch 1 + k·branches/officers; customer c
belongs to officer (c·7919) mod officers, so each officer holds the same share. DPD follows one
story per facility (current, late now and then, slipping, recovering, chronic NPL,
restructured), so consecutive listings change the way real ones do.
"""

# ruff: noqa: S608  (SQL built from constants and the app's own enums; values go as parameters)

from aoapp.credit.collectibility import NPL_KOLS
from aoapp.followups.suggestions import BANDS
from bench.generate_listing import COMPANY_WORDS, FIRST_NAMES, LAST_NAMES

SESSION_SETTINGS = (
    "SET work_mem = '256MB'",
    "SET maintenance_work_mem = '1GB'",
    "SET synchronous_commit = off",
)
COUNTED = (
    "branches",
    "users",
    "products",
    "customers",
    "product_holdings",
    "facilities",
    "positions",
    "deposit_accounts",
    "deposit_positions",
    "renewal_opportunities",
    "follow_ups",
    "promises_to_pay",
    "complaints",
    "prospects",
    "targets",
)


def _array(words) -> str:
    return "ARRAY[" + ", ".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


def _pick(words, r: str = "random()") -> str:
    """SQL: one of `words`, chosen by the uniform number `r`."""
    return f"({_array(words)})[1 + floor({r} * {len(words)})::int]"


FIRST, LAST, COMPANY = _pick(FIRST_NAMES), _pick(LAST_NAMES), _pick(COMPANY_WORDS)
CITIES = (
    "Jakarta Sudirman", "Jakarta Kelapa Gading", "Bandung Dago", "Surabaya Darmo", "Medan Kesawan",
    "Semarang Pemuda", "Makassar Losari", "Palembang Ampera", "Denpasar Renon", "Yogyakarta Malioboro",
    "Malang Ijen", "Balikpapan Klandasan", "Pekanbaru Sudirman", "Manado Boulevard", "Padang Khatib",
    "Pontianak Gajah Mada", "Banjarmasin Lambung", "Solo Slamet Riyadi", "Bogor Pajajaran", "Cirebon Siliwangi",
)  # fmt: skip
OFFICER_OF = "mod({n}::bigint * 7919, %(officers)s)::int"  # officer index k of row n
USER_OF = "(2 + %(branches)s + {k})"
BRANCH_OF = "(1 + ({k})::bigint * %(branches)s / %(officers)s)::int"

# Credit products with the generator's terms; lo/hi (co_lo/co_hi) cut [0, 1) by the weights of
# individuals (companies), so a uniform draw picks a product.
SEED_PRODUCTS_TABLE = """
CREATE TEMP TABLE seed_products (
    id int, code text, subtype text, low numeric, high numeric, unit numeric, rate_low numeric,
    rate_high numeric, tenors int[], revolving bool, digit int,
    lo float8, hi float8, co_lo float8, co_hi float8
) ON COMMIT DROP"""
SEED_PRODUCT_ROW = """
INSERT INTO seed_products VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"""


def truncate_all(conn) -> str:
    """TRUNCATE every table but the reference bands and the migration version."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT IN ('collectibility_bands', 'alembic_version')"
        )
    ]
    return f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"


def drop_foreign_keys(conn) -> list[tuple[str, str]]:
    """Drop every foreign key of the schema; return (name, statement re-adding it)."""
    rows = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname"
    ).fetchall()
    for table, name, _definition in rows:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [(name, f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {d}') for t, name, d in rows]


def drop_indexes(conn, tables) -> list[tuple[str, str]]:
    """Drop the keys and indexes of `tables`; return (name, statement rebuilding it)."""
    rebuild = []
    for table in tables:
        keys = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u') ORDER BY contype, conname",
            (table,),
        ).fetchall()
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            (table,),
        ).fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for name, _definition in keys:
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild += [(n, f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}') for n, d in keys]
        # A partitioned table's index reads `ON ONLY` (the parent alone, left invalid until each
        # partition's is attached): rebuilt without it, it is made on every partition too.
        rebuild += [(n, d.replace(" ON ONLY ", " ON ", 1)) for n, d in indexes]
    return rebuild


def reset_sequences(conn) -> str:
    """One SELECT moving every id sequence past the ids the seed inserted."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_name = 'id' AND column_default LIKE 'nextval%%'"
    ).fetchall()
    parts = [
        f"setval(pg_get_serial_sequence('{t}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {t}), "
        "false)"
        for (t,) in rows
    ]
    return "SELECT " + ", ".join(parts)


OFFICER_NAME = f"{FIRST} || ' ' || {LAST}"
# Branches, users, supervised branches, products.
REFERENCE_STEPS = [
    (
        "branches",
        f"""INSERT INTO branches (id, code, name, created_at)
            SELECT b, 'BR' || lpad(b::text, 3, '0'),
                   ({_array(CITIES)})[1 + mod(b - 1, {len(CITIES)})]
                   || CASE WHEN b > {len(CITIES)} THEN ' ' || ((b - 1) / {len(CITIES)} + 1)
                      ELSE '' END,
                   %(now)s
            FROM generate_series(1, %(branches)s) b""",
    ),
    (
        "users (admin, supervisors, officers)",
        f"""INSERT INTO users (id, username, full_name, role, branch_id, officer_code,
                                   password_hash, active, failed_login_count, created_at)
            SELECT 1, 'admin', 'Bank Admin', 'admin', NULL, NULL, %(pw)s, true, 0, %(now)s
            UNION ALL
            SELECT 1 + b, 'spv.br' || lpad(b::text, 3, '0'), 'Supervisor BR' || lpad(b::text, 3,
                   '0'), 'supervisor', b, NULL, %(pw)s, true, 0, %(now)s
            FROM generate_series(1, %(branches)s) b
            UNION ALL
            SELECT {USER_OF.format(k="k")}, 'ao.' || lpad((k + 1)::text, 4, '0'), {OFFICER_NAME},
                   'officer', {BRANCH_OF.format(k="k")}, 'AO' || lpad((k + 1)::text, 4, '0'),
                   %(pw)s, true, 0, %(now)s
            FROM generate_series(0, %(officers)s - 1) k""",
    ),
    (
        "supervised branches",
        """INSERT INTO supervised_branches (user_id, branch_id)
            SELECT 1 + b, b FROM generate_series(1, %(branches)s) b""",
    ),
    (
        "products",
        """INSERT INTO products (id, code, name, kind, credit_subtype, deposit_type, active,
                                  description, created_at)
            SELECT id, code, 'Kredit ' || code, 'credit', subtype, NULL, true, '', %(now)s
            FROM seed_products
            UNION ALL
            SELECT 100 + n, code, name, kind, NULL, deposit_type, true, '', %(now)s
            FROM (VALUES (1, 'TAB', 'Tabungan', 'deposit', 'tabungan'),
                         (2, 'DEP', 'Deposito', 'deposit', 'deposito'),
                         (3, 'GIRO', 'Giro', 'deposit', 'giro'),
                         (4, 'MB', 'Mobile banking', 'service', NULL),
                         (5, 'ATM', 'Kartu ATM', 'service', NULL))
                 v(n, code, name, kind, deposit_type)""",
    ),
]


_BOUNDED = [b for b in BANDS if b.max_dpd is not None]
_LAST = BANDS[-1]


def band_case(column: str, value) -> str:
    """SQL CASE: the suggestion band's `value(band)` for a DPD column (the app's own bands)."""
    whens = " ".join(f"WHEN {column} <= {int(b.max_dpd)} THEN {value(b)}" for b in _BOUNDED)
    return f"(CASE {whens} ELSE {value(_LAST)} END)"


DISTRIBUTION = f"""
WITH latest AS (SELECT * FROM positions WHERE as_of = (SELECT max(as_of) FROM positions))
SELECT label, 100.0 * n / sum(n) OVER () FROM (
    SELECT 1 AS o, 'DPD 0' AS label, count(*) FILTER (WHERE dpd = 0) AS n FROM latest
    UNION ALL SELECT 2, 'DPD 1-30', count(*) FILTER (WHERE dpd BETWEEN 1 AND 30) FROM latest
    UNION ALL SELECT 3, 'DPD 31-90', count(*) FILTER (WHERE dpd BETWEEN 31 AND 90) FROM latest
    UNION ALL SELECT 4, 'DPD > 90', count(*) FILTER (WHERE dpd > 90) FROM latest
) d
UNION ALL
SELECT 'Kol ' || debtor_kol || CASE WHEN debtor_kol IN {tuple(NPL_KOLS)} THEN ' (NPL)' ELSE '' END,
       100.0 * count(*) / sum(count(*)) OVER ()
FROM positions WHERE as_of = (SELECT max(as_of) FROM positions) GROUP BY debtor_kol
"""
