"""Configuration classes. Every setting can come from the environment."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
AUDIT_KEY_MIN_LENGTH = 32
INSTANCE_PATH = Path(os.environ.get("CASEWORK_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def database_url(raw: str | None, instance_path: Path) -> str:
    """The SQLAlchemy URL for DATABASE_URL, defaulting to an SQLite file in the instance folder.

    ``postgresql://`` and ``postgres://`` select psycopg 3, the driver we ship.
    """
    if not raw:
        return f"sqlite:///{instance_path / 'casework.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _env_bool(name: str, default: bool, environ=os.environ) -> bool:
    value = environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    NAME = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # from DATABASE_URL, see settings_from_env()
    # Connections are renewed after 30 minutes rather than tested before each request (a
    # round trip per page on PostgreSQL); one lost by a server restart fails one request,
    # and the pool then opens new ones.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # How long a PostgreSQL statement waits for a lock before the user is told to try again.
    POSTGRES_LOCK_TIMEOUT_MS = 5000

    # Languages: French is the working language of the programme.
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Africa/Bamako"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")
    # How dates are written: "written" (25 October 2026, 4 déc. 2026, 16:51) or "iso"
    # (2026-10-25, 2026-12-04 16:51), from CASEWORK_DATE_STYLE.
    DATE_STYLE = "written"

    # Requests and sessions.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    SESSION_COOKIE_NAME = "casework_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True when CASEWORK_HTTPS is set
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    IDLE_TIMEOUT = timedelta(minutes=30)
    # Days without a successful sync after which a phone erases what it keeps offline.
    OFFLINE_STALE_DAYS = 14
    # However active, a session ends this long after sign-in (auth.sessions).
    SESSION_MAX_AGE = timedelta(hours=12)
    FORCE_HTTPS = False
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    WTF_CSRF_SSL_STRICT = True

    # Sign-in throttling: failures counted in a sliding window.
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    PASSWORD_MIN_LENGTH = 12
    # Two-factor sign-in (TOTP): when required, administrators and coordinators must enrol
    # before they can do anything else. The second step must follow the password within
    # TWO_FACTOR_PENDING.
    TWO_FACTOR_REQUIRED = False
    TWO_FACTOR_PENDING = timedelta(minutes=5)
    TWO_FACTOR_ISSUER = "Casework"
    # Argon2id parameters (argon2-cffi's RFC 9106 low-memory profile by default).
    PASSWORD_HASH_COST: dict = {}

    # Follow-up visits after an agreement, in days (DOMAIN.md: about D+30 and D+90).
    FOLLOW_UP_DAYS: tuple[int, ...] = (30, 90)

    # Early warning: this many alerts of one category in one commune within this many days
    # raise a warning (per commune and category overrides are set on the thresholds screen).
    ALERT_THRESHOLD_COUNT = 3
    ALERT_THRESHOLD_DAYS = 7

    # Alerts by SMS through an Android gateway (SMSSync protocol): the secret set in the
    # gateway app (the endpoint answers 404 while it is unset), the key of the numbers' hashes
    # (derived from SECRET_KEY when unset), the country code of 8-digit national numbers, and
    # the messages one number may send per hour.
    SMS_GATEWAY_SECRET: str | None = None
    SMS_NUMBER_KEY: str | None = None
    SMS_COUNTRY_CODE = "223"
    SMS_MAX_PER_HOUR = 10

    # The audit trail's chain key (HMAC-SHA256), kept outside the database; the retired keys
    # that entries were chained with. Without AUDIT_KEY, a key derived from SECRET_KEY.
    AUDIT_KEY: str | None = None
    AUDIT_OLD_KEYS: tuple[str, ...] = ()

    # Reverse proxies in front of the app (number of hops to trust for X-Forwarded-For).
    PROXY_HOPS = 0

    # Responses compressed when the client accepts it (flask-compress): brotli, else gzip.
    # Only text is compressed: PDF, XLSX, DOCX and PNG are compressed formats already.
    COMPRESS_MIMETYPES = (
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    )
    COMPRESS_ALGORITHM = ("br", "gzip")
    # A static file under its fingerprinted URL (casework.core.assets) is kept this long.
    STATIC_IMMUTABLE_MAX_AGE = 365 * 24 * 3600


class DevelopmentConfig(Config):
    NAME = "development"


class ProductionConfig(Config):
    NAME = "production"


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret-key"  # noqa: S105 - a fixed key for tests only
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Argon2 at full cost makes the suite slow; tests keep the same code path at low cost.
    PASSWORD_HASH_COST = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def settings_from_env(environ=os.environ) -> dict:
    """The settings an operator sets through environment variables."""
    settings: dict = {}
    if environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = environ["SECRET_KEY"]
    if environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = database_url(environ["DATABASE_URL"], INSTANCE_PATH)
    if _env_bool("CASEWORK_HTTPS", False, environ):
        settings["SESSION_COOKIE_SECURE"] = True
        settings["FORCE_HTTPS"] = True
    if _env_bool("CASEWORK_TWO_FACTOR_REQUIRED", False, environ):
        settings["TWO_FACTOR_REQUIRED"] = True
    ints = {
        "CASEWORK_MAX_CONTENT_LENGTH": "MAX_CONTENT_LENGTH",
        "CASEWORK_SQLITE_BUSY_TIMEOUT_MS": "SQLITE_BUSY_TIMEOUT_MS",
        "CASEWORK_POSTGRES_LOCK_TIMEOUT_MS": "POSTGRES_LOCK_TIMEOUT_MS",
        "CASEWORK_LOGIN_MAX_PER_ACCOUNT": "LOGIN_MAX_FAILURES_PER_ACCOUNT",
        "CASEWORK_LOGIN_MAX_PER_ADDRESS": "LOGIN_MAX_FAILURES_PER_ADDRESS",
        "CASEWORK_PROXY_HOPS": "PROXY_HOPS",
        "CASEWORK_ALERT_THRESHOLD_COUNT": "ALERT_THRESHOLD_COUNT",
        "CASEWORK_ALERT_THRESHOLD_DAYS": "ALERT_THRESHOLD_DAYS",
        "CASEWORK_SMS_MAX_PER_HOUR": "SMS_MAX_PER_HOUR",
        "CASEWORK_OFFLINE_STALE_DAYS": "OFFLINE_STALE_DAYS",
    }
    for var, key in ints.items():
        if environ.get(var):
            settings[key] = int(environ[var])
    if environ.get("CASEWORK_IDLE_MINUTES"):
        settings["IDLE_TIMEOUT"] = timedelta(minutes=int(environ["CASEWORK_IDLE_MINUTES"]))
    if environ.get("CASEWORK_SESSION_MAX_HOURS"):
        hours = int(environ["CASEWORK_SESSION_MAX_HOURS"])
        if hours < 1:
            raise ValueError(
                "CASEWORK_SESSION_MAX_HOURS must be a whole number of hours, 1 or more."
            )
        settings["SESSION_MAX_AGE"] = timedelta(hours=hours)
    if environ.get("CASEWORK_FOLLOW_UP_DAYS"):
        days = [part.strip() for part in environ["CASEWORK_FOLLOW_UP_DAYS"].split(",")]
        settings["FOLLOW_UP_DAYS"] = tuple(int(day) for day in days if day)
    if environ.get("CASEWORK_AUDIT_KEY"):
        settings["AUDIT_KEY"] = environ["CASEWORK_AUDIT_KEY"].strip()
        if len(settings["AUDIT_KEY"]) < AUDIT_KEY_MIN_LENGTH:
            raise RuntimeError(
                f"CASEWORK_AUDIT_KEY is too short: use at least {AUDIT_KEY_MIN_LENGTH} "
                "random characters (`casework audit new-key` makes one)."
            )
    for var, key in (
        ("CASEWORK_SMS_SECRET", "SMS_GATEWAY_SECRET"),
        ("CASEWORK_SMS_NUMBER_KEY", "SMS_NUMBER_KEY"),
        ("CASEWORK_SMS_COUNTRY_CODE", "SMS_COUNTRY_CODE"),
    ):
        if environ.get(var):
            settings[key] = environ[var].strip()
    if environ.get("CASEWORK_AUDIT_OLD_KEYS"):
        text = environ["CASEWORK_AUDIT_OLD_KEYS"].replace(",", " ")
        settings["AUDIT_OLD_KEYS"] = tuple(text.split())
    if environ.get("CASEWORK_DATE_STYLE"):
        style = environ["CASEWORK_DATE_STYLE"].strip().lower()
        if style not in ("written", "iso"):
            raise RuntimeError("CASEWORK_DATE_STYLE must be 'written' or 'iso'.")
        settings["DATE_STYLE"] = style
    if environ.get("CASEWORK_LOGIN_WINDOW_MINUTES"):
        minutes = int(environ["CASEWORK_LOGIN_WINDOW_MINUTES"])
        settings["LOGIN_WINDOW"] = timedelta(minutes=minutes)
    return settings


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def load_secret_key(app) -> None:
    """Production refuses to start without SECRET_KEY; development keeps one in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config["NAME"] == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. Production refuses to start without it: "
            "set the SECRET_KEY environment variable to a long random value."
        )
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = key_file.read_text().strip()
