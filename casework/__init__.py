"""Casework: community mediation cases and community-police activities."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from casework.config import (
    CONFIGS,
    INSTANCE_PATH,
    PROJECT_ROOT,
    database_url,
    load_secret_key,
    settings_from_env,
)


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
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(None, Path(app.instance_path))

    load_secret_key(app)

    from casework import extensions, models, templating  # noqa: F401 - models: whole schema
    from casework.core.assets import init_assets
    from casework.core.guards import init_guards
    from casework.db import configure_sqlite
    from casework.i18n import select_locale
    from casework.security import init_security

    # First registered, so their after_request hooks run last: static files keep their
    # long lifetime whatever the other hooks set, and compression sees the final body.
    extensions.compress.init_app(app)
    init_assets(app)
    extensions.db.init_app(app)
    with app.app_context():
        if extensions.db.engine.dialect.name == "sqlite":
            configure_sqlite(extensions.db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    extensions.migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"))
    extensions.babel.init_app(app, locale_selector=select_locale)
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.login_manager.session_protection = "basic"
    init_guards(app)
    init_security(app)
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from casework.audit import init_audit
    from casework.audit.views import bp as audit_bp
    from casework.auth.views import bp as auth_bp
    from casework.cases.views import bp as cases_bp
    from casework.core.errors import register_error_handlers
    from casework.core.routing import init_routing
    from casework.core.views import bp as core_bp
    from casework.geo.views import bp as geo_bp
    from casework.policing.views import bp as policing_bp
    from casework.reports.views import bp as reports_bp
    from casework.vocab.views import bp as vocab_bp

    init_routing(app)
    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(geo_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(policing_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(vocab_bp)
    app.register_blueprint(audit_bp)
    register_error_handlers(app)
    init_audit(app)
    templating.init_app(app)
    return app
