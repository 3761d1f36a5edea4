"""Sending the daily digest: at most once per user and bank day, whoever runs it and however
often.

A run first claims the user's day: it inserts the `digest_sends` row (unique per user and day),
or takes over a failed one (fewer than DIGEST_MAX_ATTEMPTS tries so far) or one whose run
stopped mid-way (claimed more than DIGEST_CLAIM_MINUTES ago), in one conditional statement. A
run that claims nothing sends nothing: two runs at once (cron and a worker, two machines) send
one e-mail. The claimed digest is then built; empty, it is recorded skipped; otherwise its
in-app notification is stored, then the e-mail sent and the outcome recorded. A failed e-mail is
recorded and logged, and the next run tries again; after the last try, a log line says the run
gives up. Non-bank days have no digest.
"""

import logging
from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from aoapp.auth.models import User
from aoapp.auth.preferences import digest_time_of, zone_of_user
from aoapp.common.dates import utcnow
from aoapp.common.system_text import params_of
from aoapp.common.transaction import end_reads, unit_of_work
from aoapp.common.workdays import is_working_day
from aoapp.extensions import db
from aoapp.notifications import mail
from aoapp.notifications.digest import Digest, build_digest
from aoapp.notifications.models import FINAL, DigestSend, Notification, NotificationKind, SendStatus
from aoapp.notifications.sections import roles_with_digest
from aoapp.notifications.texts import DIGEST_BODY, DIGEST_TITLE

log = logging.getLogger(__name__)
SKIPPED = "not_ours"  # another run has (or had) this user's day


def max_attempts() -> int:
    return max(1, int(current_app.config.get("DIGEST_MAX_ATTEMPTS", 5)))


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=int(current_app.config.get("DIGEST_CLAIM_MINUTES", 15)))


def claim(user_id: int, day: date, now: datetime) -> DigestSend | None:
    """Claim the user's digest of `day` for this run (see the module), or None."""
    end_reads()
    try:
        with unit_of_work():
            send = DigestSend(
                user_id=user_id, bank_day=day, status=SendStatus.SENDING, attempts=1, claimed_at=now
            )
            db.session.add(send)
        return send
    except IntegrityError:
        pass  # the day's row exists: take it over only when it failed or its run stopped
    row = DigestSend.__table__.c
    retry = sa.or_(
        sa.and_(row.status == SendStatus.FAILED, row.attempts < max_attempts()),
        sa.and_(row.status == SendStatus.SENDING, row.claimed_at < _stale_before(now)),
    )
    with unit_of_work():
        taken = db.session.execute(
            sa.update(DigestSend)
            .where(row.user_id == user_id, row.bank_day == day, retry)
            .values(
                status=SendStatus.SENDING, attempts=row.attempts + 1, claimed_at=now, updated_at=now
            )
            .execution_options(synchronize_session=False)
        )
    if taken.rowcount != 1:
        return None
    stmt = sa.select(DigestSend).where(DigestSend.user_id == user_id, DigestSend.bank_day == day)
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def _finish(send: DigestSend, status: str, *, error: str | None = None, now=None) -> str:
    with unit_of_work():
        send.status = status
        send.last_error = error
        if status == SendStatus.SENT:
            send.sent_at = now or utcnow()
    return status


def _notify(send: DigestSend, digest: Digest) -> None:
    """The digest's in-app notification, once per user and day (a retry keeps the first)."""
    if send.notification_id is not None:
        return
    endpoint = "agenda.team" if digest.user.is_supervisor else "agenda.home"
    with unit_of_work():
        notification = Notification(
            user_id=digest.user.id,
            kind=NotificationKind.DIGEST,
            title_code=DIGEST_TITLE,
            title_params=params_of(day=digest.day),
            body_code=DIGEST_BODY,
            body_params={"sections": digest.counts},
            endpoint=endpoint,
            bank_day=digest.day,
        )
        db.session.add(notification)
        db.session.flush()
        send.notification_id = notification.id


def _failed(send: DigestSend, user: User, day: date, error: str) -> str:
    """Record a failed attempt and say so in the log: the next run tries again, until the
    last attempt, after which the log says it gives up."""
    if send.attempts >= max_attempts():
        log.error(
            "digest of %s for %s: giving up after %s attempts: %s",
            user.username,
            day,
            send.attempts,
            error,
        )
    else:
        log.warning(
            "digest of %s for %s failed (attempt %s of %s), the next run tries again: %s",
            user.username,
            day,
            send.attempts,
            max_attempts(),
            error,
        )
    return _finish(send, SendStatus.FAILED, error=error[:2000])


def send_digest(user: User, day: date, now: datetime | None = None) -> str:
    """Send the user's digest of `day` unless another run has (or had) it: the outcome, a
    SendStatus, or SKIPPED."""
    now = now or utcnow()
    send = claim(user.id, day, now)
    if send is None:
        return SKIPPED
    try:
        with unit_of_work():  # reads only: ended here, rolled back if they fail
            digest = build_digest(user, day)
        if digest.empty:
            return _finish(send, SendStatus.SKIPPED_EMPTY)
        _notify(send, digest)
        mailing = mail.mail_enabled() and user.email
        message = mail.digest_message(digest, user.email) if mailing else None
    except Exception as error:  # a fault of ours: recorded, logged, retried by the next run
        log.exception("digest of %s for %s could not be made", user.username, day)
        return _failed(send, user, day, f"{type(error).__name__}: {error}")
    if message is None:
        return _finish(send, SendStatus.IN_APP)
    try:
        mail.send(message)
    except mail.MailError as error:
        return _failed(send, user, day, str(error))
    log.info("digest of %s for %s sent to %s", user.username, day, user.email)
    return _finish(send, SendStatus.SENT)


def due_at(user: User, day: date) -> datetime:
    """When the user's digest of `day` is due: their digest time, their local time."""
    return datetime.combine(day, digest_time_of(user), zone_of_user(user))


def due_users(day: date, now: datetime) -> list[User]:
    """Active users with a digest whose time on `day` has come and whose day no run has done,
    is doing, or has given up."""
    row = DigestSend
    settled = sa.select(row.user_id).where(
        row.bank_day == day,
        sa.or_(
            row.status.in_([s.value for s in FINAL]),
            sa.and_(row.status == SendStatus.FAILED, row.attempts >= max_attempts()),
            sa.and_(row.status == SendStatus.SENDING, row.claimed_at >= _stale_before(now)),
        ),
    )
    stmt = (
        sa.select(User)
        .options(joinedload(User.branch))
        .where(
            User.active.is_(True),
            User.role.in_(sorted(roles_with_digest())),
            User.id.not_in(settled),
        )
        .order_by(User.id)
    )
    return [user for user in db.session.scalars(stmt) if due_at(user, day) <= now]


def send_due_digests(day: date, now: datetime | None = None) -> Counter:
    """Send the digests of `day` whose time has come (the cron's run): outcomes counted."""
    now = now or utcnow()
    outcomes: Counter = Counter()
    if not is_working_day(day):
        return outcomes
    for user in due_users(day, now):
        outcomes[send_digest(user, day, now)] += 1
    return outcomes
