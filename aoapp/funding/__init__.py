"""Funding: the customers' deposit accounts (giro, tabungan, deposito) and their month-end positions."""
