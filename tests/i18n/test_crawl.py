"""Every page in Indonesian, for every role: no common English word left on the visible text.

The crawl logs in as the officer, the supervisor and the admin of the `world`, switches to
Indonesian, and visits every GET page of the URL map that needs no parameter, plus the detail
pages of the records made here (with system texts: suggested follow-ups, a broken promise, a
prospect closed with its follow-up cancelled, refused imports) and their audit trails. It reports
every offender at once. The same crawl in English fails on common Indonesian words outside the
text people typed (elements marked `data-user-text`). Workbooks and API errors:
test_crawl_exports.py.
"""

import pytest

from tests.support.crawl import TODAY, page_urls, records
from tests.support.words import english_words, indonesian_words

# Known leftovers not fixed yet, by (endpoint, English word), each with why. Empty: everything the
# crawl found was fixed; a new English word on any page fails the test.
ALLOWED: dict[tuple[str, str], str] = {}


def _crawl(app, client, auth, world, locale: str, words_of) -> list[str]:
    """Every page of every role in `locale`: the offenders `words_of(page)` finds."""
    with app.test_request_context():
        values, extra = records(world)
    offenders = []
    for username in ("ao.budi", "spv.jkt", "admin"):
        auth.login(username)
        assert auth.post("/language", {"locale": locale, "next": "/"}).status_code == 302
        for endpoint, url in page_urls(app, values, extra):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            words = words_of(response.get_data(as_text=True))
            words = {w for w in words if (endpoint, w) not in ALLOWED}
            if words:
                offenders.append(f"{username} {url} [{endpoint}]: {', '.join(sorted(words))}")
        auth.logout()
    return offenders


@pytest.mark.today(TODAY)
def test_no_english_on_any_page_in_indonesian(app, client, auth, world):
    offenders = _crawl(app, client, auth, world, "id", english_words)
    assert offenders == [], "\n" + "\n".join(offenders)


@pytest.mark.today(TODAY)
def test_no_indonesian_on_any_page_in_english(app, client, auth, world):
    """The same pages in English: no common Indonesian word outside what people typed (elements
    marked `data-user-text`)."""
    offenders = _crawl(app, client, auth, world, "en", indonesian_words)
    assert offenders == [], "\n" + "\n".join(offenders)
