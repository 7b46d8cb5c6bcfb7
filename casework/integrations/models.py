"""What was imported from KoboToolbox or ODK: one row per submission, by its instanceID."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.audit import fields as audit_fields
from casework.db import UTCDateTime, utcnow
from casework.extensions import db
from casework.i18n import _l

INSTANCE_ID_MAX = 100


class ImportedSubmission(db.Model):
    """A submission already imported: importing its file again skips it."""

    __tablename__ = "imported_submissions"
    __table_args__ = (
        sa.CheckConstraint(sa.column("form").in_(["intake", "alert", "visit"]), name="form_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(sa.String(INSTANCE_ID_MAX), unique=True)
    form: Mapped[str] = mapped_column(sa.String(12))
    # The case, alert or follow-up it made: a plain number, no foreign key, so that purging
    # a case keeps the row (and importing the file again does not bring the case back).
    record_id: Mapped[int] = mapped_column(sa.Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))


# The register's reference on a case (cases.external_ref): titled in the audit trail, and
# no personal data, so kept in clear.
audit_fields.declare_fields(
    "cases",
    titles={"external_ref": _l("Register reference")},
    public={"external_ref"},
    ignored=set(),
)
