"""What every operation of the API shares: its blueprint, the checks before a request (a
read token cannot write; a browser's cookie writes only with its CSRF token), JSON errors,
opaque cursors, ``Idempotency-Key`` and ``ETag``/``If-Match``."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app, g, request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from casework import signals
from casework.auth import tokens
from casework.cases.access import get_case_or_404
from casework.core.errors import MESSAGES, DomainError, json_error
from casework.extensions import csrf, db
from casework.i18n import _, _l

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Casework API, version 1")
csrf.exempt(blp)  # checked below, for cookie-authenticated writes only

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
}
INVALID = _l("Some fields are not valid: see the list of fields.")
READ_ONLY = _l("This access token may only read: make a read-write token to change data.")
CSRF_MISSING = _l("Send the page's CSRF token in the X-CSRFToken header, or use an access token.")
NUL_IN_BODY = _l(
    "What you sent contains a null character, which Casework cannot store. Remove it and try again."
)
# marshmallow's messages, said in the reader's language.
FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Unknown field.": _l("Unknown field."),
    "Field may not be null.": _l("This field cannot be empty."),
    "Not a valid integer.": _l("Not a whole number."),
    "Not a valid string.": _l("Not a text."),
    "Not a valid boolean.": _l("Not true or false."),
    "Not a valid date.": _l("Not a date (YYYY-MM-DD)."),
    "Not a valid datetime.": _l("Not a date and time with its time zone."),
    "Not a valid list.": _l("Not a list."),
    "Invalid input type.": _l("Not the expected kind of value."),
    "Must be one of the allowed values.": _l("Not one of the allowed values."),
}
ONE_OF = re.compile(r"^Must be one of: ")


def current_token():
    return g.get("api_token")


def api_guard():
    """before_request of the API's operations."""
    if request.method not in UNSAFE:
        return None
    data = request.get_data(cache=True)
    if b"\x00" in data or b"\\u0000" in data:
        return json_error(400, "bad_request", NUL_IN_BODY)
    token = current_token()
    if token is None:
        # The browser's session cookie: the same CSRF check as the pages' forms, read from
        # the X-CSRFToken header.
        try:
            csrf.protect()
        except CSRFError:
            return json_error(400, "csrf", CSRF_MISSING)
        return None
    if not token.can_write:
        signals.access_refused.send(current_app._get_current_object())
        return json_error(403, "read_only_token", READ_ONLY)
    return None


