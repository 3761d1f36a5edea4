"""The follow-up section of customer, prospect and facility pages: recent follow-ups and
promises, and whether the user may plan one (registered with the pages' section hooks)."""

from dataclasses import dataclass, field

from aoapp.common.sections import page_section
from aoapp.customers.hooks import customer_section
from aoapp.followups.actions import can_plan_for
from aoapp.followups.models import FollowUpStatus, PromiseState
from aoapp.followups.services import history_of, promises_of

OPEN_PROMISE = {PromiseState.BROKEN, PromiseState.PENDING}


@dataclass
class Section:
    """What the follow-up section of a customer, prospect or facility page shows."""

    followups: list
    promises: list = field(default_factory=list)
    can_plan: bool = False
    plan_args: dict = field(default_factory=dict)
    list_args: dict = field(default_factory=dict)

    @property
    def promise(self):
        """The latest promise to pay (None without one)."""
        return self.promises[0] if self.promises else None

    @property
    def promise_open(self) -> bool:
        """The latest promise is broken or still pending (the customer is in collection)."""
        return self.promise is not None and self.promise.state in OPEN_PROMISE

    @property
    def in_collection(self) -> bool:
        """A broken or pending promise puts the customer page in collection order."""
        return self.promise_open

    @property
    def next_planned(self):
        """The earliest planned follow-up shown (the next contact), or None."""
        planned = [f for f in self.followups if f.status == FollowUpStatus.PLANNED]
        return min(planned, key=lambda f: (f.planned_date, f.id), default=None)


def section(actor, *, customer=None, prospect=None, facility=None) -> Section:
    """Recent follow-ups and promises of a page's record, and whether the user may plan one."""
    if facility is not None:
        customer = facility.customer
        plan_args = {
            "customer_id": customer.id,
            "facility_id": facility.id,
            "purpose": "collection",
        }
        list_args = {"facility": facility.id}
    elif customer is not None:
        plan_args, list_args = {"customer_id": customer.id}, {"customer": customer.id}
    else:
        plan_args, list_args = {"prospect_id": prospect.id}, {"prospect": prospect.id}
    history = history_of(actor, customer=customer, prospect=prospect, facility=facility)
    promised = (
        promises_of(actor, customer=customer, facility=facility) if customer is not None else []
    )
    return Section(
        followups=history,
        promises=promised,
        can_plan=can_plan_for(actor, customer, prospect),
        plan_args=plan_args,
        list_args=list_args,
    )


@customer_section("followups")
def customer_followups(actor, customer) -> Section:
    """The follow-ups section of a customer page."""
    return section(actor, customer=customer)


@page_section("prospect", "followups")
def prospect_followups(actor, prospect) -> Section:
    """The follow-ups section of a prospect page."""
    return section(actor, prospect=prospect)


@page_section("facility", "followups")
def facility_followups(actor, facility) -> Section:
    """The follow-ups section of a facility page."""
    return section(actor, facility=facility)
