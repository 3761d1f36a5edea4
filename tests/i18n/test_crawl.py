"""Every page in Indonesian, for every role: no common English word left on the visible text.

The crawl logs in as the officer, the supervisor and the admin of the `world`, switches to
Indonesian, and visits every GET page of the URL map that needs no parameter, plus the detail
pages of the records made here (with system texts: suggested follow-ups, a broken promise, a
prospect closed with its follow-up cancelled). It reports every offender at once.
"""

import re

import pytest

from tests.support.crawl import TODAY, page_urls, records
from tests.support.i18n import speak_indonesian, visible_text

# Common English words (matched as whole words, case-sensitive where capitalised).
ENGLISH = (
    "the",
    "The",
    "and",
    "of",
    "with",
    "Suggested",
    "suggested",
    "Promise",
    "promise",
    "overdue",
    "listing",
    "days past due",
    "day past due",
    "none",
    "None",
    "closed",
    "Closed",
    "broken",
    "was",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "June",
    "July",
    "August",
    "October",
    "December",
    "Save",
    "Cancel",
    "Delete",
    "Search",
    "Next",
    "Previous",
    "Back",
    "Edit",
    "Add",
    "Yes",
    "No",
    "Customer",
    "Customers",
    "Prospect",
    "Follow-up",
    "follow-up",
    "Planned",
    "planned",
    "Done",
    "Open",
    "open",
    "pending",
    "Pending",
    "kept",
    "Kept",
    "visit",
    "call",
    "Call",
    "Visit",
    "Report",
    "Reports",
    "Settings",
    "Profile",
    "Logout",
    "Log out",
    "Sign in",
    "Download",
    "Upload",
    "Officer",
    "Supervisor",
    "Branch",
    "Today",
    "today",
    "Yesterday",
    "week",
    "month",
    "year",
    "Name",
    "Date",
    "Amount",
    "Notes",
    "notes",
    "Reason",
    "reason",
    "Outcome",
    "because",
    "please",
    "Please",
    "could not",
    "not found",
    "required",
)
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")

# Texts that look English but are not to be translated: proper nouns, brands, codes, test data
# (the factories name records `Customer 4`, `Prospect 5`, `Product KMK`).
NOT_ENGLISH_RE = re.compile(r"\b(Customer|Prospect|Product) [A-Z0-9]+\b")
NOT_ENGLISH = (
    "Charged twice for the March instalment",  # a complaint's description typed in the test
    "Charged twice",
    "Bahasa Indonesia",
    "English",
    "Jakarta Sudirman",
    "Bandung Dago",
    "Pameran UMKM",
)

# Known leftovers not fixed yet, by (endpoint, English word), each with why. Empty: everything the
# crawl found was fixed; a new English word on any page fails the test.
ALLOWED: dict[tuple[str, str], str] = {}


def english_words(page: str) -> set[str]:
    """The common English words on a page's visible text (known names taken out)."""
    text = NOT_ENGLISH_RE.sub(" ", visible_text(page))
    for name in NOT_ENGLISH:
        text = text.replace(name, " ")
    return set(ENGLISH_RE.findall(text))


@pytest.mark.today(TODAY)
def test_no_english_on_any_page_in_indonesian(app, client, auth, world):
    with app.test_request_context():
        values, extra = records(world)
    offenders = []
    for username in ("ao.budi", "spv.jkt", "admin"):
        auth.login(username)
        speak_indonesian(auth)
        for endpoint, url in page_urls(app, values, extra):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            words = english_words(response.get_data(as_text=True))
            words = {w for w in words if (endpoint, w) not in ALLOWED}
            if words:
                offenders.append(f"{username} {url} [{endpoint}]: {', '.join(sorted(words))}")
        auth.logout()
    assert offenders == [], "\n" + "\n".join(offenders)
