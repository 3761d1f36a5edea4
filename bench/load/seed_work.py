"""Seed SQL for prospects, follow-ups, promises to pay and complaints.

Every facility delinquent on the latest listing gets 1–3 collection follow-ups: the listing's
suggestion (rule, channel and escalation from the app's own bands), planned around today for
three in four of them (overdue, today, next days) and done since the listing for the others,
plus done calls after earlier listings. Done ones record outcomes; a promise to pay follows each
`promised_to_pay`. About 30 % of customers and of open prospects also have relationship, offer,
monitoring or document follow-ups (planned or done); 1 % of customers filed a complaint.
"""

# ruff: noqa: S608  (SQL built from constants and the app's own enums; values go as parameters)

from aoapp.prospects.models import LostReason, ProspectSource
from bench.load.seed_sql import FIRST, LAST, OFFICER_OF, USER_OF, _pick, band_case

OPEN = "('new', 'contacted', 'interested', 'applied')"
K = OFFICER_OF.format(n="p")

PROSPECTS = f"""
INSERT INTO prospects (id, name, phone, email, nik, address, area, business_type,
                       estimated_credit_need, product_interest_id, source, referrer_customer_id,
                       referrer_name, campaign_id, owner_id, status, lost_reason, lost_note,
                       notes, customer_id, converted_at, created_at,
                       updated_at, version)
SELECT p, {FIRST} || ' ' || {LAST}, '62813' || lpad(p::text, 8, '0'), NULL,
       CASE WHEN random() < 0.5 THEN '33' || lpad(p::text, 14, '0') END,
       'Jl. Pasar No. ' || (1 + mod(p, 90)), 'Kelurahan ' || (1 + mod(p, 40)),
       {_pick(("warung", "toko kelontong", "bengkel", "katering", "konveksi", "pertanian"))},
       (10 + floor(random() * 490)) * 1000000, 1 + floor(random() * 6)::int,
       {_pick([s.value for s in ProspectSource])}, NULL, NULL, NULL,
       {USER_OF.format(k="k")}, status,
       CASE WHEN status IN ('lost', 'rejected') THEN {_pick([r.value for r in LostReason])} END,
       NULL, '', NULL, NULL, created, created, 1
FROM (SELECT p, {K} AS k, %(now)s - random() * interval '200 days' AS created,
             CASE WHEN r < 0.30 THEN 'new' WHEN r < 0.50 THEN 'contacted'
                  WHEN r < 0.65 THEN 'interested' WHEN r < 0.75 THEN 'applied'
                  WHEN r < 0.88 THEN 'lost' ELSE 'rejected' END AS status
      FROM (SELECT p, random() AS r FROM generate_series(1, %(prospects)s) p) g) s
"""

STATUS_CHANGES = """
INSERT INTO prospect_status_changes (prospect_id, from_status, to_status, reason, note,
                                     changed_on, changed_at, changed_by_id)
SELECT id, NULL, 'new', NULL, NULL, created_at::date, created_at, owner_id FROM prospects
UNION ALL
SELECT id, 'new', status, lost_reason, NULL, (created_at + (%(now)s - created_at) / 2)::date,
       created_at + (%(now)s - created_at) / 2, owner_id
FROM prospects WHERE status <> 'new'
"""

DELINQUENT = """
CREATE TEMP TABLE seed_delinquent ON COMMIT DROP AS
SELECT p.facility_id, p.customer_id, c.officer_id, p.dpd,
       p.arrears_principal + p.arrears_interest AS arrears,
       1 + floor(random() * 3)::int AS n, random() AS r
FROM positions p JOIN customers c ON c.id = p.customer_id
WHERE p.as_of = %(end)s AND p.dpd > 0
"""

_RULE = band_case("dpd", lambda b: f"'{b.rule.value}'")
_CHANNEL = band_case("dpd", lambda b: f"'{b.channel.value}'")
_ESCALATED = band_case("dpd", lambda b: "true" if b.escalated else "false")
_DONE_AT = "planned_date + time '09:00' + random() * interval '8 hours'"

