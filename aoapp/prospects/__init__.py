"""Prospect collection: leads, pipeline, duplicates, referrals and conversion."""
