"""Audit trail of every change to customer and credit data."""
