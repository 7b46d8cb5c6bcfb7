"""Writing the audit trail, and checking it.

Two ways in:
- every flush of an audited record is logged by one SQLAlchemy hook (``after_flush``):
  creations, field-by-field changes (before and after) and removals, in the same
  transaction as the change, so a rolled-back change leaves no entry and a committed one
  always has its entry;
- ``record()`` logs acts that change no row: views of sensitive records, exports, reports,
  permission refusals, sign-ins. In a GET request (and for refusals) the entry is kept on
  ``g`` and written after the view, in a short transaction of its own, so that page views
  keep concurrent reads on SQLite and an error page still leaves its entry.

Each entry holds the hash of the one before it (HMAC-SHA256 over a canonical JSON form,
with the key named by its ``key_id``; plain SHA-256 for entries written before the chain was
keyed), and the head row holds the last one: ``verify()`` walks the chain and names the
first entry that was altered, removed or cut from the end. Whoever owns the database can
still cut entries from the end and move the head back: a head kept elsewhere (an anchor,
``check_anchor()``) catches that.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user, user_logged_out
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from casework import signals
from casework.audit.fields import AUDITED_TABLES, RESTRICTED, is_ignored, is_restricted
from casework.audit.keys import ChainKey, known_keys, signing_key
from casework.audit.models import GENESIS, AuditEntry, AuditHead
from casework.auth.models import User
from casework.core.errors import DATABASE_BUSY, busy_response, is_database_busy
from casework.db import utcnow
from casework.extensions import db

PENDING_KEY = "_audit_pending"
# Set on a session (session.info) to write without audit: the bulk generator of benchmark
# data only. Nothing a user does goes through it.
SKIP_AUDIT = "casework_skip_audit"

log_table = AuditEntry.__table__
head_table = AuditHead.__table__


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    address: str


def current_actor(username: str | None = None) -> Actor:
    """The signed-in user and their address in a request; the system account elsewhere
    (CLI commands, named after the operating-system user who ran them)."""
    if has_request_context():
        address = (request.remote_addr or "unknown")[:64]
        if current_user and current_user.is_authenticated:
            return Actor(current_user.id, current_user.username, address)
        return Actor(None, (username or "anonymous")[:80], address)
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(None, (username or f"cli:{who}")[:80], "cli")


def plain(value):
    """A JSON-safe form of a column value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return str(value)
    return str(value)


def canonical(entry: dict) -> str:
    fields = {
        key: entry[key]
        for key in (
            "seq",
            "at",
            "user_id",
            "username",
            "address",
            "action",
            "object_type",
            "object_id",
            "case_id",
            "details",
        )
    }
    fields["at"] = _at_text(entry["at"])
    if entry.get("key_id") is not None:  # entries from before the key keep their old form
        fields["key_id"] = entry["key_id"]
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _at_text(at: datetime) -> str:
    # Microseconds survive both databases; the text form is fixed to UTC.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def chain_hash(prev_hash: str, entry: dict, key: ChainKey | None = None) -> str:
    """HMAC-SHA256 with ``key``; plain SHA-256 without (entries written before the key)."""
    message = (prev_hash + "\n" + canonical(entry)).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def make_entry(
    action: str,
    *,
    actor: Actor,
    object_type: str | None = None,
    object_id: int | None = None,
    case_id: int | None = None,
    details: dict | None = None,
) -> dict:
    return {
        "at": utcnow(),
        "user_id": actor.user_id,
        "username": actor.username,
        "address": actor.address,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "case_id": case_id,
        "details": details or {},
    }


def append(connection: sa.Connection, entries: list[dict]) -> None:
    """Chain and insert entries. Locks the head row first: appends are serialised, and the
    lock is held until the transaction ends (SQLite writers are serialised already)."""
    if not entries:
        return
    head = connection.execute(
        sa.select(head_table.c.seq, head_table.c.hash).where(head_table.c.id == 1).with_for_update()
    ).first()
    if head is None:
        connection.execute(head_table.insert().values(id=1, seq=0, hash=GENESIS))
        seq, last = 0, GENESIS
    else:
        seq, last = head.seq, head.hash
    key = signing_key()
    rows = []
    for entry in entries:
        seq += 1
        row = dict(entry, seq=seq, prev_hash=last, key_id=key.id)
        row["hash"] = last = chain_hash(row["prev_hash"], row, key)
        rows.append(row)
    connection.execute(log_table.insert(), rows)
    connection.execute(head_table.update().where(head_table.c.id == 1).values(seq=seq, hash=last))