COLLECTION = f"""
INSERT INTO follow_ups (customer_id, facility_id, owner_id, channel, purpose, planned_date,
                        planned_time, status, done_at, outcome, notes, suggestion,
                        suggestion_key, suggested_dpd, escalated, created_by_id, version,
                        created_at, updated_at)
SELECT customer_id, facility_id, officer_id,
       CASE WHEN k = 1 THEN {_CHANNEL} ELSE {_pick(("call", "whatsapp", "visit"))} END,
       'collection', planned_date,
       CASE WHEN random() < 0.4 THEN time '08:00' + floor(random() * 18) * interval '30 minutes' END,
       status, CASE WHEN status = 'done' THEN {_DONE_AT} END,
       CASE WHEN status = 'done' THEN
            CASE WHEN ro < 0.30 THEN 'promised_to_pay' WHEN ro < 0.50 THEN 'reached'
                 WHEN ro < 0.75 THEN 'not_reached' WHEN ro < 0.85 THEN 'rescheduled'
                 WHEN ro < 0.90 THEN 'refused' ELSE 'paid' END END,
       CASE WHEN status = 'done' THEN 'Debitur dihubungi tentang tunggakan.' ELSE '' END,
       CASE WHEN k = 1 THEN {_RULE} END, CASE WHEN k = 1 THEN %(end_key)s END,
       CASE WHEN k = 1 THEN dpd END, k = 1 AND {_ESCALATED},
       CASE WHEN k = 1 THEN NULL ELSE officer_id END, 1,
       least(%(now)s, planned_date - 3 + time '08:00'), least(%(now)s, planned_date - 3 + time '08:00')
FROM (
    SELECT d.*, k, random() AS ro,
           CASE WHEN k = 1 AND d.r < 0.75 THEN 'planned' ELSE 'done' END AS status,
           CASE WHEN k = 1 AND d.r < 0.75 THEN %(today)s::date + (-5 + floor(random() * 13))::int
                WHEN k = 1 THEN %(end)s::date + 1 + floor(random() * greatest(1,
                                    %(today)s::date - %(end)s::date - 1))::int
                ELSE %(end)s::date - 30 * (k - 1) + floor(random() * 20)::int END AS planned_date
    FROM seed_delinquent d CROSS JOIN LATERAL generate_series(1, d.n) k
) s
"""

PROMISES = """
INSERT INTO promises_to_pay (follow_up_id, facility_id, customer_id, officer_id, promised_amount,
                             promised_date, promised_on, deadline, created_at)
SELECT f.id, f.facility_id, f.customer_id, f.owner_id,
       greatest(100000, round(d.arrears * (0.5 + random()::numeric * 0.5), -3)),
       f.planned_date + f.wait, f.planned_date, f.planned_date + f.wait + %(grace)s, f.done_at
FROM (SELECT *, 3 + floor(random() * 12)::int AS wait FROM follow_ups
      WHERE outcome = 'promised_to_pay') f
JOIN seed_delinquent d ON d.facility_id = f.facility_id
"""

_OTHER = (
    "{party}, {owner}, {channel}, {purpose}, planned_date, NULL, status,"
    " CASE WHEN status = 'done' THEN " + _DONE_AT + " END,"
    " CASE WHEN status = 'done' THEN {outcome} END, '', NULL, NULL, NULL, false, {owner}, 1,"
    " least(%(now)s, planned_date - 5 + time '08:00'), least(%(now)s, planned_date - 5 + time '08:00')"
)
_OTHER_DATE = """CASE WHEN r2 < 0.35 THEN 'planned' ELSE 'done' END AS status,
    CASE WHEN r2 < 0.35 THEN %(today)s::date + (-3 + floor(random() * 24))::int
         ELSE %(today)s::date - (1 + floor(random() * 120))::int END AS planned_date"""
_COLUMNS = """(customer_id, prospect_id, owner_id, channel, purpose, planned_date, planned_time,
    status, done_at, outcome, notes, suggestion, suggestion_key, suggested_dpd, escalated,
    created_by_id, version, created_at, updated_at)"""

CUSTOMER_FOLLOWUPS = f"""
INSERT INTO follow_ups {_COLUMNS}
SELECT {
    _OTHER.format(
        party="id, NULL",
        owner="officer_id",
        channel=_pick(("call", "whatsapp", "visit", "meeting", "email")),
        purpose=_pick(("relationship", "product_offer", "monitoring", "document_request")),
        outcome=_pick(("reached", "interested", "not_interested", "not_reached")),
    )
}
FROM (SELECT id, officer_id, r2, {_OTHER_DATE}
      FROM (SELECT id, officer_id, random() AS r, random() AS r2 FROM customers) c
      WHERE r < 0.3) s
"""

