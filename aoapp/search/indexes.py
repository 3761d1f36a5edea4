"""The indexes the header search reads, on the tables of the features it searches (migration
0017). They are written for PostgreSQL; SQLite, which scans its small tables, gets plain indexes
of the same columns.

- a name's search key (`name_key`, computed by the database) in byte order (COLLATE "C"): a
  prefix of the whole name (`LIKE 'siti nur%'`) is a range of it, read in the order shown, so a
  LIMIT stops early;
- the same key by trigrams (pg_trgm, GIN): a word that starts inside the name (`LIKE '% nur%'`);
- CIF, phone and account numbers in byte order: a prefix typed so far is a range, read in order.

The collation is given as the index column's option (PostgreSQL's index element is `column
[COLLATE collation] [opclass]`), which is how PostgreSQL's reflection reports it too.
"""

import sqlalchemy as sa

from aoapp.credit.models import Facility
from aoapp.customers.models import Customer, ProductHolding
from aoapp.prospects.models import Prospect


def _byte_order(name: str, column) -> sa.Index:
    return sa.Index(name, column, postgresql_ops={column.key: 'COLLATE "C"'})


def _trigrams(name: str, column) -> sa.Index:
    return sa.Index(
        name, column, postgresql_using="gin", postgresql_ops={column.key: "gin_trgm_ops"}
    )


INDEXES = (
    _byte_order("ix_customers_name_key", Customer.name_key),
    _trigrams("ix_customers_name_trgm", Customer.name_key),
    _byte_order("ix_customers_cif_prefix", Customer.cif),
    _byte_order("ix_customers_phone_prefix", Customer.phone),
    _byte_order("ix_prospects_name_key", Prospect.name_key),
    _trigrams("ix_prospects_name_trgm", Prospect.name_key),
    _byte_order("ix_prospects_phone_prefix", Prospect.phone),
    _byte_order("ix_facilities_account_prefix", Facility.account_no),
    _byte_order("ix_product_holdings_account_prefix", ProductHolding.account_no),
)
