"""Accounts: password hashing, sign-in with throttling, and user administration.

Services flush and never commit: views and CLI commands commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

from casework.auth.models import (
    FULL_NAME_MAX,
    USERNAME_MAX,
    LoginAttempt,
    SignInSlot,
    User,
)
from casework.auth.passwords import compact, is_common, username_in
from casework.auth.sessions import end_all_sessions
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.roles import Role

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
# A dummy hash verified when the account does not exist, so that timing does not tell.
_DUMMY_PASSWORD = "casework-timing-equaliser"  # noqa: S105


class AccountError(DomainError):
    """A rule about accounts was broken; the message is translated and shown to the user."""


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("PASSWORD_HASH_COST", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _dummy_hash(hasher: PasswordHasher) -> str:
    cached = current_app.extensions.get("casework_dummy_hash")
    if cached is None:
        cached = current_app.extensions["casework_dummy_hash"] = hasher.hash(_DUMMY_PASSWORD)
    return cached


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; an unknown user costs the same time as a known one."""
    hasher = _hasher()
    stored = user.password_hash if user is not None else _dummy_hash(hasher)
    try:
        hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def generate_password(length: int = 16, avoid: str | None = None) -> str:
    """A random password that is easy to read out and type on a phone (no look-alikes).

    ``avoid`` (the username, or a long part of it) never appears in it, so that the password
    policy accepts it.
    """
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    avoid = (avoid or "").strip().lower()
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if not avoid or username_in(password, avoid) is None:
            return password


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_username(username: str) -> None:
    if not USERNAME_RE.match(username):
        raise AccountError(
            _l(
                "A username has 3 to %(max)s characters: lower-case letters, digits, "
                "dots, hyphens or underscores, starting with a letter or digit.",
                max=USERNAME_MAX,
            )
        )


def check_password(password: str, username: str | None = None) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AccountError(_l("The password must have at least %(min)s characters.", min=minimum))
    if len(password) > 256:
        raise AccountError(_l("The password must have at most %(max)s characters.", max=256))
    found = username_in(password, username) if username else None
    if found is not None and found == compact(username):
        raise AccountError(_l("The password must not contain the username."))
    if found is not None:
        raise AccountError(
            _l("The password must not contain a part of the username (%(part)s).", part=found)
        )
    if is_common(password):
        raise AccountError(
            _l(
                "This password is too common: it is among the first that attackers try. "
                "Choose another one, for example a short sentence."
            )
        )


def check_profile(full_name: str, role: str, preferred_language: str | None) -> str:
    """Check what create and edit share; returns the cleaned full name."""
    full_name = (full_name or "").strip()
    if not full_name or len(full_name) > FULL_NAME_MAX:
        raise AccountError(
            _l("The full name must have 1 to %(max)s characters.", max=FULL_NAME_MAX)
        )
    if role not in {r.value for r in Role}:
        raise AccountError(_l("Unknown role: %(role)s.", role=role))
    if preferred_language and preferred_language not in current_app.config["LANGUAGES"]:
        raise AccountError(_l("Unsupported language: %(code)s.", code=preferred_language))
    return full_name


def check_area(area_id: int | None) -> int | None:
    """The area of responsibility must be a known administrative unit."""
    if area_id is None:
        return None
    if db.session.get(AdminUnit, area_id) is None:
        raise AccountError(_l("Unknown area."))
    return area_id


