"""The loan listing (daftar nominatif kredit): the first listing kind.

Its columns, cross-row checks and code resolution are in `spec`, its set-based load in `loader`;
this module registers it with `aoapp.imports.kinds` under the key "loans".
"""

from flask_babel import lazy_gettext as _l

from aoapp.credit.collectibility import BandsInvalid, load_bands
from aoapp.imports import texts
from aoapp.imports.kinds import ListingKind, LoadContext, LoadFailed, register_kind
from aoapp.imports.loans.loader import Loader
from aoapp.imports.loans.spec import COLUMNS, COUNTS, brief, check, describe, resolve


def load(connection, table, context: LoadContext) -> dict:
    """Load the validated loan listing: customers, facilities, positions, closings, Kol."""
    try:
        bands = load_bands()
    except BandsInvalid as error:  # the admin's table of Kol by DPD: they can mend it
        raise LoadFailed(texts.FAILED, error=str(error)) from error
    loader = Loader(
        connection,
        as_of=context.as_of,
        import_id=context.import_id,
        partial=context.partial,
        actor_id=context.actor_id,
        bands=bands,
        now=context.now,
        progress=context.progress,
    )
    return loader.run(table)


LOANS = register_kind(
    ListingKind(
        key="loans",
        label=_l("Loan listing"),
        columns=COLUMNS,
        check=check,
        resolve=resolve,
        load=load,
        describe=describe,
        counts=COUNTS,
        brief=brief,
    )
)
