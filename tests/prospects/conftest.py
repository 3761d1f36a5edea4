"""Prospect test helpers: the URLs the app builds, and valid form data."""

import pytest
from flask import url_for


@pytest.fixture
def link(app):
    """`link(endpoint, **values)`: the URL the app builds for an endpoint (links of other features)."""

    def build(endpoint, **values):
        with app.test_request_context():
            return url_for(endpoint, **values)

    return build


def form_data(**overrides) -> dict:
    """A valid prospect form as a browser submits it (empty strings for blank fields)."""
    data = {
        "name": "Toko Sumber Rejeki",
        "phone": "0812 3456 7001",
        "email": "",
        "nik": "",
        "address": "Jl. Melati 5",
        "area": "Tanah Abang",
        "business_type": "Grocery",
        "estimated_credit_need": "50000000",
        "product_interest": "",
        "source": "walk_in",
        "referrer_customer": "",
        "referrer_name": "",
        "campaign_id": "",
        "next_follow_up_date": "",
        "notes": "",
    }
    data.update(overrides)
    return data
