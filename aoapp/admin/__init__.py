"""Admin pages: users and branches."""
