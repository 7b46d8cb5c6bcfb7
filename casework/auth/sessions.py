"""Sessions kept on the server: one record per sign-in on one device.

The signed session cookie carries, besides the user's id and session token (Flask-Login),
a random token of its own sign-in; only that token's SHA-256 is stored. A request is signed
in only while its record is open and younger than SESSION_MAX_AGE, so that signing out ends
the session for every copy of the cookie, and a session ends after a fixed time however
active it is. Changing the password, the role or the area, deactivation and resets end every
session of the user (``end_all_sessions``).

Services flush and never commit: views commit.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, session

from casework.auth.models import User, UserSession, new_session_token
from casework.db import utcnow
from casework.extensions import db

# In the signed session cookie: the token of this sign-in's record, and when the session was
# last used (the idle timeout, checked by casework.security).
SESSION_KEY = "_sign_in"
LAST_SEEN_KEY = "_last_seen"
# The activity of a session is written at most this often (a write per request is waste).
TOUCH_EVERY = timedelta(minutes=5)
_TOUCH = "_casework_touch_session"
# Records of sessions that ended (or expired) longer ago than this are removed when their user
# signs in again: they serve no check any more, and the sign-ins stay in the audit trail.
RECORDS_KEPT = timedelta(days=30)
_EXPIRED = "_casework_session_expired"


def mark_signed_in() -> None:
    """The idle timeout starts again from now (at sign-in)."""
    session[LAST_SEEN_KEY] = utcnow().isoformat()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a session for a user who has just signed in; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    cutoff = now - RECORDS_KEPT
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            sa.or_(UserSession.ended_at < cutoff, UserSession.created_at < cutoff - max_age()),
        )
    )
    db.session.add(
        UserSession(user_id=user.id, token_hash=_hash(token), created_at=now, last_seen_at=now)
    )
    db.session.flush()
    return token


def end_session(token: str | None) -> None:
    """Sign out: the session of this token ends, for every copy of its cookie."""
    if not isinstance(token, str) or not token:
        return
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_session_now(token: str | None) -> None:
    """End a session from a request that otherwise writes nothing (the idle timeout), in a
    short transaction of its own; a busy database leaves it to the idle timeout."""
    db.session.rollback()
    try:
        end_session(token)
        db.session.commit()
    except sa.exc.OperationalError:
        db.session.rollback()
        current_app.logger.warning("idle session not ended: database busy", exc_info=True)


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere: a new session token, and every open record ends."""
    user.session_token = new_session_token()
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def max_age() -> timedelta:
    return current_app.config["SESSION_MAX_AGE"]


@functools.cache
def _signed_in_statement() -> sa.Select:
    """Built once, with bound parameters: every request of a signed-in user runs it, and
    SQLAlchemy's cache saves the compilation, not the building (issue 19)."""
    return (
        sa.select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == sa.bindparam("user_id"),
            UserSession.token_hash == sa.bindparam("token_hash"),
        )
    )


def signed_in_user(user_id: str, token) -> User | None:
    """The Flask-Login user loader: the user of an open, unexpired session whose cookie
    matches both the user's session token and the session's own token (one query)."""
    ident, _sep, user_token = (user_id or "").partition(":")
    if not ident.isdigit() or not user_token or not isinstance(token, str) or not token:
        return None
    row = db.session.execute(
        _signed_in_statement(), {"user_id": int(ident), "token_hash": _hash(token)}
    ).one_or_none()
    if row is None:
        return None
    user, record = row
    if not user.is_active or user.session_token != user_token or record.ended_at is not None:
        return None
    now = utcnow()
    if now - record.created_at > max_age():
        g.setdefault(_EXPIRED, True)
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        g.setdefault(_TOUCH, record.id)
    return user


def expired_this_request() -> bool:
    """Whether this request came with a session that had reached its maximum age."""
    return bool(g.get(_EXPIRED))


def touch_after_request(response):
    """after_request: note the session's activity, in a short transaction of its own after
    the view (a page view's transaction only reads; SQLite then takes the write lock for the
    one UPDATE). The time is informational: a busy database skips it."""
    record_id = g.pop(_TOUCH, None)
    if record_id is None:
        return response
    db.session.rollback()
    try:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.id == record_id)
            .values(last_seen_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except sa.exc.OperationalError:
        db.session.rollback()
        current_app.logger.warning("session activity not recorded: database busy", exc_info=True)
    return response