def no_store(response):
    """after_request: what the API sends is never kept by a cache, and it is JSON only."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


blp.before_request(api_guard)
blp.after_request(no_store)


def _field_messages(messages) -> dict:
    """webargs' ``{"json": {"field": ["msg"]}}`` flattened and translated."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "headers", "path"}:
        merged: dict = {}
        for part in messages.values():
            merged.update(_field_messages(part) if isinstance(part, dict) else {})
        return merged
    if isinstance(messages, dict):
        return {str(key): _field_messages(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_translated(m) if isinstance(m, str) else _field_messages(m) for m in messages]
    return _translated(messages) if isinstance(messages, str) else messages


def _translated(message: str) -> str:
    if message in FIELD_MESSAGES:
        return str(FIELD_MESSAGES[message])
    if ONE_OF.match(message):
        return str(FIELD_MESSAGES["Must be one of the allowed values."])
    return message


@blp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        return json_error(422, "invalid", INVALID, _field_messages(data["messages"]))
    if status == 403:
        signals.access_refused.send(current_app._get_current_object())
    default = type(error).description
    message = error.description if error.description != default else None
    return json_error(
        status,
        CODES.get(status, "error"),
        message or MESSAGES.get(status, MESSAGES[400]),
    )


@blp.errorhandler(DomainError)
def domain_error(error: DomainError):
    db.session.rollback()
    return json_error(422, "invalid", str(error))


def case_first(need: str = "edit"):
    """Put between ``@requires`` and ``@blp.arguments``: the case is loaded and the user's
    access to it checked (404, 403) before the body is read, so that a case out of reach
    answers as it does on the pages whatever was sent."""

    def decorate(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            get_case_or_404(kwargs["case_id"], need=need)
            return view(*args, **kwargs)

        return checked

    return decorate


# --- lists ------------------------------------------------------------------------------------


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> int | None:
    """The id a page starts after; a cursor that is not ours is a 400."""
    if not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        prefix, _colon, ident = raw.partition(":")
        value = int(ident)
    except (ValueError, UnicodeDecodeError):
        value, prefix = 0, ""
    if prefix != "v1" or not 0 < value < 2**62:
        raise BadCursor()
    return value


class BadCursor(DomainError):
    def __init__(self):
        super().__init__(_l("This cursor is not one that the API gave."))


def page_of(statement: sa.Select, id_column, args: dict, dump: Callable | None = None) -> dict:
    """One page of ``statement``, newest first (by id): ``{"items", "next_cursor"}``."""
    limit = args.get("limit", 25)
    after = decode_cursor(args.get("cursor"))
    if after is not None:
        statement = statement.where(id_column < after)
    rows = db.session.scalars(statement.order_by(id_column.desc()).limit(limit + 1)).unique().all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [dump(row) for row in rows] if dump else rows,
        "next_cursor": encode_cursor(rows[-1].id) if more and rows else None,
    }


# --- Idempotency-Key ----------------------------------------------------------------------------

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": tokens.IDEMPOTENCY_KEY_MAX},
    "description": "A key chosen by the client (a UUID). The same key again returns the "
    "record made the first time (200) instead of making another; the same key with another "
    "body is refused (422).",
}
IF_MATCH_HEADER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string", "maxLength": 100},
    "description": "The ETag of the case as read. Required: without it 428; when the case "
    "changed since, 412 and nothing is saved.",
}
KEY_REUSED = _l("This Idempotency-Key was already used for another request.")
KEY_TOO_LONG = _l(
    "An Idempotency-Key has at most %(max)s characters.", max=tokens.IDEMPOTENCY_KEY_MAX
)


def _request_hash() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data(cache=True)):
        digest.update(part)
        digest.update(b"\n")
    return digest.hexdigest()


def idempotent_create(resource: str, load: Callable[[int], object], create: Callable[[], object]):
    """Run ``create`` once per ``Idempotency-Key`` of the user: returns ``(record, status)``,
    201 for a new record, 200 for the one made by an earlier request with the same key."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        record = create()
        db.session.commit()
        return record, 201
    if not key.strip() or len(key) > tokens.IDEMPOTENCY_KEY_MAX:
        raise DomainError(KEY_TOO_LONG)
    fingerprint = _request_hash()
    earlier = _earlier(key)
    if earlier is None:
        record = create()
        db.session.add(
            tokens.IdempotentCreate(
                user_id=current_user.id,
                key=key,
                request_hash=fingerprint,
                resource=resource,
                resource_id=record.id,
            )
        )
        try:
            db.session.commit()
            return record, 201
        except sa.exc.IntegrityError:  # the same key at the same moment: the other one won
            db.session.rollback()
            earlier = _earlier(key)
            if earlier is None:
                raise
    if earlier.request_hash != fingerprint or earlier.resource != resource:
        raise DomainError(KEY_REUSED)
    return load(earlier.resource_id), 200


def _earlier(key: str):
    return db.session.scalar(
        sa.select(tokens.IdempotentCreate).where(
            tokens.IdempotentCreate.user_id == current_user.id,
            tokens.IdempotentCreate.key == key,
        )
    )


# --- ETag / If-Match --------------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"v{version}"'


def expected_version() -> int:
    """The version named by If-Match: 428 without it, 412 when it names no version."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    match = re.fullmatch(r'"v(\d{1,9})"', value)
    if match is None:
        raise PreconditionFailed()
    return int(match.group(1))


class PreconditionRequired(HTTPException):
    code = 428

    def __init__(self):
        super().__init__(
            _("Send the case's ETag in If-Match: it keeps an edit from overwriting another.")
        )


class PreconditionFailed(HTTPException):
    code = 412

    def __init__(self):
        super().__init__(_("The case changed since you read it: nothing was saved. Read it again."))
