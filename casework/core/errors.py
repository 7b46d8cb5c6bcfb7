"""Translated error pages (HTML for browsers, JSON for API clients)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from casework.extensions import db
from casework.i18n import _l
from casework.security import wants_html


class DomainError(ValueError):
    """A rule of the domain was broken. The message is translated and shown to the user;
    the request changes nothing."""


TITLES = {
    400: _l("Bad request"),
    401: _l("Sign-in required"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Request too large"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Busy"),
}

MESSAGES = {
    400: _l("The request could not be understood. Check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You are not allowed to see this page or do this action."),
    404: _l("This page does not exist or has moved."),
    405: _l("This address does not accept this kind of request."),
    413: _l("What you sent is too large. Send less data or a smaller file."),
    429: _l("Too many requests in a short time. Wait a little, then try again."),
    500: _l("Something went wrong on our side. Nothing you sent was saved; please try again."),
    503: _l("Casework is very busy right now. Wait a few seconds, then try again."),
}

CSRF_MESSAGE = _l(
    "The form has expired or was not sent by Casework. Go back, reload the page and try again."
)


def render_error(code: int, message: str | None = None):
    code = code if code in TITLES else 500
    text = str(message or MESSAGES[code])
    if not wants_html():
        return jsonify(error=str(TITLES[code]), message=text), code
    return render_template("errors/error.html", code=code, title=TITLES[code], message=text), code


def _http_error(error: HTTPException):
    # A message given with abort(code, description=...) is ours and already translated;
    # Werkzeug's default descriptions are English, so they give way to ours.
    default = type(error).description
    message = error.description if error.description != default else None
    if error.code == 403:
        _record_refusal()
    return render_error(error.code or 500, message)


def _record_refusal() -> None:
    from flask import request

    from casework.audit import services as audit

    audit.record(
        "denied",
        details={
            "endpoint": request.endpoint,
            "method": request.method,
            "path": request.path[:300],
        },
        later=True,
    )


def _csrf_error(_error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def _server_error(_error: Exception):
    db.session.rollback()
    return render_error(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
