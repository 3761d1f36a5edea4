"""Users, branches, login and API tokens."""
