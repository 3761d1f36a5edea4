"""Demo data for a first start."""
