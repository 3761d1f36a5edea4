"""Monthly targets of account officers, set by supervisors, and their achievement."""
