"""Pages that compose several features, above all of them (docs: the layers in tests/test_layers.py).

A feature's own pages live in the feature; a page that shows the records of many features (the
audit trail of every kind of record) lives here, so no feature has to import the ones above it.
"""
