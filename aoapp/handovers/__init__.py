"""Portfolio handovers: when an officer leaves or moves, their customers go to another officer.

Decisions (details in each module):
- selection.py says who may hand over what: a supervisor between officers of the branches they
  supervise, an admin between any (across branches); the officer taking over is active and has
  an officer code. Officers and customers are given by their ids, as everywhere in the API;
- services.py moves the customers in one unit of work with customers.services.move_customer
  (the reassignment's: the customer to the new officer and branch, its planned follow-ups, open
  complaints and open renewal opportunities with it, each audited; account plans follow the
  customer), records the handover and one row per customer pending core banking's update, and
  writes the change file for core banking (change_file.py, atomically under EXPORTS_DIR);
- listing.py keeps the listings from moving pending customers back (imports.holds), and after
  each listing confirms the customers it shows with the new code, or reports on the import page
  those it shows with another; decisions.py lets the admin keep the handover or accept the
  listing.
"""
