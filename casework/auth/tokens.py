"""Personal access tokens for the API (issue 16), and the creates already made with an
``Idempotency-Key``.

A token is shown once, when it is made; only the SHA-256 of its secret is stored (the secret
is 256 random bits, so a plain hash is enough: nobody guesses it, and a stolen database gives
no usable token). Each token has a scope (``read``, or ``read-write``) and an expiry of at
most a year; its user or an administrator revokes it. The audit trail records tokens made and
revoked (the flush hook: the table is audited, the hash never logged).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.core import checks
from casework.core.errors import DomainError
from casework.db import UTCDateTime, one_of, utcnow
from casework.enums import TitledEnum, set_titles
from casework.extensions import db
from casework.i18n import _l

TOKEN_PREFIX = "cw_"  # noqa: S105 - how a token starts, not a secret
TOKEN_NAME_MAX = 80
MAX_DAYS = 365
DEFAULT_DAYS = 90
IDEMPOTENCY_KEY_MAX = 200
# The last use is written at most this often: a token in a busy client costs no write a
# request.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenScope(TitledEnum):
    READ = "read"
    READ_WRITE = "read-write"


set_titles(
    TokenScope, {TokenScope.READ: _l("Read only"), TokenScope.READ_WRITE: _l("Read and write")}
)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (
        one_of("scope", TokenScope.values()),
        sa.Index("ix_api_tokens_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(TOKEN_NAME_MAX))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(12))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE.value


class IdempotentCreate(db.Model):
    """A create sent with an ``Idempotency-Key``: the same key again returns this record."""

    __tablename__ = "api_idempotent_creates"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(sa.String(IDEMPOTENCY_KEY_MAX))
    # SHA-256 of the method, the path and the body: the same key with another request is
    # refused, never answered with the first record.
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    resource: Mapped[str] = mapped_column(sa.String(40))
    resource_id: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TokenError(DomainError):
    """A token could not be made or revoked."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User, name: str, scope: str, days: int | None, by: User
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it with its secret, which is shown once."""
    name = checks.check_text(name, _l("The token's name"), TOKEN_NAME_MAX, required=True)
    checks.check_choice(TokenScope, scope, _l("The scope"))
    if days is None or not 1 <= days <= MAX_DAYS:
        raise TokenError(
            _l("A token expires after 1 to %(max)s days.", max=MAX_DAYS),
        )
    if not user.is_active:
        raise TokenError(_l("This account is deactivated."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_secret(secret),
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=by.id,
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken, by: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = by.id
        db.session.flush()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def find_token(secret: str) -> ApiToken | None:
    """The active token of this secret, whose user is active, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or not token.is_active or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken) -> bool:
    """Write the token's last use (not audited: a plain UPDATE); True when written."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return False
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return True