def record(
    action: str,
    *,
    obj=None,
    object_type: str | None = None,
    object_id: int | None = None,
    case_id: int | None = None,
    details: dict | None = None,
    username: str | None = None,
    actor: Actor | None = None,
    later: bool | None = None,
) -> None:
    """Log an act. ``obj`` gives the object type, id and case. In a GET request (or with
    ``later=True``) the entry is written after the view, in its own transaction."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
        case_id = case_id if case_id is not None else _case_of(obj)
    entry = make_entry(
        action,
        actor=actor or current_actor(username),
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        details={key: plain(value) for key, value in (details or {}).items()},
    )
    if later is None:
        later = has_request_context() and request.method in ("GET", "HEAD")
    if later and has_request_context():
        g.setdefault(PENDING_KEY, []).append(entry)
    else:
        append(db.session.connection(), [entry])


def write_pending(response):
    """after_request: write the entries kept during the request, in a transaction of their
    own (a GET's read transaction ends first; SQLite begins this one IMMEDIATE)."""
    pending = g.pop(PENDING_KEY, None)
    if not pending:
        return response
    if g.get(DATABASE_BUSY):
        # The request already met a busy database and shows "busy, try again": its page was
        # not shown, and waiting for the same lock again would only double the wait.
        actions = [entry["action"] for entry in pending]
        current_app.logger.warning("audit entries of a busy request dropped: %s", actions)
        return response
    db.session.rollback()
    g.audit_writing = True
    try:
        append(db.session.connection(), pending)
        db.session.commit()
    except sa.exc.SQLAlchemyError as error:
        if not is_database_busy(error):
            db.session.rollback()
            raise
        # The database stayed locked past the busy timeout. A page whose view could not be
        # recorded is not shown (fail closed): the user gets "busy, try again", not a 500.
        current_app.logger.warning("audit entries not written: database busy", exc_info=True)
        return busy_response()
    finally:
        g.audit_writing = False
    return response


def writing_audit() -> bool:
    return has_request_context() and bool(g.get("audit_writing"))


def init_audit(app: Flask) -> None:
    app.after_request(write_pending)
    user_logged_out.connect(_signed_out, app)
    signals.access_refused.connect(_refused, app)


def _signed_out(_app, user=None, **_extra) -> None:
    if user is not None and getattr(user, "id", None) is not None:
        record(
            "sign_out",
            object_type="users",
            object_id=user.id,
            actor=Actor(user.id, user.username, current_actor().address),
            later=True,
        )


def _refused(_app, **_extra) -> None:
    """A 403: who tried what (core.errors sends it)."""
    record(
        "denied",
        details={
            "endpoint": request.endpoint,
            "method": request.method,
            "path": request.path[:300],
        },
        later=True,
    )


# --- the flush hook ---------------------------------------------------------------------------


def _case_of(obj) -> int | None:
    if obj.__tablename__ == "cases":
        return obj.id
    case_id = getattr(obj, "case_id", None)
    if case_id is not None:
        return case_id
    parent = getattr(obj, "session", None)  # session notes belong to a session
    if parent is not None and hasattr(parent, "case_id"):
        return parent.case_id
    # An agreement's terms, and a term's instalments, belong to the agreement's case.
    for name in ("agreement", "term"):
        parent = getattr(obj, name, None)
        if parent is not None and hasattr(parent, "__tablename__"):
            return _case_of(parent)
    return None


def _value(table: str, column: str, value):
    if value is not None and is_restricted(table, column):
        return RESTRICTED
    return plain(value)


def _column_keys(obj):
    mapper = inspect(obj).mapper
    table = obj.__tablename__
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.table.name != table or is_ignored(table, column.key):
            continue
        yield attr.key, column.key


def _created(obj) -> dict:
    table = obj.__tablename__
    fields = {}
    for key, column in _column_keys(obj):
        if column == "id":
            continue
        value = getattr(obj, key)
        if value is not None and value != "":
            fields[column] = _value(table, column, value)
    return {"fields": fields}


def _changed(obj) -> dict:
    table = obj.__tablename__
    state = inspect(obj)
    changes = {}
    for key, column in _column_keys(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        changes[column] = [_value(table, column, before), _value(table, column, after)]
    return changes


def entries_for_flush(session: Session, who) -> list[dict]:
    """The entries of a flush; ``who()`` gives the actor, asked only when there is one."""
    entries = []
    actors = []

    def actor() -> Actor:
        if not actors:
            actors.append(who())
        return actors[0]

    def add(action, obj, details):
        entries.append(
            make_entry(
                action,
                actor=actor(),
                object_type=obj.__tablename__,
                object_id=getattr(obj, "id", None),
                case_id=_case_of(obj),
                details=details,
            )
        )

    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table == "login_attempts":
            entries.append(_sign_in_entry(obj, actor()))
        elif table in AUDITED_TABLES:
            action = "transition" if table == "case_events" else "create"
            add(action, obj, _created(obj))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in AUDITED_TABLES:
            changes = _changed(obj)
            if changes:
                add("change", obj, {"changes": changes})
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) in AUDITED_TABLES:
            add("delete", obj, {})
    return entries


def _sign_in_entry(attempt, actor: Actor) -> dict:
    action = "sign_in" if attempt.succeeded else "sign_in_failed"
    user_id = actor.user_id
    if attempt.succeeded and user_id is None:
        user_id = db.session.scalar(sa.select(User.id).where(User.username == attempt.username))
    return make_entry(
        action,
        actor=Actor(user_id, attempt.username[:80], attempt.address[:64]),
        object_type="users" if user_id else None,
        object_id=user_id,
    )


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, _context) -> None:
    if session.info.get(SKIP_AUDIT):
        return
    entries = entries_for_flush(session, current_actor)
    if entries:
        append(session.connection(), entries)


