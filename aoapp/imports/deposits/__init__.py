"""The deposits listing (daftar nominatif simpanan): giro, tabungan and deposito accounts.

Its columns, cross-row checks and code resolution are in `spec`, its set-based load in `loader`,
what it says when done in `summary`; this module registers it with `aoapp.imports.kinds` under the key "deposits".
"""

from flask_babel import lazy_gettext as _l

from aoapp.imports.deposits.loader import DepositLoader
from aoapp.imports.deposits.spec import COLUMNS, check, resolve
from aoapp.imports.deposits.summary import COUNTS, brief, describe
from aoapp.imports.kinds import ListingKind, LoadContext, register_kind


def load(connection, table, context: LoadContext) -> dict:
    """Load the validated deposits listing: customers, deposit accounts, positions, closings."""
    loader = DepositLoader(
        connection,
        as_of=context.as_of,
        import_id=context.import_id,
        partial=context.partial,
        actor_id=context.actor_id,
        now=context.now,
        progress=context.progress,
    )
    return loader.run(table)


DEPOSITS = register_kind(
    ListingKind(
        key="deposits",
        label=_l("Deposits listing"),
        columns=COLUMNS,
        check=check,
        resolve=resolve,
        load=load,
        describe=describe,
        counts=COUNTS,
        brief=brief,
    )
)
