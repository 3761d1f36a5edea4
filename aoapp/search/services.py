"""The header search: the customers and prospects a user may see, by name, CIF, account number,
NIK or phone, best matches first.

Order: exact CIF, account number, NIK or phone first; then numbers that start with the text; then
names: the whole text starting the name (`siti nur` → Siti Nurhaliza, the exact name first), the
first word starting the name with the others starting later words, the words starting any words
(`nur sit`). Ties by name. Each step is one small query, indexed on PostgreSQL (search/indexes.py),
that stops at the limit; scoped by the same rules as the customers and prospects lists.
"""

from dataclasses import dataclass, replace

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload, load_only

from aoapp.auth.models import Branch, User
from aoapp.auth.scoping import scope_condition
from aoapp.common.identity import display_phone
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.prospects.models import Prospect
from aoapp.search.matching import Query, read_query

DROPDOWN_LIMIT = 8
PAGE_LIMIT = 50


class Kind:
    """What a result is (codes, not an enumeration: search/labels.py names them)."""

    CUSTOMER = "customer"
    PROSPECT = "prospect"


class Matched:
    """The field a result was found by."""

    CIF = "cif"
    ACCOUNT = "account"
    NIK = "nik"
    PHONE = "phone"
    NAME = "name"


MODELS = {Kind.CUSTOMER: Customer, Kind.PROSPECT: Prospect}
ENDPOINTS = {
    Kind.CUSTOMER: ("customers.detail", "customer_id"),
    Kind.PROSPECT: ("prospects.detail", "prospect_id"),
}


@dataclass(frozen=True)
class SearchResult:
    """One customer or prospect found, with what it was found by."""

    kind: str  # Kind
    id: int
    name: str
    matched: str  # Matched
    matched_value: str  # as shown: the CIF, account number, NIK, phone (0812-…) or name
    exact: bool  # the whole identifier typed (not a start of one)
    cif: str | None
    account_no: str | None  # the account found by, when it was an account number
    officer: str | None
    branch: str | None
    status: str | None  # a prospect's status

    @property
    def url(self) -> str:
        """The record's page (needs an application context)."""
        endpoint, argument = ENDPOINTS[self.kind]
        return url_for(endpoint, **{argument: self.id})


@dataclass(frozen=True)
class _Hit:
    kind: str
    id: int
    matched: str
    value: str
    exact: bool


def search(user, text: str | None, limit: int = DROPDOWN_LIMIT) -> list[SearchResult]:
    """The best `limit` customers and prospects `user` may see for `text`."""
    query = read_query(text)
    if query.is_empty or limit < 1:
        return []
    hits: dict[tuple[str, int], _Hit] = {}
    for hit in _numbers(user, query, limit):
        hits.setdefault((hit.kind, hit.id), hit)
    for hit in _names(user, query, limit, hits):
        if len(hits) >= limit:
            break
        hits.setdefault((hit.kind, hit.id), hit)
    return _results(list(hits.values())[:limit])


def _in_bytes(column):
    """The column in byte order on PostgreSQL (the search indexes' collation), as is elsewhere."""
    return sa.collate(column, "C") if db.engine.dialect.name == "postgresql" else column


def _starts(column, prefix: str):
    """`column LIKE 'prefix%'`, in byte order on PostgreSQL (a range of its index).

    Prefixes are letters, digits, dashes and spaces only (matching.py): nothing to escape."""
    return _in_bytes(column).like(f"{prefix}%")


def _branch(user, kind, matched, column, conditions, limit, taken=(), via=None, in_order=True):
    """One part of a search's statement: (kind, id, matched, value) of the first `limit` records
    of `kind` in scope meeting `conditions`, by `column` in byte order (an index range read in
    order on PostgreSQL). `via`: the table `column` belongs to, joined to the record.

    `in_order=False` sorts the rows found instead of reading the byte-order index: for words
    inside names (trigrams), where reading the whole index in order, filtering, costs up to a full
    scan when the matches are few or late in the alphabet."""
    model = MODELS[kind]
    columns = (
        sa.literal(kind).label("kind"),
        model.id.label("id"),
        sa.literal(matched).label("matched"),
        column.label("value"),
    )
    stmt = sa.select(*columns) if via is None else sa.select(*columns).select_from(via).join(model)
    if taken:
        stmt = stmt.where(model.id.not_in(taken))
    stmt = stmt.where(scope_condition(user, model), *conditions)
    order = _in_bytes(column if in_order else column.concat(""))
    return stmt.order_by(order, model.id).limit(limit).subquery()


def _run(branches) -> list:
    """The rows of all `branches`, in one statement."""
    if not branches:
        return []
    return db.session.execute(sa.union_all(*(sa.select(b) for b in branches))).all()


FIELD_ORDER = (Matched.CIF, Matched.ACCOUNT, Matched.NIK, Matched.PHONE)


