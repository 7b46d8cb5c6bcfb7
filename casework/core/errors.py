"""Translated error pages (HTML for browsers, JSON for API clients)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, render_template
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from casework import signals
from casework.core.http import wants_html
from casework.extensions import db
from casework.i18n import _l, language_without_user


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


def json_error(status: int, code: str, message, fields: dict | None = None, headers=None):
    """The API's error body (issue 16): ``{"error": {"code", "message", "fields"}}``, the
    message translated (the API reads the language from Accept-Language)."""
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


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
        signals.access_refused.send(current_app._get_current_object())  # the audit trail
    return render_error(error.code or 500, message)


def _csrf_error(_error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def _server_error(error: InternalServerError):
    if is_database_busy(getattr(error, "original_exception", None)):
        return busy_response()
    db.session.rollback()
    return render_error(500)


# --- a database busy past its timeout -------------------------------------------------------

# Set on ``g`` once a request has met a busy database: the audit entries kept for after the
# view are not written (they would wait for the same lock), and nothing else reads it.
DATABASE_BUSY = "_database_busy"
RETRY_AFTER_SECONDS = 5
# PostgreSQL: lock_not_available (lock_timeout, NOWAIT), query_canceled (statement_timeout),
# deadlock_detected. SQLite says it in words.
BUSY_SQLSTATES = {"55P03", "57014", "40P01"}
BUSY_WORDS = ("database is locked", "database table is locked", "lock timeout")


def is_database_busy(error: BaseException | None) -> bool:
    """A lock or a timeout (try again in a moment), not a fault of the database."""
    if isinstance(error, sa.exc.TimeoutError):  # every pooled connection in use
        return True
    if not isinstance(error, sa.exc.OperationalError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(original).lower()
    return any(words in text for words in BUSY_WORDS)


def busy_response():
    """A translated 503 with Retry-After that reads nothing from the database: the language
    comes from the session or Accept-Language, and the page is a template of its own, rendered
    without the context processors (the signed-in user, the menus) that query it."""
    g.setdefault(DATABASE_BUSY, True)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("rollback failed on a busy database", exc_info=True)
    with force_locale(language_without_user()):
        title, message = str(TITLES[503]), str(MESSAGES[503])
        if wants_html():
            template = current_app.jinja_env.get_template("errors/busy.html")
            body = template.render(title=title, message=message, lang=language_without_user())
            response = current_app.make_response((body, 503))
        else:
            response = current_app.make_response((jsonify(error=title, message=message), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database_error(error: sa.exc.SQLAlchemyError):
    if not is_database_busy(error):
        raise error
    current_app.logger.warning("database busy: %s", error.orig if hasattr(error, "orig") else error)
    return busy_response()


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(sa.exc.OperationalError, _database_error)
    app.register_error_handler(sa.exc.TimeoutError, _database_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
