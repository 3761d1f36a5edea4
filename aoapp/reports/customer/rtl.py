"""The monitoring report's follow-up plan (Rencana Tindak Lanjut) as a table, and its signature
blocks: made by the officer who owned the customer at the period's end (name, AO code),
acknowledged by the reviewer or else the branch's supervisor of the period's end, and the latest
review of the customer's period ("Reviewed by … on …", with its note)."""

from flask_babel import gettext as _

from aoapp.common.dates import to_local
from aoapp.common.i18n import format_datetime
from aoapp.reports.commentary import day_text, money_text, words
from aoapp.reports.customer.form_blocks import Signatures, Table
from aoapp.reports.sheets import DATE, INT, Column


def plan_action(line) -> str:
    """What a line of the follow-up plan asks for, in words."""
    if line.kind == "promise":
        return _(
            "Check the payment of the promise to pay of %(amount)s",
            amount=money_text(line.amount),
        )
    if line.kind == "visit":
        text = _("Next monitoring visit")
    else:
        text = f"{words(line.channel).capitalize()} – {words(line.purpose)}"
    return f"{text}: {line.notes}" if line.notes else text


def plan_table(data) -> Table:
    """The follow-up plan after the period: number, action, facility, owner, due date."""
    columns = [
        Column("number", _("No."), INT),
        Column("action", _("Action")),
        Column("facility", _("Facility")),
        Column("owner", _("Owner")),
        Column("due", _("Due date"), DATE),
    ]
    rows = [
        (n, plan_action(line), line.account_no or "", line.owner, line.due)
        for n, line in enumerate(data.plan, start=1)
    ]
    # The action takes three of the page's columns: it is the plan's long text.
    return Table(columns, rows, _("No follow-up planned after this period."), spans=(1, 3, 1, 1, 1))


BLANK = "……………………………"  # a name line left to be filled in by hand


def _date_line(day=None) -> str:
    if day is None:
        return _("Date: %(blank)s", blank="………………………")
    return _("Date: %(day)s", day=day_text(day))


def signatures(data) -> Signatures:
    """The officer's and the supervisor's blocks, and the review line(s) under them.

    The officer is the one who owned the customer at the period's end; the supervisor is the
    reviewer once the report is reviewed (with the review's day), else the supervisors of the
    customer's branch at the period's end, else a blank line (signers.py says why)."""
    signers = data.signers
    made_by = [
        _("Made by,"),
        _("Account officer"),
        "",
        "",
        f"( {signers.officer_name or BLANK} )",
        _("AO code: %(code)s", code=signers.officer_code or "—"),
        _date_line(),
    ]
    if data.review is not None:
        supervisor = data.review.reviewer
        day = _date_line(to_local(data.review.reviewed_at).date())
    else:
        supervisor, day = ", ".join(signers.supervisors) or BLANK, _date_line()
    acknowledged = [_("Acknowledged by,"), _("Supervisor"), "", "", f"( {supervisor} )", "", day]
    review = []
    if data.review is not None:
        review.append(
            _(
                "Reviewed by %(name)s on %(when)s",
                name=data.review.reviewer,
                when=format_datetime(data.review.reviewed_at),
            )
        )
        if data.review.note:
            review.append(_("Review note: %(note)s", note=data.review.note))
    else:
        review.append(_("Not reviewed yet."))
    return Signatures(made_by, acknowledged, review)
