"""One row per audited act, chained by hashes; one head row that holds the chain's end.

An entry's ``key_id`` names the key of its HMAC-SHA256 (see casework.audit.keys); entries
written before the chain was keyed have none and a plain SHA-256.

The log keeps no foreign keys: an entry outlives the user, the case or the record it names
(a purged case keeps its entries). Database triggers refuse UPDATE and DELETE on the log.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.db import UTCDateTime, utcnow
from casework.extensions import db

GENESIS = "0" * 64


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_case_id_seq", "case_id", "seq"),
        sa.Index("ix_audit_log_user_id_seq", "user_id", "seq"),
        sa.Index("ix_audit_log_action_seq", "action", "seq"),
        sa.Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.Integer)
    username: Mapped[str] = mapped_column(sa.String(80))
    address: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(24))
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None] = mapped_column(sa.Integer)
    case_id: Mapped[int | None] = mapped_column(sa.Integer)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
    key_id: Mapped[str | None] = mapped_column(sa.String(16))


class AuditHead(db.Model):
    """The chain's last sequence number and hash: its single row is locked by each append
    (which serialises writers) and lets `audit verify` notice entries cut from the end."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    hash: Mapped[str] = mapped_column(sa.String(64))


# Append-only, enforced by the database itself. Someone with the database owner's rights can
# still drop the triggers: that is what the hash chain and `casework audit verify` are for.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def create_triggers(connection) -> None:
    statements = SQLITE_TRIGGERS if connection.dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in statements:
        connection.exec_driver_sql(statement)


@sa.event.listens_for(AuditEntry.__table__, "after_create")
def _after_create_log(_table, connection, **_kw):
    create_triggers(connection)


@sa.event.listens_for(AuditHead.__table__, "after_create")
def _after_create_head(_table, connection, **_kw):
    connection.execute(AuditHead.__table__.insert().values(id=1, seq=0, hash=GENESIS))
