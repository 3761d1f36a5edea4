"""Figures over the records: reporting periods, the officer KPIs and their registry."""
