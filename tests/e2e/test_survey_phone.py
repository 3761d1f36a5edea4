"""A customer answers a satisfaction survey on a phone: no login, no script, big targets, the
bank's name only; the answer is taken once."""

import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.surveys.models import Survey
from tests.support import factories
from tests.support import surveys as h


class TestSurveyOnAPhone:
    def test_the_customer_answers_on_a_phone(self, app, live_server, phone, world):
        customer = factories.make_customer(
            world.officer, name="Toko Berkah Abadi", phone="6281355557777"
        )
        survey, plain = h.sent(world.officer, customer, "visit")
        errors = []
        phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        phone.goto(f"{live_server}/s/{plain}")
        main = phone.inner_text("body")
        assert app.config["BANK_NAME"] in main and "Seberapa puas" in main
        assert customer.name not in phone.content() and world.officer.full_name not in main
        assert phone.locator("script").count() == 0
        width, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"page is {width}px wide on a {inner}px screen"
        box = phone.locator("label[for=score-4]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        phone.locator("label[for=score-4]").tap()
        phone.locator("label[for=recommend-9]").tap()
        phone.fill("#comment", "Pelayanan ramah dan cepat.")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Kirim jawaban").tap()
        assert "Terima kasih!" in phone.inner_text("body")
        db.session.expire_all()
        stored = db.session.scalar(sa.select(Survey).where(Survey.id == survey.id))
        assert (stored.score, stored.recommend, stored.comment) == (
            4, 9, "Pelayanan ramah dan cepat.",
        )  # fmt: skip
        phone.goto(f"{live_server}/s/{plain}")
        assert "Survei ini sudah dijawab" in phone.inner_text("body")
        assert [e for e in errors if "410" not in e] == []  # the page of an answered survey is 410
