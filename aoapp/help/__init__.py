"""The in-app help: the user guide of docs/pengguna (Indonesian) and docs/user (English), rendered
from Markdown, opened on the page that explains the screen the user is on (topics.py)."""
