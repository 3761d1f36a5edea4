"""Generating portfolio reports: per officer, per branch and for the whole bank.

A portfolio workbook is one file per scope and period, written with HybridWriter (its streamed
sheets by RustWriter: the bank's Facilities sheet may hold a million rows) through the same
atomic storage as the customer reports. Who may ask for which scope follows the visibility
rules: an officer their own portfolio, a supervisor their branches and their officers, an admin
anything incl. the bank.
"""

import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from aoapp.auth.models import Branch, Role, User
from aoapp.common.replica import reading_from_replica
from aoapp.credit.figures import resolve_scope
from aoapp.credit.models import Position
from aoapp.errors import LOGGED_ERROR, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.kpis.periods import Period
from aoapp.reports import storage
from aoapp.reports.models import Report, ReportKind, ReportScope
from aoapp.reports.package import HybridWriter
from aoapp.reports.portfolio.workbook import portfolio_filename, portfolio_workbook
from aoapp.reports.recording import (
    Failure,
    Summary,
    as_period,
    bank_name,
    intact_reports,
    recorded_reports,
    report_lang,
    require_as_of,
    save_report,
)

log = logging.getLogger(__name__)
SCOPES = (ReportScope.OFFICER.value, ReportScope.BRANCH.value, ReportScope.BANK.value)


class _System:
    """The scheduler/CLI acting on the whole bank (resolve_scope's admin view)."""

    role = Role.ADMIN
    id = None


@dataclass(frozen=True)
class Target:
    """One portfolio to generate: its scope, the officer or branch it covers, its labels."""

    scope: str
    officer: User | None = None
    branch: Branch | None = None

    @property
    def key(self) -> str:
        """The report's scope key: `officer:3`, `branch:1` or `bank`."""
        if self.scope == ReportScope.OFFICER:
            return f"officer:{self.officer.id}"
        if self.scope == ReportScope.BRANCH:
            return f"branch:{self.branch.id}"
        return "bank"

    @property
    def branch_id(self) -> int | None:
        """The branch whose supervisors see the report (none for the bank)."""
        if self.officer is not None:
            return self.officer.branch_id
        return self.branch.id if self.branch is not None else None


def resolve_target(actor, scope: str, officer_id=None, branch_id=None) -> Target:
    """The portfolio asked for, checked against the actor's reach (None is the system)."""
    if scope not in SCOPES:
        raise InvalidInput(
            _("Choose the portfolio of an officer, a branch or the bank."),
            {"scope": [_("Must be one of: %(choices)s.", choices=", ".join(SCOPES))]},
        )
    role = actor.role if actor is not None else Role.ADMIN
    if scope == ReportScope.OFFICER:
        officer = db.session.get(User, officer_id) if isinstance(officer_id, int) else None
        reachable = officer is not None and officer.role == Role.OFFICER
        if reachable and role == Role.OFFICER:
            reachable = officer.id == actor.id
        elif reachable and role == Role.SUPERVISOR:
            reachable = officer.branch_id in actor.supervised_branch_ids
        if not reachable:
            raise NotFound(_("No such officer."))
        return Target(scope, officer=officer)
    if scope == ReportScope.BRANCH:
        branch = db.session.get(Branch, branch_id) if isinstance(branch_id, int) else None
        reachable = branch is not None and role != Role.OFFICER
        if reachable and role == Role.SUPERVISOR:
            reachable = branch.id in actor.supervised_branch_ids
        if not reachable:
            raise NotFound(_("No such branch."))
        return Target(scope, branch=branch)
    if role != Role.ADMIN:
        raise Forbidden(_("Only an admin generates the bank-wide portfolio report."))
    return Target(scope)


def portfolio_path(target: Target, period: Period) -> str:
    """Officer: `{period}/{branch}/{officer}/…`; branch: `{period}/{branch}/…`; bank: `{period}/…`;
    the folders are the branch's and the officer's ids with a slug of their code and username
    (`1-jkt01/3-ao-budi`), as the customers' reports (customer.generation.customer_path)."""
    if target.scope == ReportScope.OFFICER:
        officer = target.officer
        branch = officer.branch
        folder = storage.id_part(branch.id, branch.code) if branch else "_nobranch"
        name = portfolio_filename(f"officer-{officer.username}", period)
        mine = storage.id_part(officer.id, officer.username)
        return storage.relative_path(period.code, folder, mine, name)
    if target.scope == ReportScope.BRANCH:
        branch = target.branch
        name = portfolio_filename(f"branch-{branch.code}", period)
        return storage.relative_path(period.code, storage.id_part(branch.id, branch.code), name)
    return storage.relative_path(period.code, portfolio_filename("bank", period))


def _write(target: Target, period: Period, as_of, actor, existing, lang: str) -> int:
    """Build, write and record a portfolio workbook in `lang`; returns the report id."""
    with force_locale(lang):
        return _write_in_locale(target, period, as_of, actor, existing)


