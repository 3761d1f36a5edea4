"""Customers (nasabah) of the bank and the products they hold."""
