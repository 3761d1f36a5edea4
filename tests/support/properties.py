"""How many random examples a property test over the database runs.

The suite runs twice in CI (.ci/run): on SQLite first, then on PostgreSQL with the clock moved.
An example of the property tests that build books and read every figure of them costs two to
three times as much on PostgreSQL (a round trip and a plan per statement, ~1,000 statements an
example), and what the second run adds is PostgreSQL's own behaviour, not more random books:
there they run half their examples, still several, the seeds new on each run.
"""

import os


def database_examples(examples: int) -> int:
    """`examples` on SQLite, half of them on PostgreSQL (DATABASE_URL)."""
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return max(1, examples // 2)
    return examples