def _write_in_locale(target: Target, period: Period, as_of, actor, existing) -> int:
    with reading_from_replica():  # the writer pulls the rows: the figures; the row: below
        officer_id = target.officer.id if target.officer else None
        branch_id = target.branch.id if target.branch else None
        key, branch_of_report = target.key, target.branch_id
        scope = resolve_scope(_System(), officer_id, branch_id)
        workbook = portfolio_workbook(scope, period, as_of, bank_name())
        stored = storage.write_atomic(
            portfolio_path(target, period), lambda path: HybridWriter().write(workbook, path)
        )
    values = {
        "kind": ReportKind.PORTFOLIO.value,
        "period": period.code,
        "period_start": period.start,
        "period_end": period.end,
        "as_of": as_of,
        "scope": target.scope,
        "scope_key": key,
        "customer_id": None,
        "officer_id": officer_id,
        "branch_id": branch_of_report,
    }
    return save_report(values, stored, actor, existing)


def portfolio_report(
    actor,
    period,
    scope: str,
    officer_id=None,
    branch_id=None,
    force=False,
    lang=None,
    default_lang=None,
):
    """(report, generated): the portfolio report of the period, made when missing or forced.

    With `lang`, a report there in another language is made again in `lang`; without, a report
    there is kept and a missing one is made in the current language."""
    period = as_period(period)
    with reading_from_replica():  # what the figures are read from; the reports' rows: below
        target = resolve_target(actor, scope, officer_id, branch_id)
        as_of, key = require_as_of(period), target.key
    kind = ReportKind.PORTFOLIO.value
    done = {} if force else intact_reports(kind, period, [key], lang)
    generated = key not in done
    if generated:
        existing = recorded_reports(kind, period, [key]).get(key)
        report_id = _write(target, period, as_of, actor, existing, report_lang(lang, default_lang))
    else:
        report_id = done[key][0]
    return db.session.get(Report, report_id, populate_existing=True), generated


def generate_portfolio_report(
    actor, period, scope: str, officer_id=None, branch_id=None, force: bool = False, lang=None
) -> Report:
    """The portfolio report of an officer, a branch or the bank; skipped when done unless force."""
    return portfolio_report(actor, period, scope, officer_id, branch_id, force, lang)[0]


def portfolio_targets(period: Period, officer_id=None, branch_id=None) -> list[Target]:
    """The portfolios a batch makes: every officer and branch with positions on the as-of date
    (within the officer/branch filter), and the bank's when there is no filter."""
    as_of = require_as_of(period)
    booked = sa.select(Position.officer_id, Position.branch_id).where(Position.as_of == as_of)
    if officer_id is not None:
        booked = booked.where(Position.officer_id == officer_id)
    if branch_id is not None:
        booked = booked.where(Position.branch_id == branch_id)
    pairs = db.session.execute(booked.distinct()).all()
    officer_ids = sorted({o for o, _b in pairs if o is not None})
    officers = db.session.scalars(
        sa.select(User).where(User.id.in_(officer_ids), User.role == Role.OFFICER).order_by(User.id)
    )
    targets = [Target(ReportScope.OFFICER.value, officer=o) for o in officers]
    if officer_id is None:
        branch_ids = sorted({b for _o, b in pairs if b is not None})
        branches = db.session.scalars(
            sa.select(Branch).where(Branch.id.in_(branch_ids)).order_by(Branch.code)
        )
        targets += [Target(ReportScope.BRANCH.value, branch=b) for b in branches]
    if officer_id is None and branch_id is None:
        targets.append(Target(ReportScope.BANK.value))
    return targets


def generate_portfolio_reports(
    period,
    officer_id=None,
    branch_id=None,
    force: bool = False,
    progress=None,
    lang=None,
    default_lang=None,
) -> Summary:
    """The batch's portfolios (system actor) in `lang` (default the current language), each
    skipped when done unless force (asked for a language: done in that language)."""
    started = time.perf_counter()
    period = as_period(period)
    with reading_from_replica():  # what the figures are read from; the reports' rows: below
        summary = Summary(ReportKind.PORTFOLIO.value, period, as_of=require_as_of(period))
        targets = portfolio_targets(period, officer_id, branch_id)
        keys = [t.key for t in targets]
    summary.selected = len(targets)
    done = {} if force else intact_reports(ReportKind.PORTFOLIO.value, period, keys, lang)
    todo = [t for t, key in zip(targets, keys, strict=True) if key not in done]
    summary.skipped = len(targets) - len(todo)
    recorded = recorded_reports(ReportKind.PORTFOLIO.value, period, keys)
    if progress:
        progress(0, len(todo))
    for count, target in enumerate(todo, start=1):
        try:
            report_id = _write(
                target,
                period,
                summary.as_of,
                None,
                recorded.get(target.key),
                report_lang(lang, default_lang),
            )
        except storage.ReportStorageError:
            raise
        except Exception:
            db.session.rollback()
            log.exception("portfolio report %s for %s failed", target.key, period.code)
            summary.failed.append(Failure(target.key, _(LOGGED_ERROR)))
        else:
            summary.generated += 1
            summary.report_ids.append(report_id)
        if progress:
            progress(count, len(todo))
    summary.seconds = time.perf_counter() - started
    return summary
