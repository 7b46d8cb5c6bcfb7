"""Two-factor sign-in: TOTP codes (RFC 6238) from an authenticator app, and recovery codes.

The TOTP secret is stored encrypted (Fernet, with a key derived from SECRET_KEY by HKDF), so
that a copy of the database alone does not give the second factor. Recovery codes are kept
as keyed hashes (HMAC-SHA256, another key derived from SECRET_KEY) and work once each.

Services flush and never commit: views and CLI commands commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from markupsafe import Markup
from sqlalchemy.orm.attributes import set_committed_value

from casework.auth.models import RecoveryCode, User
from casework.auth.services import (
    AccountError,
    SignInResult,
    confirm_password,
    record_attempt,
    throttle_lock,
    throttle_state,
)
from casework.auth.sessions import end_all_sessions
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _l
from casework.roles import Role

DIGITS = 6
INTERVAL = 30  # seconds per time step
DRIFT_STEPS = 1  # a code of the step before or after is accepted too (clock drift)
RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without look-alikes: 30 symbols, 10 of them make ~49 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz2345678"
RECOVERY_LENGTH = 10
REQUIRED_FOR = (Role.ADMIN, Role.COORDINATOR)

_CODE_RE = re.compile(rf"\d{{{DIGITS}}}")
_RECOVERY_RE = re.compile(rf"[{RECOVERY_ALPHABET}]{{{RECOVERY_LENGTH}}}")

WRONG_CODE = _l("The code is wrong, has expired or was already used.")


# --- keys and encryption -----------------------------------------------------------------


def _derived_key(purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from SECRET_KEY (cached per application)."""
    keys = current_app.extensions.setdefault("casework_two_factor_keys", {})
    key = keys.get(purpose)
    if key is None:
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=f"casework {purpose}".encode()
        )
        key = keys[purpose] = hkdf.derive(current_app.config["SECRET_KEY"].encode())
    return key


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived_key("totp secret")))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise AccountError(
            _l(
                "The two-factor secret cannot be read (the secret key may have changed). "
                "Ask an administrator to reset your two-factor sign-in."
            )
        ) from error


# --- who needs it ------------------------------------------------------------------------


def required_for(user: User) -> bool:
    """Whether the configuration requires two-factor sign-in for this user's role."""
    return bool(current_app.config["TWO_FACTOR_REQUIRED"]) and user.has_role(*REQUIRED_FOR)


def needs_enrolment(user: User) -> bool:
    return required_for(user) and not user.two_factor_enabled


# --- enrolment ---------------------------------------------------------------------------


def start_enrolment(user: User, password: str, address: str) -> str:
    """Give the user a new secret, not yet switched on; returns it (in clear, to show).

    The password is asked first: otherwise someone holding a copy of the session cookie
    could switch two-factor on with their own phone and lock the owner out. A wrong one
    counts as a failed sign-in (``services.confirm_password``)."""
    if user.two_factor_enabled:
        raise AccountError(_l("Two-factor sign-in is already on."))
    confirm_password(user, password, address)
    secret = pyotp.random_base32()
    user.totp_secret = encrypt_secret(secret)
    user.totp_last_step = None
    db.session.flush()
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being enrolled, or None when there is none (or it is already on)."""
    if user.two_factor_enabled or not user.totp_secret:
        return None
    return decrypt_secret(user.totp_secret)


def grouped(secret: str, size: int = 4) -> str:
    """The secret in groups of four, easier to read and type."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=user.username, issuer_name=current_app.config["TWO_FACTOR_ISSUER"]
    )


