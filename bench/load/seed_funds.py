"""Seed SQL for the funds side (DPK): deposit accounts and their 12 month-end positions.

Every savings holding of the credit seed gets its tabungan account; a quarter of the customers
also hold a deposito (1–12 months, ARO for three in five, maturing all over the coming year, so
the renewal pipeline has work) and one company in three a giro. Balances follow a random walk
per account over the listing dates (deposito: flat principal), with about 2 % of accounts
closing inside the window and 3 % dormant; officer and branch are the customer's, as the
deposits listing books them.
"""

# ruff: noqa: S608  (SQL built from constants; values go as parameters)

ACCOUNTS = """
INSERT INTO deposit_accounts (account_no, customer_id, product_id, officer_id, branch_id,
                              deposit_type, currency, open_date, maturity_date, tenor_months,
                              interest_rate, aro, status, closed_on, created_at, updated_at)
SELECT a.account_no, c.id, p.id, c.officer_id, c.branch_id, p.deposit_type, 'IDR',
       CASE WHEN a.kind = 'deposito' THEN %(end)s::date - (a.tenor * 30 - a.left_days)
            ELSE c.since END,
       CASE WHEN a.kind = 'deposito' THEN %(end)s::date + a.left_days END,
       CASE WHEN a.kind = 'deposito' THEN a.tenor END,
       CASE a.kind WHEN 'tabungan' THEN 0.0100 WHEN 'giro' THEN 0.0050 ELSE 0.0450 END,
       CASE WHEN a.kind = 'deposito' THEN a.r < 0.6 END,
       CASE WHEN a.r2 < 0.02 THEN 'closed' WHEN a.r2 < 0.05 THEN 'dormant' ELSE 'active' END,
       CASE WHEN a.r2 < 0.02 THEN %(end)s::date - 30 * (1 + floor(a.r * 10))::int END,
       %(now)s, %(now)s
FROM (
    SELECT h.customer_id, 'tabungan' AS kind, '02' || lpad(h.customer_id::text, 11, '0') AS account_no,
           1 AS tenor, 0 AS left_days, random() AS r, random() AS r2
    FROM product_holdings h JOIN products t ON t.id = h.product_id AND t.code = 'TAB'
    UNION ALL
    SELECT id, 'deposito', '03' || lpad(id::text, 11, '0'), tn, 1 + floor(random() * tn * 30)::int,
           random(), random()
    FROM (SELECT id, (ARRAY[1, 3, 6, 12])[1 + floor(random() * 4)::int] AS tn, random() AS pick
          FROM customers) d WHERE pick < 0.25
    UNION ALL
    SELECT id, 'giro', '04' || lpad(id::text, 11, '0'), 1, 0, random(), random()
    FROM customers WHERE customer_type = 'company' AND random() < 0.34
) a
JOIN customers c ON c.id = a.customer_id
JOIN products p ON p.deposit_type = a.kind AND p.kind = 'deposit'
"""

# One position per account and listing date while it was open; a random walk around a size drawn
# per account (log-normal-ish: most balances small, a few large), deposito principal flat.
POSITIONS = """
INSERT INTO deposit_positions (account_id, as_of, customer_id, officer_id, branch_id,
                               deposit_type, balance, average_balance, status, maturity_date,
                               aro, import_id)
SELECT a.id, d.as_of, a.customer_id, a.officer_id, a.branch_id, a.deposit_type,
       round((s.size * CASE WHEN a.deposit_type = 'deposito' THEN 1
                            ELSE 0.7 + 0.6 * random() END)::numeric, 2),
       round((s.size * (0.8 + 0.3 * random()))::numeric, 2),
       CASE WHEN a.status = 'dormant' THEN 'dormant' ELSE 'active' END,
       a.maturity_date, a.aro, NULL
FROM deposit_accounts a
CROSS JOIN LATERAL (
    SELECT CASE a.deposit_type
             WHEN 'deposito' THEN 10000000 * (1 + floor(exp(random() * 4.5)))
             WHEN 'giro' THEN 5000000 * exp(random() * 6)
             ELSE 200000 * exp(random() * 6) END AS size
) s
JOIN unnest(%(dates)s::date[]) d(as_of)
  ON d.as_of >= a.open_date AND (a.closed_on IS NULL OR d.as_of < a.closed_on)
"""

STEPS = [
    ("deposit accounts (tabungan, deposito, giro)", ACCOUNTS),
    ("deposit positions", POSITIONS),
]
