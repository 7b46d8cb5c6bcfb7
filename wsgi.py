"""WSGI entry point: `gunicorn wsgi:app`. Production settings unless CASEWORK_CONFIG says so."""

import gc
import os

from casework import create_app

app = create_app(os.environ.get("CASEWORK_CONFIG", "production"))
# What the app built at start lives as long as the worker: kept out of the collector's full
# passes, each of which walked it for 100-250 ms every hundred or so requests (issue 19).
gc.freeze()
