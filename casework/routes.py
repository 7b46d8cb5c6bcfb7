"""Every blueprint, registered in one place: the only module that imports views."""

from __future__ import annotations

from flask import Flask

from casework.api import init_api
from casework.audit.views import bp as audit_bp
from casework.auth.views import bp as auth_bp
from casework.cases.views import bp as cases_bp
from casework.geo.views import bp as geo_bp
from casework.home.views import bp as home_bp
from casework.integrations.views import bp as integrations_bp
from casework.policing.views import bp as policing_bp
from casework.reports.views import bp as reports_bp
from casework.vocab.views import bp as vocab_bp

BLUEPRINTS = (
    home_bp,
    auth_bp,
    geo_bp,
    cases_bp,
    policing_bp,
    reports_bp,
    vocab_bp,
    audit_bp,
    integrations_bp,
)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    init_api(app)  # the REST API's blueprint, with its OpenAPI document
