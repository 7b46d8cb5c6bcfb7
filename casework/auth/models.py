"""People who sign in, their sessions, and the record of sign-in attempts used for
throttling."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core import versions
from casework.db import UTCDateTime, utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.roles import Role

USERNAME_MAX = 64
FULL_NAME_MAX = 120


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(sa.column("role").in_([role.value for role in Role]), name="role_known"),
        sa.CheckConstraint("username = lower(username)", name="username_lowercase"),
        sa.CheckConstraint(
            "two_factor_enabled_at IS NULL OR totp_secret IS NOT NULL", name="two_factor_secret"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(USERNAME_MAX), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(FULL_NAME_MAX))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    preferred_language: Mapped[str | None] = mapped_column(sa.String(8))
    # The area of responsibility: the user sees cases in this unit and below (None: nowhere,
    # except for administrators, who see everything).
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("admin_units.id"))
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    # Trained for gender-based violence cases: only such users (and administrators) open
    # them (issue 15). Set by an administrator; the change is in the audit trail.
    gbv_trained: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    must_change_password: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    # Changing it signs the user out everywhere (deactivation, password reset or change,
    # role or area change); auth.sessions also ends their session records then.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (TOTP, RFC 6238). The secret is stored encrypted (auth.two_factor);
    # it is set while the user enrols and switched on once they confirm a code.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area: Mapped[AdminUnit | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role) -> bool:
        return self.role in {role.value for role in roles}

    @property
    def two_factor_enabled(self) -> bool:
        return self.two_factor_enabled_at is not None


# Processes cache the lists of colleagues (the case list's "Mediator" filter) by this
# version: who they are, their name, role, area and whether they may still sign in; not a
# sign-in's own writes (last sign-in, the two-factor step, the session token).
versions.track(User.__tablename__, "users", columns=("full_name", "role", "area_id", "is_active"))


class LoginAttempt(db.Model):
    """One sign-in attempt; failures in a sliding window throttle an account and an address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_username_attempted_at", "username", "attempted_at"),
        sa.Index("ix_login_attempts_address_attempted_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(USERNAME_MAX))
    address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool] = mapped_column(sa.Boolean)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignInSlot(db.Model):
    """A place under the throttle, held by a sign-in whose password is being checked.

    Counting the failures and taking a place is one atomic step (auth.services); the slot
    stands for a failure until the attempt is recorded in its stead, so that a burst of
    simultaneous tries gets no more passwords checked than the limit. A slot left behind
    by a crashed worker counts as a failure until it leaves the window.
    """

    __tablename__ = "sign_in_slots"
    __table_args__ = (
        sa.Index("ix_sign_in_slots_username_reserved_at", "username", "reserved_at"),
        sa.Index("ix_sign_in_slots_address_reserved_at", "address", "reserved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(USERNAME_MAX))
    address: Mapped[str] = mapped_column(sa.String(64))
    reserved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UserSession(db.Model):
    """One sign-in on one device. The cookie carries a random token whose hash is kept
    here; signing out ends the record, so that a copy of the cookie stops working too."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Refreshed every few minutes of activity (auth.sessions.TOUCH_EVERY).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"


class RecoveryCode(db.Model):
    """A single-use code that stands in for a two-factor code (a lost phone); only its keyed
    hash is kept."""

    __tablename__ = "recovery_codes"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
