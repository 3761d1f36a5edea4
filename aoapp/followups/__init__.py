"""Follow-ups (planned and done contacts), promises to pay and suggested collection follow-ups."""
