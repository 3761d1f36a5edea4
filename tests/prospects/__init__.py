"""Prospect collection: services, pages and API."""
