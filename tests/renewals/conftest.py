from tests.support.renewals import loader  # noqa: F401  (the fixture)
