"""The texts notifications store (aoapp.common.system_text): codes and their messages, rendered
in the reader's language when shown."""

from flask_babel import lazy_gettext as _l

from aoapp.common.system_text import register, register_composed
from aoapp.notifications import officer, supervisor, visits  # noqa: F401  (their counts)
from aoapp.notifications.sections import SECTIONS


def _digest_body(sections=None, **_ignored) -> str:
    """`3 overdue follow-ups · 1 promise broken`: each section's count, in the current language
    (a section no longer registered is left out)."""
    parts = [
        SECTIONS[key].counted(int(number))
        for key, number in sections or []
        if key in SECTIONS and number
    ]
    return " · ".join(parts)


DIGEST_TITLE = register("notification.digest_title", _l("Daily digest, %(day)s"), day="date")
DIGEST_BODY = register_composed("notification.digest_body", _digest_body)
