"""Imports from the core banking system: the daily/monthly loan listing."""
