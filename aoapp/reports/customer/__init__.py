"""Per-customer workbooks: one customer's period, loaded in batches, built, generated."""
