"""Casework: community mediation cases and community-police activities."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from casework import extensions, models, templating  # noqa: F401 - models: whole schema
from casework.audit.services import init_audit
from casework.config import (
    CONFIGS,
    INSTANCE_PATH,
    PROJECT_ROOT,
    database_url,
    load_secret_key,
    settings_from_env,
)
from casework.core.errors import register_error_handlers
from casework.core.guards import init_guards
from casework.core.routing import init_routing
from casework.db import configure_postgresql, configure_sqlite
from casework.i18n import select_locale
from casework.routes import register_blueprints
from casework.security import init_security


def create_app(config: str | dict | None = None) -> Flask:
    """Build the application.

    ``config`` is a configuration name (development, production, testing) or a mapping of
    settings applied over the testing configuration. Without it, CASEWORK_CONFIG decides
    (development by default; wsgi.py defaults to production).
    """
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
        name = "testing"
    else:
        name = config or os.environ.get("CASEWORK_CONFIG", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown configuration {name!r}; use one of {', '.join(CONFIGS)}.")
    app.config.from_object(CONFIGS[name])
    if name != "testing":
        app.config.update(settings_from_env())
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(None, Path(app.instance_path))

    load_secret_key(app)

    extensions.db.init_app(app)
    with app.app_context():
        if extensions.db.engine.dialect.name == "sqlite":
            configure_sqlite(extensions.db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        elif extensions.db.engine.dialect.name == "postgresql":
            configure_postgresql(extensions.db.engine, app.config["POSTGRES_LOCK_TIMEOUT_MS"])
    extensions.migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"))
    extensions.babel.init_app(app, locale_selector=select_locale)
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.login_manager.session_protection = "basic"
    init_guards(app)
    init_security(app)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    init_routing(app)
    register_blueprints(app)
    register_error_handlers(app)
    init_audit(app)
    templating.init_app(app)
    return app
