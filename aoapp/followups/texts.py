"""The texts the system writes on follow-ups (aoapp.common.system_text): codes and messages."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from aoapp.common.system_text import register

# Notes of suggestions (followups/suggestions.py).
SUGGESTED_LISTING = register(
    "followup.suggested_listing",
    lazy_ngettext(
        "Suggested: %(dpd)s day past due on the %(day)s listing.",
        "Suggested: %(dpd)s days past due on the %(day)s listing.",
        1,
    ),
    count="dpd",
    dpd="number",
    day="date",
)
BROKEN_PROMISE = register(
    "followup.broken_promise",
    _l("Promise of %(amount)s by %(day)s was broken."),
    amount="money",
    day="date",
)
# Notes of retention suggestions (followups/retention.py).
DEPOSIT_MATURING = register(
    "followup.deposit_maturing",
    _l(
        "Suggested: deposito %(account)s of %(amount)s matures on %(day)s without automatic "
        "roll-over; offer to renew it."
    ),
    amount="money",
    day="date",
)
LARGE_WITHDRAWAL = register(
    "followup.large_withdrawal",
    _l(
        "Suggested: the balance of account %(account)s fell from %(before)s on %(start)s to "
        "%(after)s on %(end)s; ask why and offer to keep the funds with us."
    ),
    before="money",
    after="money",
    start="date",
    end="date",
)
# The demo's call after a broken promise (aoapp/demo/followups.py).
CHASE_BROKEN_PROMISE = register(
    "followup.chase_broken_promise",
    _l("Promise to pay broken: ask for the payment and a firm new date."),
)
# Reasons of changes made from a prospect's data (followups/prospect_contact.py).
NEXT_CONTACT_CLEARED = register(
    "followup.next_contact_cleared", _l("The next follow-up was cleared on the prospect's data.")
)
NEXT_CONTACT_MOVED = register(
    "followup.next_contact_moved", _l("The next follow-up was moved on the prospect's data.")
)
PROSPECT_CLOSED = register(
    "followup.prospect_closed", _l("The prospect was closed as %(status)s."), status="label"
)
