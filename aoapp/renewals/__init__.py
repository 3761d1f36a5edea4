"""Renewal opportunities: maturing facilities and non-ARO depositos, worked as a pipeline.

Decisions (details in each module):
- pipeline.py makes opportunities after each loan and deposits listing and with
  `flask renewals refresh`: one per facility (or account) and maturity date, owned by the
  customer's current officer, booked to its branch; a working-capital line's yearly extension
  (its start date's anniversary) counts as a maturity (basis `anniversary`), the listing holding
  no revolving flag;
- settle.py lets the next listing propose the outcome; services.py lets the officer (or the branch
  supervisor) move the stage and record, confirm or correct the outcome, and the supervisor alone
  allow a delinquent loan onto the top-up list (RENEWAL_TOPUP_MAX_DPD / _MAX_KOL);
- figures.py is the one definition of the month's figures (by maturity month), read by the
  dashboards, the portfolio workbook's Renewals sheet and the API.
"""
