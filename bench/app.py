"""The application as the benchmarks run it: production settings, plus one bare endpoint.

The bare endpoint (``/_bench/bare``) exists only here, never in the production app: it is
the floor that every measured page is compared with (Flask, Casework's request hooks and
security headers, no database work). ``gunicorn 'bench.app:create_bench_app()'`` serves it.
"""

from __future__ import annotations

import gc
import os

from casework import create_app
from casework.permissions import public

BARE_PATH = "/_bench/bare"
# Which worker answered: bench.served waits until each one does (both bench apps have it).
PID_PATH = "/_bench/pid"


def create_bench_app():
    """Production configuration (SECRET_KEY and DATABASE_URL come from the environment)."""
    app = create_app("production")

    @public
    def bare():
        return "ok"

    app.add_url_rule(BARE_PATH, "bench_bare", bare)

    @public
    def pid():
        return str(os.getpid())

    app.add_url_rule(PID_PATH, "bench_pid", pid)
    gc.freeze()  # as wsgi.py does: the app's objects out of the collector's full passes
    return app
