"""The REST API, ``/api/v1`` (issue 16): the same services, checks, audit trail and
permissions as the pages, for the tools of the field (an offline app, KoboToolbox scripts,
a programme's own dashboards).

Built with flask-smorest (docs/decisions.md): marshmallow schemas document the OpenAPI 3.1
file (``/api/v1/openapi.json``) and validate each request. The app keeps its own error pages
and sign-in gate: flask-smorest's error handler and documentation blueprint are not used
(``CaseworkApi``); the API's errors are JSON from its own blueprint's handlers.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from casework.api import cases, docs, offline, policing, records, reference  # noqa: F401 - routes
from casework.api.common import blp
from casework.api.schemas import Error

API_VERSION = "1.0.0"
SECURITY_SCHEMES = {
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal access token (account page): read, or read-write.",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The app's own pages: writes also need the X-CSRFToken header.",
    },
}


class CaseworkApi(Api):
    """flask-smorest without its app-wide error handler (the pages keep theirs) and without
    its documentation blueprint (the spec and its page are served by ``casework.api.docs``,
    with a declared permission like every route)."""

    ERROR_SCHEMA = Error

    def _register_error_handlers(self):
        pass

    def _register_doc_blueprint(self):
        pass


def init_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Casework")
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api = CaseworkApi(
        app,
        spec_kwargs={
            "security": [{"bearerToken": []}, {"sessionCookie": []}],
            "info": {
                "description": "Cases, their records, alerts and activities, vocabularies and "
                "geography, under the same permissions as the pages. Errors are "
                '`{"error": {"code", "message", "fields"}}`, in the language of '
                "Accept-Language (fr, en)."
            },
        },
    )
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    api.register_blueprint(blp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(offline.bp)  # the service worker and the pages' offline layer
    app.jinja_env.globals["offline_config"] = offline.offline_config
    app.extensions["casework_api"] = api