def get_user_by_username(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False
    retry_after_minutes: int = 0
    # The password was right, and a two-factor code must follow (auth.two_factor).
    needs_code: bool = False


def throttle_lock(username: str, address: str) -> None:
    """Make counting and recording sign-in attempts for this account and this address one
    atomic step across every worker, until the transaction ends.

    SQLite: a writing transaction already holds the database's write lock (BEGIN IMMEDIATE,
    casework.db). PostgreSQL: a transaction-level advisory lock per account and per address,
    taken in a fixed order so that two sign-ins never wait for each other in a circle. Take
    it first in the transaction, before any other write.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({_lock_key("account", username), _lock_key("address", address)})
    for key in keys:
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def _lock_key(kind: str, value: str) -> int:
    digest = hashlib.sha256(f"casework sign-in {kind} {value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _failures_since(column: str, value: str, since: datetime) -> tuple[int, datetime | None]:
    """Failed attempts in the window, and the slots of sign-ins being checked, which count as
    failures until they are recorded. One statement, so one snapshot of both tables."""
    failed = sa.select(LoginAttempt.attempted_at.label("at")).where(
        getattr(LoginAttempt, column) == value,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.attempted_at >= since,
    )
    pending = sa.select(SignInSlot.reserved_at.label("at")).where(
        getattr(SignInSlot, column) == value, SignInSlot.reserved_at >= since
    )
    both = sa.union_all(failed, pending).subquery()
    row = db.session.execute(sa.select(sa.func.count(), sa.func.min(both.c.at))).one()
    oldest = row[1]  # min() keeps the column type, so this is an aware UTC datetime
    return row[0], oldest


def throttle_state(username: str, address: str) -> tuple[bool, int]:
    """Whether sign-in is refused for this account or address, and for how many minutes.
    Hold ``throttle_lock`` when something is recorded after it."""
    window = current_app.config["LOGIN_WINDOW"]
    now = utcnow()
    since = now - window
    limits = (
        ("username", username, current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        ("address", address, current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    )
    wait = 0
    for column, value, limit in limits:
        count, oldest = _failures_since(column, value, since)
        if count >= limit and oldest is not None:
            remaining = (oldest + window - now).total_seconds()
            wait = max(wait, int(remaining // 60) + 1)
    return wait > 0, wait


class SignInThrottled(AccountError):
    """Too many failed sign-ins for the account or the address; try again later."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


class WrongPassword(AccountError):
    """A wrong password was given and recorded as a failed sign-in: commit, to keep it."""


@dataclass(frozen=True)
class SignInCheck:
    """Where a sign-in stands between its steps (``begin_sign_in``, ``check_sign_in``,
    ``record_sign_in``)."""

    username: str
    address: str
    user_id: int | None = None  # the user whose password matched, else None
    throttled: bool = False
    retry_after_minutes: int = 0
    slot_id: int | None = None  # the place held under the throttle while checking
    new_hash: str | None = None  # the password hashed again with today's cost


def begin_sign_in(username: str, address: str) -> SignInCheck:
    """The first step, in a short writing transaction that the caller commits before the
    password is checked: count the failures and, under the limit, take a place (a slot)
    that counts as a failure until the attempt is recorded. A refused try takes none and
    is not recorded, so that waiting is enough to get back in."""
    username = normalise_username(username)[:USERNAME_MAX]
    address = address[:64]
    throttle_lock(username, address)
    throttled, wait = throttle_state(username, address)
    if throttled:
        return SignInCheck(username, address, throttled=True, retry_after_minutes=wait)
    now = utcnow()
    # Slots left behind (a worker stopped mid-check) go once they leave the window.
    db.session.execute(
        sa.delete(SignInSlot).where(
            SignInSlot.reserved_at < now - current_app.config["LOGIN_WINDOW"]
        )
    )
    slot = SignInSlot(username=username, address=address, reserved_at=now)
    db.session.add(slot)
    db.session.flush()
    return SignInCheck(username, address, slot_id=slot.id)


def check_sign_in(check: SignInCheck, password: str) -> SignInCheck:
    """The slow part of signing in, reading only: the password hash. It runs outside any
    write transaction (``casework.db.reading_first``), after ``begin_sign_in`` committed."""
    if check.throttled:
        return check
    user = get_user_by_username(check.username)
    stored = user.password_hash if user is not None else None
    if not verify_password(user, password):
        return check
    new_hash = user.password_hash if user.password_hash != stored else None
    return replace(check, user_id=user.id, new_hash=new_hash)


def record_sign_in(check: SignInCheck) -> SignInResult:
    """Record the attempt of a check in place of its slot. For a user with two-factor on, a
    right password only leads to the second step, which records the attempt."""
    if check.throttled:
        return SignInResult(
            user=None, throttled=True, retry_after_minutes=check.retry_after_minutes
        )
    throttle_lock(check.username, check.address)
    if check.slot_id is not None:
        db.session.execute(sa.delete(SignInSlot).where(SignInSlot.id == check.slot_id))
    user = db.session.get(User, check.user_id) if check.user_id is not None else None
    ok = user is not None and user.is_active
    if ok and check.new_hash:
        user.password_hash = check.new_hash
    if ok and user.two_factor_enabled:
        db.session.flush()
        return SignInResult(user=user, needs_code=True)
    record_attempt(check.username, check.address, ok)
    if ok:
        user.last_login_at = utcnow()
    db.session.flush()
    return SignInResult(user=user if ok else None)


def record_attempt(username: str, address: str, succeeded: bool) -> None:
    db.session.add(
        LoginAttempt(
            username=username, address=address[:64], succeeded=succeeded, attempted_at=utcnow()
        )
    )


def sign_in(username: str, password: str, address: str) -> SignInResult:
    """Check credentials, honouring the throttle; records the attempt. In one transaction:
    the sign-in page commits between the steps (see auth.views.login)."""
    return record_sign_in(check_sign_in(begin_sign_in(username, address), password))


def confirm_password(user: User, password: str, address: str) -> None:
    """A signed-in user proves they know their password before a sensitive change. The
    throttle applies (``SignInThrottled``) and a wrong password counts as a failed sign-in
    (``WrongPassword``: commit anyway, so that the failure is kept). The check runs under
    the throttle lock: rare, and one account and address only."""
    address = address[:64]
    throttle_lock(user.username, address)
    throttled, wait = throttle_state(user.username, address)
    if throttled:
        raise SignInThrottled(wait)
    if not verify_password(user, password):
        record_attempt(user.username, address, False)
        db.session.flush()
        raise WrongPassword(_l("The current password is wrong."))


def create_user(
    *,
    username: str,
    full_name: str,
    role: str,
    password: str,
    preferred_language: str | None = None,
    must_change_password: bool = False,
    area_id: int | None = None,
) -> User:
    username = normalise_username(username)
    check_username(username)
    full_name = check_profile(full_name, role, preferred_language)
    check_password(password, username)
    if get_user_by_username(username) is not None:
        raise AccountError(_l("The username %(username)s is already taken.", username=username))
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        preferred_language=preferred_language or None,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        area_id=check_area(area_id),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _active_admin_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.role == Role.ADMIN.value, User.is_active.is_(True)
        )
    )


