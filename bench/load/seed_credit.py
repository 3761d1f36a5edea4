"""Seed SQL for customers, their savings and services, facilities and 12 month-end positions each.

Each facility draws a DPD story once (seed_plan): current payer late now and then (87 %), late
most months (4 %), slipping from some month on (3 %), recovering (3 %), chronic NPL (1 %),
restructured before the window with arrears for a few months (2 %); the story is drawn per
customer and four in five of its facilities follow it. Kol is computed as the
import does, set-based: DPD Kol from `collectibility_bands`, the file Kol (bank judgement, 1 % of
facilities from some month on), the restructure hold (a running maximum), the one-obligor debtor
Kol (the worst facility Kol of the customer on the date), the rule, and the previous listing's
DPD and debtor Kol.
"""

# ruff: noqa: S608  (SQL built from constants and the app's own enums; values go as parameters)

from bench.load.seed_sql import BRANCH_OF, COMPANY, FIRST, LAST, OFFICER_OF, USER_OF, _pick

STREETS = ("Merdeka", "Sudirman", "Diponegoro", "Gajah Mada", "Ahmad Yani", "Pahlawan", "Kenanga")
K = OFFICER_OF.format(n="c")

CUSTOMERS = f"""
INSERT INTO customers (id, cif, name, customer_type, nik, npwp, phone, email, address, segment,
                       branch_id, officer_id, since, created_at, updated_at, version)
SELECT c, lpad(mod(c::bigint * 104729 + 7000003, 10000000000)::text, 10, '0'),
       CASE WHEN company THEN CASE WHEN r_pt < 0.5 THEN 'PT ' ELSE 'CV ' END
                              || {COMPANY} || ' ' || {COMPANY}
            ELSE {FIRST} || ' ' || {LAST} END,
       CASE WHEN company THEN 'company' ELSE 'individual' END,
       CASE WHEN company THEN NULL ELSE '32' || lpad(c::text, 14, '0') END,
       CASE WHEN company THEN '01' || lpad(c::text, 14, '0') END,
       '62812' || lpad(c::text, 8, '0'), NULL,
       'Jl. ' || {_pick(STREETS)} || ' No. ' || (1 + mod(c, 200)),
       CASE WHEN company THEN {_pick(("small", "medium", "corporate"))}
            ELSE {_pick(("micro", "micro", "small", "consumer"))} END,
       {BRANCH_OF.format(k="k")}, {USER_OF.format(k="k")},
       %(first)s::date - (400 + floor(r_since * 4000))::int, %(now)s, %(now)s, 1
FROM (SELECT c, {K} AS k, random() < 0.08 AS company, random() AS r_pt, random() AS r_since
      FROM generate_series(1, %(customers)s) c) s
"""

SAVINGS = """
INSERT INTO product_holdings (customer_id, product_id, account_no, opened_on, created_at)
SELECT id, (SELECT id FROM products WHERE code = 'TAB'), '01' || lpad(id::text, 11, '0'), since,
       %(now)s
FROM (SELECT id, since, random() AS r FROM customers) c WHERE r < 0.7
"""

# Services recorded by hand, as a bank where they are common: mobile banking for 30 % of
# customers, an ATM card for 25 %, recorded on a day spread from ten months before the first
# listing to a month after the last, at most today (those after it: since the last month-end).
SERVICES = """
INSERT INTO product_holdings (customer_id, product_id, account_no, opened_on, created_at)
SELECT c.id, p.id, NULL, NULL,
       least(%(first)s::date - 300 + floor(random() * (%(end)s::date - %(first)s::date + 330))::int,
             %(today)s::date)
FROM (SELECT id, random() AS r_mb, random() AS r_atm FROM customers) c
JOIN products p ON p.code IN ('MB', 'ATM')
WHERE (p.code = 'MB' AND c.r_mb < 0.30) OR (p.code = 'ATM' AND c.r_atm < 0.25)
"""

