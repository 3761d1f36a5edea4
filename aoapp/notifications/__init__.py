"""In-app notifications and the daily digest (e-mail and in-app)."""
