"""Customer complaints: receipt, due date, escalation to the supervisor, resolution."""
