"""WSGI entry point: `gunicorn wsgi:app`. Production settings unless CASEWORK_CONFIG says so."""

import os

from casework import create_app

app = create_app(os.environ.get("CASEWORK_CONFIG", "production"))