PROSPECT_FOLLOWUPS = f"""
INSERT INTO follow_ups {_COLUMNS}
SELECT {
    _OTHER.format(
        party="NULL, id",
        owner="owner_id",
        channel=_pick(("call", "whatsapp", "visit")),
        purpose=_pick(("product_offer", "relationship")),
        outcome=_pick(("reached", "interested", "not_interested", "not_reached")),
    )
}
FROM (SELECT id, owner_id, r2, {_OTHER_DATE}
      FROM (SELECT id, owner_id, status, random() AS r, random() AS r2 FROM prospects) p
      WHERE r < 0.3 AND status IN {OPEN}) s
"""

COMPLAINTS = f"""
INSERT INTO complaints (customer_id, facility_id, officer_id, branch_id, channel, category,
                        priority, description, received_at, due_date, status, escalated_at,
                        escalated_by_id, escalation_reason, resolution, resolved_at,
                        resolved_by_id, closed_at, created_by_id, version, created_at, updated_at)
SELECT id, CASE WHEN r2 < 0.5 THEN (SELECT min(f.id) FROM facilities f WHERE f.customer_id = s.id)
           END,
       officer_id, branch_id, {_pick(("branch", "call", "whatsapp", "email", "letter", "visit"))},
       {_pick(("billing", "interest_rate", "service", "collection_conduct", "product", "data"))},
       {_pick(("low", "normal", "normal", "normal", "high", "urgent"))},
       'Nasabah mengeluhkan ' || {_pick(("tagihan", "bunga", "pelayanan", "data rekening"))} || '.',
       received, received::date + 14, status,
       CASE WHEN status = 'escalated' THEN received + interval '2 days' END,
       CASE WHEN status = 'escalated' THEN officer_id END,
       CASE WHEN status = 'escalated' THEN 'Perlu keputusan supervisor.' END,
       CASE WHEN status IN ('resolved', 'closed') THEN 'Sudah diselesaikan.' END,
       CASE WHEN status IN ('resolved', 'closed') THEN received + interval '5 days' END,
       CASE WHEN status IN ('resolved', 'closed') THEN officer_id END,
       CASE WHEN status = 'closed' THEN received + interval '7 days' END,
       officer_id, 1, received, received
FROM (SELECT id, officer_id, branch_id, r2,
             %(now)s - (1 + random() * 40) * interval '1 day' AS received,
             CASE WHEN r3 < 0.30 THEN 'open' WHEN r3 < 0.55 THEN 'in_progress'
                  WHEN r3 < 0.60 THEN 'escalated' WHEN r3 < 0.80 THEN 'resolved'
                  ELSE 'closed' END AS status
      FROM (SELECT id, officer_id, branch_id, random() AS r, random() AS r2, random() AS r3
            FROM customers) c
      WHERE r < 0.01) s
"""

TARGETS = """
INSERT INTO targets (officer_id, month, new_customers, new_disbursement, outstanding_growth,
                     max_npl_ratio, followups_done, introductions, set_by_id, created_at,
                     updated_at)
SELECT u.id, m.month, 2 + floor(random() * 4)::int,
       (5 + floor(random() * 16)) * 100000000, (1 + floor(random() * 10)) * 100000000,
       0.0300 + floor(random() * 3) * 0.0100, 60 + floor(random() * 61)::int,
       10 + floor(random() * 16)::int, NULL, %(now)s, %(now)s
FROM users u
CROSS JOIN (SELECT (date_trunc('month', %(today)s::date) - k * interval '1 month')::date AS month
            FROM generate_series(0, 3) k) m
WHERE u.role = 'officer'
"""

PROSPECT_STEPS = [("prospects", PROSPECTS), ("prospect status changes", STATUS_CHANGES)]
WORK_STEPS = [
    ("delinquent facilities (temporary)", DELINQUENT),
    ("collection follow-ups", COLLECTION),
    ("promises to pay", PROMISES),
    ("customer follow-ups", CUSTOMER_FOLLOWUPS),
    ("prospect follow-ups", PROSPECT_FOLLOWUPS),
    ("complaints", COMPLAINTS),
    ("targets (the current and previous 3 months)", TARGETS),
]
