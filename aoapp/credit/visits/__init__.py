"""Monitoring visits: record, correct, delete and list (services, API, pages)."""
