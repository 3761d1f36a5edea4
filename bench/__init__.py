"""Benchmarks and bank-scale data generators; see bench/README.md."""
