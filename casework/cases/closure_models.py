"""A mediator's request to close a case as resolved before its follow-up allows it, and the
coordinator's decision on it (issue 14)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.cases.enums import ClosureRequestStatus
from casework.cases.models import SHORT_TEXT_MAX, Case
from casework.db import UTCDateTime, one_of, utcnow
from casework.extensions import db

PENDING = ClosureRequestStatus.PENDING.value
RETURNED = ClosureRequestStatus.RETURNED.value


class ClosureRequest(db.Model):
    __tablename__ = "closure_requests"
    __table_args__ = (
        one_of("status", ClosureRequestStatus.values()),
        # Decided means who and when; a returned request says why.
        sa.CheckConstraint(
            "(status = 'pending') = (decided_by_id IS NULL) "
            "AND (decided_by_id IS NULL) = (decided_at IS NULL)",
            name="decision_recorded",
        ),
        sa.CheckConstraint(
            "status != 'returned' OR comment IS NOT NULL", name="return_has_comment"
        ),
        sa.Index("ix_closure_requests_case_id", "case_id"),
        # The coordinators' list: the few pending requests, read from a partial index.
        sa.Index(
            "ix_closure_requests_pending",
            "requested_at",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default=PENDING)
    reason: Mapped[str] = mapped_column(sa.String(SHORT_TEXT_MAX))
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))

    case: Mapped[Case] = relationship()
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def status_enum(self) -> ClosureRequestStatus:
        return ClosureRequestStatus(self.status)
