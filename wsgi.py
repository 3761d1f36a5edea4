"""WSGI entry point: `gunicorn wsgi:app`."""

from aoapp import create_app

app = create_app()
