"""The sign-in gate, idle timeout, forced password change and two-factor set-up, and
security headers."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_talisman import Talisman

from casework.db import utcnow
from casework.extensions import login_manager
from casework.i18n import _, ngettext

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

LAST_SEEN_KEY = "_last_seen"
# Endpoints a signed-in user may reach while their password must be changed.
PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "core.set_language", "static"}
# Endpoints a signed-in user may reach while their role requires two-factor sign-in and they
# have not set it up yet.
TWO_FACTOR_SETUP_ALLOWED = {
    "auth.two_factor_page",
    "auth.start_two_factor",
    "auth.setup_two_factor",
    "auth.logout",
    "core.set_language",
    "static",
}


def public(view):
    """Mark a view as reachable without signing in. Everything else requires sign-in."""
    view.is_public = True
    return view


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None:  # no route matched: let the 404/405 handlers answer
        return True
    if endpoint == "static":
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def wants_html() -> bool:
    """Browsers (and clients that accept anything) get pages; API clients get JSON."""
    accept = request.accept_mimetypes
    if not accept:
        return True
    return accept.best_match(["text/html", "application/json"]) == "text/html"


def safe_next(target: str | None, fallback: str = "core.index") -> str:
    """A local path to return to, never another host (open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(fallback)


def client_address() -> str:
    return request.remote_addr or "unknown"


@login_manager.user_loader
def load_user(user_id: str):
    """The user of an open session kept on the server (auth.sessions)."""
    from casework.auth.sessions import SESSION_KEY, signed_in_user

    return signed_in_user(user_id, session.get(SESSION_KEY))


@login_manager.unauthorized_handler
def unauthorized():
    from casework.auth.sessions import expired_this_request, max_age

    expired = expired_this_request()
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


def _require_sign_in():
    app = current_app._get_current_object()
    if is_public_endpoint(app, request.endpoint):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if _idle_expired():
        from casework.auth.sessions import SESSION_KEY, end_session_now

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
    from casework.auth.two_factor import needs_enrolment

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


def mark_signed_in() -> None:
    session[LAST_SEEN_KEY] = utcnow().isoformat()


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
    app.before_request(_require_sign_in)
    # Registered before the audit trail's after_request, so it runs after it (Flask runs them
    # in reverse) and sees the final response, a "busy" page included.
    app.after_request(_not_stored)
    from casework.auth.sessions import touch_after_request

    app.after_request(touch_after_request)
    from casework.permissions import check_endpoint

    app.before_request(check_endpoint)
