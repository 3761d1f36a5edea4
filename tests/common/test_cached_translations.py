"""The cached catalogue (common/i18n.CachedDomain) follows the language of the moment."""

from flask_babel import force_locale, get_domain, gettext

from aoapp.common.i18n import CachedDomain, translations


def test_flask_babel_uses_the_cached_domain(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert isinstance(get_domain(), CachedDomain)


def test_a_forced_language_and_back(app):
    with app.test_request_context("/api/v1/x", headers={"Accept-Language": "id"}):
        assert gettext("Facilities") == "Fasilitas"
        first = translations()
        assert translations() is first  # looked up once
        with force_locale("en"):
            assert gettext("Facilities") == "Facilities"
            assert translations() is not first
        assert gettext("Facilities") == "Fasilitas"
