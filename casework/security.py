"""The sign-in gate, idle timeout, forced password change and two-factor set-up, and
security headers.

Part of the application's wiring (with the app factory and ``casework.routes``): it reads the
sessions and two-factor state of ``casework.auth`` and the endpoints' declarations of
``casework.permissions``, and no domain imports it.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from flask_talisman import Talisman

from casework.auth import tokens
from casework.auth.sessions import (
    LAST_SEEN_KEY,
    SESSION_KEY,
    end_session_now,
    expired_this_request,
    max_age,
    signed_in_user,
    touch_after_request,
)
from casework.auth.two_factor import needs_enrolment
from casework.core.errors import json_error
from casework.core.http import wants_html
from casework.db import utcnow
from casework.extensions import db, login_manager
from casework.i18n import _, ngettext
from casework.permissions import check_endpoint, is_public_endpoint

# Content-Security-Policy: everything from our own origin, no inline script, no framing.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

# The API's paths: there, ``Authorization: Bearer <token>`` signs the request in (issue 16).
API_PREFIX = "/api/"

# Endpoints a signed-in user may reach while their password must be changed.
PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "home.set_language", "static"}
# Endpoints a signed-in user may reach while their role requires two-factor sign-in and they
# have not set it up yet.
TWO_FACTOR_SETUP_ALLOWED = {
    "auth.two_factor_page",
    "auth.start_two_factor",
    "auth.setup_two_factor",
    "auth.logout",
    "home.set_language",
    "static",
}


@login_manager.user_loader
def load_user(user_id: str):
    """The user of an open session kept on the server (auth.sessions)."""
    return signed_in_user(user_id, session.get(SESSION_KEY))


@login_manager.unauthorized_handler
def unauthorized():
    expired = expired_this_request()
    if request.path.startswith(API_PREFIX):
        return json_error(
            401,
            "unauthorized",
            _("Send a personal access token (Authorization: Bearer) or sign in."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not wants_html():
        return jsonify(error="session expired" if expired else "authentication required"), 401
    if expired:
        hours = int(max_age().total_seconds() // 3600)
        flash(
            ngettext(
                "Your session lasted %(num)d hour: please sign in again.",
                "Your session lasted %(num)d hours: please sign in again.",
                hours,
            ),
            "info",
        )
    else:
        flash(_("Please sign in to continue."), "info")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


def _sign_in_with_token():
    """before_request, ahead of the sign-in gate: a request to the API that carries a
    personal access token is the token's user's, whatever cookie it also carries. A token
    that is unknown, expired or revoked (or whose user is deactivated) gets a 401 in JSON."""
    header = request.headers.get("Authorization")
    if header is None or not request.path.startswith(API_PREFIX):
        return None
    scheme, _space, secret = header.partition(" ")
    token = tokens.find_token(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return json_error(
            401,
            "invalid_token",
            _("This access token is unknown, expired or revoked."),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    g._login_user = token.user  # what Flask-Login's current_user reads
    g.api_token = token
    if tokens.note_use(token):
        db.session.commit()
    return None


def _require_sign_in():
    app = current_app._get_current_object()
    if is_public_endpoint(app, request.endpoint):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if g.get("api_token") is not None:
        # A token has no session to time out; a password to change still stops it.
        if current_user.must_change_password:
            return json_error(
                403, "password_change_required", _("Please choose a new password before you go on.")
            )
        return None
    if _idle_expired():
        end_session_now(session.get(SESSION_KEY))  # every copy of the cookie too
        logout_user()
        session.clear()
        if not wants_html():
            return jsonify(error="session expired"), 401
        flash(_("You were signed out after a period of inactivity."), "info")
        return redirect(url_for("auth.login", next=request.path))
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ALLOWED:
        if request.method != "GET":
            abort(403)
        flash(_("Please choose a new password before you go on."), "warning")
        return redirect(url_for("auth.change_password"))
    if request.endpoint not in TWO_FACTOR_SETUP_ALLOWED and _needs_two_factor():
        if request.method != "GET":
            abort(403)
        flash(_("Your role requires two-factor sign-in: set it up before you go on."), "warning")
        return redirect(url_for("auth.two_factor_page"))
    return None


def _needs_two_factor() -> bool:
    if not current_app.config["TWO_FACTOR_REQUIRED"]:
        return False
    return needs_enrolment(current_user)


def _idle_expired() -> bool:
    now = utcnow()
    last_seen = session.get(LAST_SEEN_KEY)
    timeout = current_app.config["IDLE_TIMEOUT"]
    if last_seen is not None:
        try:
            seen = datetime.fromisoformat(last_seen)
        except (TypeError, ValueError):
            return True
        if now - seen > timeout:
            return True
        # Refresh at most once a minute so that most responses keep the same cookie.
        if (now - seen).total_seconds() < 60:
            return False
    session[LAST_SEEN_KEY] = now.isoformat()
    return False


def _not_stored(response):
    """after_request: nothing shown to a signed-in user (names, notes, exports) is kept by
    the browser or a proxy, nor the answers that sign in or out: a shared phone keeps no
    case after its user signed out. Static files keep their caching."""
    if request.endpoint != "static" and ("_user_id" in session or session.modified):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.headers.pop("Pragma", None)
    return response


def init_security(app: Flask) -> None:
    # One Talisman per app: it keeps its options on the instance, not on the app.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )
    app.before_request(_sign_in_with_token)
    app.before_request(_require_sign_in)
    # Registered before the audit trail's after_request, so it runs after it (Flask runs them
    # in reverse) and sees the final response, a "busy" page included.
    app.after_request(_not_stored)
    app.after_request(touch_after_request)
    app.before_request(check_endpoint)