def qr_code_svg(uri: str, title: str) -> Markup:
    """The QR code of the URI as inline SVG (no script, no image request), black on white."""
    code = segno.make(uri, error="m")
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", title=title, svgclass="qr")
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch two-factor on once the user proves their app shows the right code; returns the
    recovery codes, to be shown once."""
    secret = pending_secret(user)
    if secret is None:
        raise AccountError(_l("Start the set-up again: no two-factor secret is waiting."))
    step = _matching_step(secret, code)
    if step is None or not _accept_step(user, step):
        raise AccountError(WRONG_CODE)
    user.two_factor_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.flush()
    return codes


# --- codes -------------------------------------------------------------------------------


def _now() -> float:
    return time.time()  # one place, so that tests can stop the clock


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (now, or one step either side), or None."""
    code = "".join((code or "").split())
    if not _CODE_RE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = totp.timecode(_now())
    matched = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Compare every candidate, so that timing does not tell which step matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            matched = step
    return matched


def _accept_step(user: User, step: int) -> bool:
    """Record the step as used unless it, or a later one, already was. One conditional
    UPDATE, so that two requests racing with the same code cannot both pass."""
    result = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash_recovery_code(user_id: int, code: str) -> str:
    message = f"{user_id}:{code}".encode()
    return hmac.new(_derived_key("recovery codes"), message, hashlib.sha256).hexdigest()


def _format_recovery_code(code: str) -> str:
    half = RECOVERY_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them formatted, in clear."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    now = utcnow()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(user.id, code), created_at=now)
        for code in codes
    )
    return [_format_recovery_code(code) for code in codes]


def _use_recovery_code(user: User, code: str) -> bool:
    code = _normalise_recovery_code(code)
    if not _RECOVERY_RE.fullmatch(code):
        return False
    result = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def verify_code(user: User, code: str) -> bool:
    """Check a code from the app, or a recovery code; either is accepted only once."""
    if not user.two_factor_enabled or not user.totp_secret:
        return False
    digits = "".join((code or "").split())
    if _CODE_RE.fullmatch(digits):
        step = _matching_step(decrypt_secret(user.totp_secret), digits)
        return step is not None and _accept_step(user, step)
    return _use_recovery_code(user, code)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def new_recovery_codes(user: User, code: str) -> list[str]:
    """Replace the recovery codes, on proof of a current code."""
    if not verify_code(user, code):
        raise AccountError(WRONG_CODE)
    codes = _new_recovery_codes(user)
    db.session.flush()
    return codes


# --- sign-in -----------------------------------------------------------------------------


def pending_user(user_id: int, session_token: str) -> User | None:
    """The user who gave the right password and now owes a code, if still valid."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_token != session_token:
        return None
    if not user.two_factor_enabled:
        return None
    return user


def complete_sign_in(user: User, code: str, address: str) -> SignInResult:
    """The second step of sign-in. A wrong code counts as a failed sign-in (throttling);
    counting and recording are one atomic step, as for the password."""
    throttle_lock(user.username, address)
    throttled, wait = throttle_state(user.username, address)
    if throttled:
        return SignInResult(user=None, throttled=True, retry_after_minutes=wait)
    ok = verify_code(user, code)
    record_attempt(user.username, address, ok)
    if ok:
        user.last_login_at = utcnow()
    db.session.flush()
    return SignInResult(user=user if ok else None)


# --- switching off -----------------------------------------------------------------------


def _clear(user: User) -> None:
    user.totp_secret = None
    user.two_factor_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(user: User, password: str, code: str, address: str) -> None:
    """The user switches two-factor off, with their password and a current code. A wrong
    password counts as a failed sign-in, under the same throttle (``confirm_password``):
    otherwise someone holding a copy of the session cookie could guess it here."""
    if required_for(user):
        raise AccountError(_l("Two-factor sign-in is required for your role."))
    if not user.two_factor_enabled:
        raise AccountError(_l("Two-factor sign-in is not on."))
    confirm_password(user, password, address)
    if not verify_code(user, code):
        raise AccountError(WRONG_CODE)
    _clear(user)
    db.session.flush()


def reset(user: User) -> None:
    """An administrator resets a user's two-factor sign-in (a lost phone): the user signs in
    with their password and enrols again; their open sessions are closed."""
    _clear(user)
    end_all_sessions(user)
    db.session.flush()