def _numbers(user, query: Query, limit: int) -> list[_Hit]:
    """Records whose CIF, account number or phone starts with the text, or whose NIK is it:
    exact ones first (by field), then the others by field and number."""
    branches = []
    for identifier in query.identifiers:
        customer = Kind.CUSTOMER
        cif = [_starts(Customer.cif, identifier)]
        branches.append(_branch(user, customer, Matched.CIF, Customer.cif, cif, limit))
        for table in (Facility, ProductHolding):
            account = [_starts(table.account_no, identifier)]
            branches.append(
                _branch(
                    user, customer, Matched.ACCOUNT, table.account_no, account, limit, via=table
                )
            )
    for kind, model in MODELS.items():
        if query.nik:
            nik = [model.nik == query.nik]
            branches.append(_branch(user, kind, Matched.NIK, model.nik, nik, limit))
        if query.phone_prefix:
            phone = [_starts(model.phone, query.phone_prefix)]
            branches.append(_branch(user, kind, Matched.PHONE, model.phone, phone, limit))
    typed = {*query.identifiers, query.nik, query.phone_prefix}
    hits = [
        _Hit(kind, id_, matched, value, value in typed)
        for kind, id_, matched, value in _run(branches)
    ]
    hits.sort(key=lambda h: (not h.exact, FIELD_ORDER.index(h.matched), h.value, h.kind, h.id))
    return [
        replace(h, value=display_phone(h.value)) if h.matched == Matched.PHONE else h for h in hits
    ]


def _word(key, word: str):
    """`word` starts a word of the key (trigram-indexed on PostgreSQL)."""
    return sa.or_(key.like(f"{word}%"), key.like(f"% {word}%"))


def _name_steps(query: Query, key) -> list[list]:
    """The conditions of each step of name matches, best first."""
    first, rest = query.words[0], query.words[1:]
    others = [_word(key, w) for w in rest]
    steps = [[_starts(key, query.phrase)]]
    if rest:
        steps.append([_starts(key, first), sa.not_(_starts(key, query.phrase)), *others])
    steps.append([sa.not_(_starts(key, first)), key.like(f"% {first}%"), *others])
    return steps


def _names(user, query: Query, limit: int, hits):
    """Records whose name matches the words, step by step (one statement each, run only while
    the limit is not reached), both kinds merged by name."""
    if not query.words:
        return
    steps = {kind: _name_steps(query, model.name_key) for kind, model in MODELS.items()}
    count = len(steps[Kind.CUSTOMER])
    for step in range(count):
        wanted = limit - len(hits)
        if wanted <= 0:
            return
        inside = step == count - 1  # the last step: words inside names, by trigrams
        branches = [
            _branch(
                user,
                kind,
                Matched.NAME,
                model.name_key,
                steps[kind][step],
                wanted,
                _taken(hits, kind),
                in_order=not inside,
            )
            for kind, model in MODELS.items()
        ]
        rows = sorted(_run(branches), key=lambda r: (r.value, r.kind, r.id))
        for kind, id_, matched, key in rows[:wanted]:
            yield _Hit(kind, id_, matched, key, key == query.phrase)


def _taken(hits, kind: str) -> list[int]:
    return [record_id for hit_kind, record_id in hits if hit_kind == kind]


def _results(hits: list[_Hit]) -> list[SearchResult]:
    """The hits as results, in their order, each record loaded once with its officer and branch."""
    customers = _load(
        Customer,
        hits,
        Kind.CUSTOMER,
        load_only(Customer.id, Customer.name, Customer.cif),
        joinedload(Customer.officer).load_only(User.username, User.full_name),
        joinedload(Customer.branch).load_only(Branch.name),
    )
    prospects = _load(
        Prospect,
        hits,
        Kind.PROSPECT,
        load_only(Prospect.id, Prospect.name, Prospect.status),
        joinedload(Prospect.owner)
        .load_only(User.username, User.full_name)
        .joinedload(User.branch)
        .load_only(Branch.name),
    )
    return [_result(h, customers, prospects) for h in hits]


def _load(model, hits: list[_Hit], kind: str, *options) -> dict:
    ids = [h.id for h in hits if h.kind == kind]
    if not ids:
        return {}
    stmt = sa.select(model).where(model.id.in_(ids)).options(*options)
    return {record.id: record for record in db.session.scalars(stmt)}


def _result(hit: _Hit, customers: dict, prospects: dict) -> SearchResult:
    if hit.kind == Kind.CUSTOMER:
        record = customers[hit.id]
        officer, branch, cif, status = record.officer, record.branch, record.cif, None
    else:
        record = prospects[hit.id]
        officer, cif, status = record.owner, None, record.status
        branch = officer.branch if officer else None
    return SearchResult(
        kind=hit.kind,
        id=hit.id,
        name=record.name,
        matched=hit.matched,
        matched_value=record.name if hit.matched == Matched.NAME else hit.value,
        exact=hit.exact,
        cif=cif,
        account_no=hit.value if hit.matched == Matched.ACCOUNT else None,
        officer=officer.display_name if officer else None,
        branch=branch.name if branch else None,
        status=status,
    )
