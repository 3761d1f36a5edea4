"""The growth loop in a real browser, on phones: the officer finds a maturing loan on the agenda,
records its top-up (the new plafond typed the Indonesian way) and sends a satisfaction survey;
the customer answers it on their own phone, without logging in."""

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.surveys.models import Survey
from tests.e2e.conftest import login
from tests.support import factories
from tests.support import renewals as R
from tests.support.browser import switch_language
from tests.support.renewals import loader  # noqa: F401  (the fixture)

pytestmark = pytest.mark.today(R.TODAY)


def test_from_a_maturing_loan_to_a_top_up_and_the_customers_answer(
    live_server,
    phone,
    browser,
    world,
    loader,  # noqa: F811
):
    loader.loan_listing(R.first_loans(world.officer.officer_code), R.OCT31)
    maturing = R.opportunities()["L1"]
    login(phone, live_server, "ao.budi", factories.PASSWORD)
    switch_language(phone, "id")
    phone.goto(f"{live_server}/agenda/")
    row = phone.locator(f'#renewals [data-kind="renewal"][data-id="{maturing.id}"]')
    assert "Kredit jatuh tempo dalam 30 hari" in phone.inner_text("#renewals-title")
    with phone.expect_navigation():
        row.locator("a").first.tap()
    assert phone.url.endswith(f"/renewals/{maturing.id}")

    phone.select_option("#outcome select[name=outcome]", "topped_up")
    phone.fill("#outcome input[name=new_plafond]", "Rp 750 jt")
    with phone.expect_navigation():
        phone.locator("#outcome button[type=submit]").tap()
    assert phone.inner_text("#topup-amount").strip() == "Rp 250.000.000"
    width, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner

    with phone.expect_navigation():
        phone.locator("#survey-after-renewal button").tap()
    path = urlsplit(phone.input_value("#survey-url")).path  # the tests' SERVER_NAME: localhost
    assert path.startswith("/s/")

    customer = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    try:
        answer = customer.new_page()
        answer.goto(f"{live_server}{path}")
        assert maturing.customer.name not in answer.content()
        answer.locator("label[for=score-5]").tap()
        with answer.expect_navigation():
            answer.get_by_role("button", name="Kirim jawaban").tap()
        assert "Terima kasih!" in answer.inner_text("body")
    finally:
        customer.close()
    db.session.expire_all()
    survey = db.session.scalar(sa.select(Survey))
    assert (survey.reason, survey.renewal_id, survey.score) == ("renewal", maturing.id, 5)
    assert R.opportunities()["L1"].topup_amount == 250_000_000
