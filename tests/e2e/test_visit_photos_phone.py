"""A monitoring visit logged on a phone, in a real browser: the officer takes a photo (a large
camera JPEG), the page makes it smaller before sending, the officer lets it save their location,
and the visit's page shows the thumbnail and where the visit was logged."""

import sqlalchemy as sa

from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits.models import VisitPhoto
from aoapp.extensions import db
from tests.e2e.conftest import login
from tests.support import factories
from tests.support import photos as P
from tests.support.browser import ConsoleWatch

SHOP = {"latitude": -6.2, "longitude": 106.81667}
HERE = {"latitude": -6.2021, "longitude": 106.81667, "accuracy": 15}  # 234 m from the shop


def _phone_with_a_position(browser):
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        geolocation=HERE,
        permissions=["geolocation"],
    )


class TestVisitPhotosOnAPhone:
    def test_a_photo_taken_on_the_visit_form_shows_on_the_visit(
        self, live_server, browser, world, tmp_path
    ):
        customer = factories.make_customer(world.officer, name="Toko Sinar Jaya", **SHOP)
        photo = tmp_path / "IMG_20261102_091500.jpg"
        photo.write_bytes(P.camera_jpeg(3200, 2400, orientation=6))  # 7.7 megapixels
        context = _phone_with_a_position(browser)
        phone = context.new_page()
        watch = ConsoleWatch(phone)
        try:
            login(phone, live_server, "ao.budi", factories.PASSWORD)
            phone.goto(f"{live_server}/visits/new?customer={customer.id}")
            phone.select_option("#risk_rating", "adequate")
            phone.fill("#findings", "Toko ramai, stok beras penuh.")
            phone.set_input_files("#photos", str(photo))
            status = phone.locator("#photo-status")
            status.filter(has_text="ready").wait_for()
            sent = phone.evaluate(
                "(() => { const f = document.querySelector('#photos').files[0];"
                " return [f.type, f.size, f.name]; })()"
            )
            assert sent[0] == "image/jpeg" and sent[1] < photo.stat().st_size
            phone.locator("label[for=location_consent]").tap()
            phone.locator("#location-status").filter(has_text="-6.20210").wait_for()
            assert phone.input_value("#accuracy") == "15"
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the form is {width}px wide on a 390px screen"
            with phone.expect_navigation():
                phone.get_by_role("button", name="Save").tap()

            db.session.expire_all()
            visit = db.session.scalar(sa.select(MonitoringVisit))
            stored = db.session.scalar(sa.select(VisitPhoto))
            assert (visit.latitude, visit.accuracy) == (-6.2021, 15.0)
            assert (stored.width, stored.height) == (1200, 1600)  # made smaller, upright
            phone.goto(f"{live_server}/visits/{visit.id}")
            thumb = phone.locator(f"#visit-photos [data-photo='{stored.id}'] img")
            thumb.wait_for()
            loaded = thumb.evaluate("img => img.complete && img.naturalWidth")
            assert loaded == 240  # the 320 px thumbnail of a portrait photo
            location = phone.locator("#visit-location").inner_text()
            assert "-6.20210, 106.81667" in location and "234 m" in location
            assert phone.locator("#visit-flag").count() == 0
            assert watch.errors == []
        finally:
            context.close()