def _guard_last_admin(user: User) -> None:
    if user.role == Role.ADMIN.value and user.is_active and _active_admin_count() <= 1:
        raise AccountError(_l("This is the last active administrator: keep at least one."))


def update_user(
    user: User,
    *,
    full_name: str,
    role: str,
    preferred_language: str | None,
    area_id: int | None = None,
    gbv_trained: bool | None = None,
) -> User:
    """Change a user's profile, role and area; ``gbv_trained`` (None: unchanged) marks them
    as trained for gender-based violence cases (issue 15; the audit trail records it)."""
    full_name = check_profile(full_name, role, preferred_language)
    area_id = check_area(area_id)
    if role != user.role or area_id != user.area_id:
        if role != user.role:
            _guard_last_admin(user)
        end_all_sessions(user)  # new rights take effect at next sign-in
    user.area_id = area_id
    user.full_name = full_name
    user.role = role
    user.preferred_language = preferred_language or None
    if gbv_trained is not None:
        user.gbv_trained = bool(gbv_trained)
    db.session.flush()
    return user


def set_active(user: User, active: bool, by: User | None) -> User:
    """Activate or deactivate; ``by`` is None from the command line."""
    if not active:
        if by is not None and user.id == by.id:
            raise AccountError(_l("You cannot deactivate your own account."))
        _guard_last_admin(user)
        end_all_sessions(user)
    user.is_active = active
    db.session.flush()
    return user


def reset_password(user: User) -> str:
    """Give the user a temporary password that must be changed at next sign-in."""
    temporary = generate_password(avoid=user.username)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    end_all_sessions(user)
    db.session.flush()
    return temporary


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user, current):
        raise AccountError(_l("The current password is wrong."))
    check_password(new, user.username)
    if verify_password(user, new):
        raise AccountError(_l("The new password must differ from the current one."))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_all_sessions(user)
    db.session.flush()


def set_preferred_language(user: User, code: str) -> None:
    if code not in current_app.config["LANGUAGES"]:
        raise AccountError(_l("Unsupported language: %(code)s.", code=code))
    user.preferred_language = code
    db.session.flush()
