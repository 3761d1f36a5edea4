"""Test helpers: the builders and readers the tests share, one module per domain."""
