"""Personal calendar feeds: a secret token per officer (only its SHA-256 hash is stored) and the
iCalendar document of their planned follow-ups that a calendar app subscribes to."""

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event

from aoapp.agenda.models import CalendarFeed
from aoapp.agenda.services import facility_facts, planned_followups
from aoapp.audit import services as audit
from aoapp.auth.models import Role, User
from aoapp.common.dates import bank_today, bank_zone, utcnow
from aoapp.common.i18n import LOCALES, default_locale
from aoapp.common.templating import label
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Forbidden
from aoapp.extensions import db
from aoapp.followups.models import FollowUp

FEED_PREFIX = "aocal_"
PAST_DAYS = 30  # planned follow-ups from this many days ago (the overdue ones) onward
EVENT_MINUTES = 30
TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is coarse, so every poll does not write
CHANNEL_VERBS = {
    "call": _l("Call"),
    "sms": _l("SMS"),
    "whatsapp": _l("WhatsApp"),
    "visit": _l("Visit"),
    "email": _l("Email"),
    "meeting": _l("Meeting"),
}


def _hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def require_feed_owner(user: User) -> None:
    """Only officers have follow-ups to subscribe to."""
    if user.role != Role.OFFICER:
        raise Forbidden(_("Calendar feeds list an officer's own planned follow-ups."))


def active_feed(user: User) -> CalendarFeed | None:
    """The user's feed that is not revoked, if any."""
    stmt = sa.select(CalendarFeed).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
    )
    return db.session.scalar(stmt.order_by(CalendarFeed.id.desc()).limit(1))


def _revoke_all(actor: User, user: User) -> int:
    feeds = db.session.scalars(
        sa.select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    ).all()
    for feed in feeds:
        before = audit.snapshot(feed)
        feed.revoked_at = utcnow()
        audit.record(actor, feed, "revoke", before, audit.snapshot(feed))
    return len(feeds)


def create_feed(user: User) -> tuple[CalendarFeed, str]:
    """A new feed token for the officer, revoking the old one; the plain token is shown once."""
    require_feed_owner(user)
    with unit_of_work():
        _revoke_all(user, user)
        plain = FEED_PREFIX + secrets.token_urlsafe(32)
        feed = CalendarFeed(user_id=user.id, token_hash=_hash(plain), prefix=plain[:12])
        db.session.add(feed)
        audit.record(user, feed, "create", None, audit.snapshot(feed))
    return feed, plain


def revoke_feed(user: User) -> bool:
    """Revoke the user's feed; calendar apps using its URL get nothing more. True if one was."""
    with unit_of_work():
        revoked = _revoke_all(user, user)
    return bool(revoked)


def feed_owner(plain: str) -> User | None:
    """The active officer whose unrevoked feed has this token (last use recorded), or None."""
    if not plain or not plain.startswith(FEED_PREFIX) or len(plain) > 100:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(plain)))
    if feed is None or feed.revoked_at is not None or not feed.user.active:
        return None
    now = utcnow()
    if feed.last_used_at is None or now - feed.last_used_at > TOUCH_EVERY:
        with unit_of_work():
            feed.last_used_at = now
    return feed.user


def feed_followups(user: User, today: date | None = None) -> list[FollowUp]:
    """The follow-ups a feed lists: the user's planned ones from 30 days ago onward."""
    today = today or bank_today()
    return planned_followups(user.id, since=today - timedelta(days=PAST_DAYS))


def summary_of(followup: FollowUp) -> str:
    """'Call: PT Maju Jaya (collection)'."""
    verb = CHANNEL_VERBS.get(followup.channel, label(followup.channel))
    return _(
        "%(verb)s: %(party)s (%(purpose)s)",
        verb=verb,
        party=followup.party.name,
        purpose=label(followup.purpose).lower(),
    )


def _description(followup: FollowUp, facts) -> str:
    lines = []
    party = followup.party
    if party.phone:
        lines.append(_("Phone: +%(phone)s", phone=party.phone))
    if facts is not None:
        line = _("Facility %(account)s", account=facts.account_no)
        if facts.dpd is not None:
            line = _(
                "Facility %(account)s: DPD %(dpd)s, Kol %(kol)s",
                account=facts.account_no,
                dpd=facts.dpd,
                kol=facts.kol,
            )
        lines.append(line)
    if followup.escalated:
        lines.append(_("Escalated to the supervisor."))
    if followup.shown_notes:
        lines.append(followup.shown_notes)
    return "\n".join(lines)


def _stamp(value: datetime | None) -> datetime:
    value = value or utcnow()
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def build_calendar(user: User, host: str, url_for_followup, today: date | None = None) -> bytes:
    """The iCalendar document of the user's planned follow-ups.

    `url_for_followup(id)` gives each event's link; UIDs are `followup-<id>@<host>`, stable
    across polls, so a rescheduled follow-up moves in the calendar instead of doubling.
    """
    with force_locale(user.locale if user.locale in LOCALES else default_locale()):
        return _build_calendar(user, host, url_for_followup, today)


def _build_calendar(user: User, host: str, url_for_followup, today: date | None) -> bytes:
    """build_calendar in the officer's language (event titles and descriptions)."""
    followups = feed_followups(user, today)
    facts = facility_facts([f.facility for f in followups])
    calendar = Calendar()
    calendar.add("prodid", "-//aoapp//Follow-up agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Follow-ups · %(name)s", name=user.display_name))
    calendar.add("x-wr-timezone", bank_zone().key)
    for followup in followups:
        event = Event()
        event.add("uid", f"followup-{followup.id}@{host or 'aoapp'}")
        event.add("dtstamp", _stamp(followup.updated_at))
        event.add("sequence", max(0, (followup.version or 1) - 1))
        event.add("summary", summary_of(followup))
        event.add("description", _description(followup, facts.get(followup.facility_id)))
        if followup.planned_time is None:
            event.add("dtstart", followup.planned_date)
        else:
            start = datetime.combine(followup.planned_date, followup.planned_time, bank_zone())
            event.add("dtstart", start)
            event.add("duration", timedelta(minutes=EVENT_MINUTES))
        event.add("url", url_for_followup(followup.id))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