# --- checking the chain -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    seq: int | None = None  # the first entry found wrong
    problem: str = ""  # altered, removed, broken_link, truncated, unkeyed, unknown_key
    key_id: str | None = None  # unknown_key: the key the entry names
    head_seq: int = 0  # the last entry checked, and its hash
    head_hash: str = GENESIS
    plain: int = 0  # entries chained with plain SHA-256 (written before the key)
    keyed: dict[str, int] = field(default_factory=dict)  # entries per key id
    sources: dict[str, str] = field(default_factory=dict)  # where each key id comes from


def verify(batch: int = 2000) -> Verdict:
    """Walk the chain in order. The first entry whose content does not match its hash is
    ``altered``; a gap in the sequence is ``removed``; a link to a different previous hash
    is ``broken_link``; a head beyond the last entry is ``truncated``. An entry without a
    key after a keyed one is ``unkeyed`` (rewritten by someone without the key); an entry
    whose key is not configured is ``unknown_key``."""
    keys = known_keys()
    expected_seq, last_hash, checked, plain = 1, GENESIS, 0, 0
    keyed: dict[str, int] = {}
    after = 0

    def verdict(ok: bool, seq: int | None = None, problem: str = "", key_id=None) -> Verdict:
        return Verdict(
            ok,
            checked,
            seq,
            problem,
            key_id,
            head_seq=checked,
            head_hash=last_hash,
            plain=plain,
            keyed=keyed,
            sources={key_id: keys[key_id].source for key_id in keyed},
        )

    while True:
        rows = (
            db.session.execute(
                sa.select(log_table)
                .where(log_table.c.seq > after)
                .order_by(log_table.c.seq)
                .limit(batch)
            )
            .mappings()
            .all()
        )
        if not rows:
            break
        for row in rows:
            if row["seq"] != expected_seq:
                return verdict(False, expected_seq, "removed")
            if row["prev_hash"] != last_hash:
                return verdict(False, row["seq"], "broken_link")
            key = None
            if row["key_id"] is None:
                if keyed:
                    return verdict(False, row["seq"], "unkeyed")
            else:
                key = keys.get(row["key_id"])
                if key is None:
                    return verdict(False, row["seq"], "unknown_key", row["key_id"])
            if not hmac.compare_digest(chain_hash(row["prev_hash"], dict(row), key), row["hash"]):
                return verdict(False, row["seq"], "altered")
            if key is None:
                plain += 1
            else:
                keyed[key.id] = keyed.get(key.id, 0) + 1
            last_hash = row["hash"]
            expected_seq += 1
            checked += 1
        after = rows[-1]["seq"]
    head = db.session.execute(sa.select(head_table.c.seq, head_table.c.hash)).first()
    if head is not None and (head.seq != checked or head.hash != last_hash):
        return verdict(False, checked + 1, "truncated")
    return verdict(True)


@dataclass(frozen=True)
class Anchor:
    """A head kept away from the database (written down, sent elsewhere): entry ``seq`` had
    ``hash``. Whoever owns the database cannot make an older or shorter chain match it."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, sep, digest = text.strip().partition(":")
        digest = digest.lower()
        if (
            not sep
            or not seq.isdigit()
            or int(seq) < 1
            or len(digest) != 64
            or any(c not in "0123456789abcdef" for c in digest)
        ):
            raise ValueError(text)
        return cls(int(seq), digest)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    problem: str = ""  # short (the trail ends before it), missing, different
    found: str | None = None  # the hash entry ``seq`` has
    last_seq: int = 0


def check_anchor(anchor: Anchor) -> AnchorCheck:
    """Does entry ``anchor.seq`` have the anchor's hash?"""
    found = db.session.scalar(sa.select(log_table.c.hash).where(log_table.c.seq == anchor.seq))
    last = db.session.scalar(sa.select(sa.func.max(log_table.c.seq))) or 0
    if found is None:
        return AnchorCheck(False, "short" if last < anchor.seq else "missing", None, last)
    if not hmac.compare_digest(found, anchor.hash):
        return AnchorCheck(False, "different", found, last)
    return AnchorCheck(True, found=found, last_seq=last)
