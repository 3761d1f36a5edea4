"""Periodic Excel analytic reports: per-customer and portfolio workbooks, stored and downloaded."""
