"""The header search: customers and prospects by name, CIF, account number, NIK or phone."""