# Distress runs in debtors: a customer draws one story (a multiplicative hash of its id), four in
# five of its facilities follow it, the others pay on time.
_CUSTOMER_DRAW = "(mod(c.id::bigint * 2654435761, 4294967296) / 4294967296.0)"
_CUSTOMER_PROFILE = f"""CASE WHEN {_CUSTOMER_DRAW} < 0.87 THEN 0 WHEN {_CUSTOMER_DRAW} < 0.91 THEN 1
    WHEN {_CUSTOMER_DRAW} < 0.94 THEN 2 WHEN {_CUSTOMER_DRAW} < 0.97 THEN 3
    WHEN {_CUSTOMER_DRAW} < 0.98 THEN 4 ELSE 5 END"""

# One row per facility: its customer (the first `customers` facilities one each, the rest drawn
# at random: 1 + Poisson(1.5) facilities per customer), product by the customer's type, terms
# and the DPD story (profile, p1, p2 and s_day, the day offset its arrears count from).
PLAN = f"""
CREATE TEMP TABLE seed_plan ON COMMIT DROP AS
SELECT s.*,
       %(first)s::date - 30 - floor(s.r_start * (s.tenor * 30 - 425))::int AS start_date,
       CASE s.profile WHEN 2 THEN -2 + floor(s.r_a * 14)::int WHEN 3 THEN 1 + floor(s.r_a * 11)::int
                      WHEN 5 THEN floor(s.r_a * 5)::int END AS p1,
       CASE s.profile WHEN 2 THEN 3 + floor(s.r_b * 26)::int WHEN 3 THEN 31 + floor(s.r_b * 120)::int
                      WHEN 4 THEN 181 + floor(s.r_b * 420)::int
                      WHEN 5 THEN 10 + floor(s.r_b * 50)::int END AS p2
FROM (
    SELECT g.f AS facility_id, c.id AS customer_id, c.officer_id, c.branch_id,
           p.id AS product_id, p.digit, p.revolving,
           greatest(p.unit, round(exp(g.r1 * ln(p.high / p.low)) * p.low / p.unit) * p.unit)::numeric(18, 2)
               AS plafond,
           round(p.rate_low + g.r2::numeric * (p.rate_high - p.rate_low), 2) AS rate,
           p.tenors[1 + floor(g.r3 * array_length(p.tenors, 1))::int] AS tenor,
           CASE WHEN g.r5 >= 0.8 THEN 0 ELSE {_CUSTOMER_PROFILE} END AS profile,
           CASE WHEN g.r6 < 0.01 THEN floor(g.r6 * 1200)::int END AS file_from,
           g.r4 AS r_start, g.r7 AS r_a, g.r8 AS r_b, g.r9 AS r_usage
    FROM (SELECT f, CASE WHEN f <= %(customers)s THEN f
                         ELSE 1 + floor(random() * %(customers)s)::int END AS cust,
                 random() AS r0, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                 random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9
          FROM generate_series(1, %(facilities)s) f) g
    JOIN customers c ON c.id = g.cust
    JOIN seed_products p ON CASE WHEN c.customer_type = 'company'
                                 THEN g.r0 >= p.co_lo AND g.r0 < p.co_hi
                                 ELSE g.r0 >= p.lo AND g.r0 < p.hi END
) s
"""

FACILITIES = """
INSERT INTO facilities (id, account_no, customer_id, product_id, currency, plafond, interest_rate,
                        tenor_months, start_date, maturity_date, purpose, collateral_description,
                        collateral_value, restructured, restructured_on, status, closed_on,
                        created_at, updated_at)
SELECT facility_id,
       '00' || digit || lpad(mod(facility_id::bigint * 7919 + 1234567, 10000000000)::text, 10, '0'),
       customer_id, product_id, 'IDR', plafond, rate, tenor, start_date,
       (start_date + make_interval(months => tenor))::date, '', '', NULL, profile = 5,
       CASE WHEN profile = 5 THEN start_date + ((%(first)s::date - start_date) * 0.7)::int END,
       'active', NULL, %(now)s, %(now)s
FROM seed_plan
"""

IMPORTS = """
INSERT INTO position_imports (id, user_id, source, file_name, sha256, as_of, partial, status,
                              stage, progress, rows, error_count, started_at, finished_at)
SELECT n, 1, 'cli', 'listing_' || d || '.csv', encode(sha256(d::text::bytea), 'hex'), d, false,
       'succeeded', 'done', 100, %(facilities)s, 0, d + time '20:00', d + time '20:05'
FROM unnest(%(dates)s::date[]) WITH ORDINALITY u(d, n)
"""

