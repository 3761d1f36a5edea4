"""Visits in the field: a visit follow-up's outcome carries photos and the officer's location
like a monitoring visit (credit/visits), and the visits of both kinds that a supervisor should
look at (logged without a location, or far from the customer's address) are listed here.

`flagged_visits(user, since, until)` is what the team agenda and the supervisors' digest read.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.auth.models import User
from aoapp.auth.scoping import scope_condition
from aoapp.common.dates import local_day_bounds, to_local
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits.location import (
    LocationLine,
    flag_text,
    flagged_rows,
    location_line,
    logged_between,
    take_location,
)
from aoapp.credit.visits.models import VisitPhoto
from aoapp.credit.visits.photos import PhotoBatch
from aoapp.customers.models import Customer
from aoapp.errors import InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.followups.models import Channel, FollowUp, FollowUpStatus


def outcome_location(followup: FollowUp, values: dict, photos: PhotoBatch | None):
    """Pop the location sent with an outcome (dropped when the form's consent box was left
    empty); only a visit's outcome carries a location and photos. The photos share it."""
    consent = values.pop("location_consent", None)
    location = take_location(values)
    if consent is False:
        location = None
    if followup.channel != Channel.VISIT and (location is not None or photos):
        message = _("Only the outcome of a visit carries photos and a location.")
        raise InvalidInput(message, {"photos" if photos else "latitude": [message]})
    if photos is not None and photos.location is None:
        photos.location = location
    return location or (photos.first_location if photos is not None else None)


def followup_photo(followup: FollowUp, photo_id) -> VisitPhoto:
    """A photo of a follow-up the user may see (the caller checked), or NotFound."""
    photo = db.session.get(VisitPhoto, int(photo_id))
    if photo is None or photo.follow_up_id != followup.id:
        raise NotFound()
    return photo


@dataclass(frozen=True)
class FollowUpEvidence:
    """What a visit follow-up's page shows: its photos and where its outcome was logged."""

    photos: list[VisitPhoto]
    location: LocationLine


def followup_evidence(followup: FollowUp) -> FollowUpEvidence | None:
    """The photos and location line of a visit's logged outcome (None for other follow-ups)."""
    if followup.channel != Channel.VISIT or followup.status != FollowUpStatus.DONE:
        return None
    photos = db.session.scalars(
        sa.select(VisitPhoto).where(VisitPhoto.follow_up_id == followup.id).order_by(VisitPhoto.id)
    )
    return FollowUpEvidence(list(photos), location_line(followup, followup.customer))


# --- Flagged visits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlaggedVisit:
    """A visit a supervisor should look at: where to open it, whose it is, and why."""

    kind: str  # "monitoring_visit" or "follow_up"
    id: int
    customer: Customer
    officer: User
    logged_at: datetime  # UTC: when it was recorded (a follow-up: its outcome logged)
    visit_date: date  # the day of the visit (a follow-up: the bank's day its outcome was logged)
    reason: str  # "far" or "no_location"
    distance_m: float | None

    @property
    def endpoint(self) -> tuple[str, dict]:
        """(endpoint, arguments) of its page, for url_for (a digest adds _external=True)."""
        if self.kind == "monitoring_visit":
            return "visits.detail", {"visit_id": self.id}
        return "followups.detail", {"followup_id": self.id}

    @property
    def why(self) -> str:
        """Why it is flagged, in the reader's language."""
        return flag_text(self.reason, self.distance_m)


def flagged_visits(
    user, since: date, until: date, *, branch_ids=None, limit: int | None = None
) -> list[FlaggedVisit]:
    """The monitoring visits and visit follow-ups logged on the bank's days `since` to `until`
    (recorded; a follow-up's outcome logged) without a location, or farther than
    VISIT_DISTANCE_FLAG_METERS from the customer's recorded location: those `user` may see (of
    customers of `branch_ids`, when given), newest first, at most `limit`."""
    rows = [("monitoring_visit", *row) for row in logged_between(user, since, until, branch_ids)]
    rows += [("follow_up", *row) for row in _flagged_followups(user, since, until, branch_ids)]
    rows.sort(key=lambda row: (row[4], row[1]), reverse=True)  # newest logged first
    rows = rows[:limit] if limit is not None else rows
    visits = _load(MonitoringVisit, [row[1:] for row in rows if row[0] == "monitoring_visit"])
    followups = _load(FollowUp, [row[1:] for row in rows if row[0] == "follow_up"])
    return [
        _monitoring(visits[row[1]], row)
        if row[0] == "monitoring_visit"
        else _followup(followups[row[1]], row)
        for row in rows
    ]


def _flagged_followups(user, since, until, branch_ids) -> list[tuple]:
    start, end = local_day_bounds(since, until)
    stmt = (
        sa.select(
            FollowUp.id,
            FollowUp.latitude,
            FollowUp.longitude,
            Customer.latitude,
            Customer.longitude,
            FollowUp.done_at,
        )
        .select_from(FollowUp)
        .join(Customer, Customer.id == FollowUp.customer_id)
        .where(scope_condition(user, FollowUp))
        .where(FollowUp.channel == Channel.VISIT, FollowUp.status == FollowUpStatus.DONE)
        .where(FollowUp.done_at >= start, FollowUp.done_at < end)
    )
    if branch_ids is not None:
        stmt = stmt.where(Customer.branch_id.in_(branch_ids))
    return flagged_rows(db.session.execute(stmt))


def _load(model, flagged: list[tuple]) -> dict:
    """The flagged records by id, their customer and officer loaded (one query)."""
    if not flagged:
        return {}
    officer = model.officer if model is MonitoringVisit else model.owner
    stmt = (
        sa.select(model)
        .options(joinedload(model.customer), joinedload(officer))
        .where(model.id.in_([row[0] for row in flagged]))
    )
    return {record.id: record for record in db.session.scalars(stmt)}


def _monitoring(visit: MonitoringVisit, row: tuple) -> FlaggedVisit:
    _kind, _id, reason, metres, logged_at = row
    return FlaggedVisit(
        "monitoring_visit",
        visit.id,
        visit.customer,
        visit.officer,
        logged_at,
        visit.visit_date,
        reason,
        metres,
    )


def _followup(followup: FollowUp, row: tuple) -> FlaggedVisit:
    _kind, _id, reason, metres, logged_at = row
    return FlaggedVisit(
        "follow_up",
        followup.id,
        followup.customer,
        followup.owner,
        logged_at,
        to_local(logged_at).date(),
        reason,
        metres,
    )
