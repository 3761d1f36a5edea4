"""Customer satisfaction surveys: one question (1–5, an optional comment, an optional 0–10
likelihood to recommend) sent by the officer over WhatsApp after a resolved complaint, a visit or
a renewal, answered once on a public page without login; CSAT and NPS per officer and branch."""