_DPD = """CASE p.profile
    WHEN 0 THEN CASE WHEN random() < 0.03 THEN 1 + floor(random() * 25)::int ELSE 0 END
    WHEN 1 THEN CASE WHEN random() < 0.7 THEN 1 + floor(random() * 29)::int ELSE 0 END
    WHEN 2 THEN CASE WHEN d.t >= p.p1
                     THEN p.p2 + d.day - coalesce((%(days)s::int[])[p.p1 + 1], p.p1 * 30)
                     ELSE 0 END
    WHEN 4 THEN p.p2 + d.day
    ELSE CASE WHEN d.t < p.p1 THEN p.p2 + d.day ELSE 0 END
END"""
_OUTSTANDING = """CASE WHEN p.revolving THEN round(p.plafond * (0.55 + 0.45 * p.r_usage::numeric), 2)
    ELSE round(p.plafond * greatest(0.02, 1 - (d.as_of - p.start_date) / 30.44 / p.tenor), 2) END"""

POSITIONS = f"""
INSERT INTO positions (facility_id, as_of, customer_id, officer_id, branch_id, outstanding,
                       arrears_principal, arrears_interest, dpd, file_kol, dpd_kol, facility_kol,
                       debtor_kol, kol_rule, prev_dpd, prev_kol, import_id)
SELECT facility_id, as_of, customer_id, officer_id, branch_id, outstanding,
       round(ceil(dpd / 30.0) * plafond / tenor, 2),
       round(ceil(dpd / 30.0) * outstanding * rate / 1200, 2),
       dpd, file_kol, dpd_kol, facility_kol, debtor_kol,
       CASE WHEN debtor_kol > facility_kol THEN 'one_obligor'
            WHEN facility_kol > own_kol THEN 'restructure_hold'
            WHEN file_kol > dpd_kol THEN 'file' ELSE 'dpd' END,
       lag(dpd) OVER w, lag(debtor_kol) OVER w, t + 1
FROM (
    SELECT h.*, max(h.facility_kol) OVER (PARTITION BY h.customer_id, h.t) AS debtor_kol
    FROM (
        SELECT o.*, CASE WHEN o.restructured
                         THEN max(o.own_kol) OVER (PARTITION BY o.facility_id ORDER BY o.t)
                         ELSE o.own_kol END AS facility_kol
        FROM (
            SELECT k.*, greatest(k.dpd_kol, coalesce(k.file_kol, 0)) AS own_kol
            FROM (
                SELECT r.*, b.kol AS dpd_kol,
                       CASE WHEN r.t >= r.file_from
                            THEN least(b.kol + 1, (SELECT max(kol) FROM collectibility_bands))
                       END AS file_kol
                FROM (
                    SELECT p.facility_id, p.customer_id, p.officer_id, p.branch_id, p.plafond,
                           p.rate, p.tenor, p.profile = 5 AS restructured, p.file_from,
                           d.as_of, d.t, {_DPD} AS dpd, {_OUTSTANDING} AS outstanding
                    FROM seed_plan p
                    CROSS JOIN (SELECT as_of, day, n - 1 AS t
                                FROM unnest(%(dates)s::date[], %(days)s::int[])
                                     WITH ORDINALITY u(as_of, day, n)) d
                ) r
                JOIN collectibility_bands b
                  ON r.dpd >= b.min_dpd AND (b.max_dpd IS NULL OR r.dpd <= b.max_dpd)
            ) k
        ) o
    ) h
) x
WINDOW w AS (PARTITION BY facility_id ORDER BY t)
ORDER BY as_of, branch_id, officer_id, customer_id  -- each month laid out as an import lays it
"""

STEPS = [
    ("customers", CUSTOMERS),
    ("product holdings (savings)", SAVINGS),
    ("product holdings (services: mobile banking, ATM card)", SERVICES),
    ("facility plan (temporary)", PLAN),
    ("ANALYZE plan", "ANALYZE seed_plan"),
    ("facilities", FACILITIES),
    ("listing imports", IMPORTS),
    ("positions (Kol, one-obligor, previous)", POSITIONS),
]
