"""Builders of customer input: valid data as the form and the API send it."""

from aoapp.auth.models import User
from aoapp.extensions import db


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def form_data(**overrides) -> dict:
    """A valid customer form as a browser submits it (empty strings for blank fields)."""
    data = {
        "cif": "CIF-9000001",
        "name": "Toko Maju Jaya",
        "customer_type": "individual",
        "nik": "3201011506900501",
        "npwp": "",
        "phone": "0812 7777 0001",
        "email": "",
        "address": "Jl. Kenanga 7",
        "segment": "micro",
        "since": "2024-03-01",
    }
    data.update(overrides)
    return data


def api_data(**overrides) -> dict:
    """A valid customer as an API client posts it."""
    data = {
        "cif": "CIF-9000002",
        "name": "CV Sinar Terang",
        "customer_type": "company",
        "npwp": "01.234.567.8-901.000",
        "phone": "+62 812 7777 0002",
        "segment": "small",
    }
    data.update(overrides)
    return data
