"""Introductions of products to prospects and customers."""
