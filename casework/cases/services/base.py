"""What every case service shares: the error they raise, the event each change writes, the
guards against changing an archived or closed case, reasons of a few words, audit entries."""

from __future__ import annotations

from casework.audit import services as audit
from casework.auth.models import User
from casework.cases.enums import EventKind
from casework.cases.models import SHORT_TEXT_MAX, Case, CaseEvent
from casework.cases.states import CaseStatus
from casework.core import checks
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _l

S = CaseStatus
# An emergency override, an archive or a purge is explained in a few words, not one.
MIN_REASON_WORDS = 3


class CaseError(DomainError):
    """A rule of the case workflow or of its records was broken."""


# --- checks shared by the records -----------------------------------------------------------


def _event(case: Case, kind: EventKind, by: User, **values) -> CaseEvent:
    # Every change to a case writes an event: the last guard against changing an archived one.
    _require_not_archived(case)
    event = CaseEvent(case_id=case.id, kind=kind.value, by_id=by.id, at=utcnow(), **values)
    db.session.add(event)
    return event


def _require_not_archived(case: Case) -> None:
    if case.archived_at is not None:
        raise CaseError(_l("This case is archived: restore it before changing it."))


def _require_open(case: Case) -> None:
    _require_not_archived(case)
    if case.status_enum.is_closed:
        raise CaseError(_l("This case is closed. A new dispute is a new, linked case."))


def check_few_words(text: str | None, label, maximum: int = SHORT_TEXT_MAX) -> str:
    """A required reason of at least a few words (MIN_REASON_WORDS)."""
    text = checks.check_text(text, label, maximum, required=True)
    if len(text.split()) < MIN_REASON_WORDS:
        raise CaseError(
            _l("%(field)s needs a few words (at least %(min)s).", field=label, min=MIN_REASON_WORDS)
        )
    return text


def _audit_as(by: User, action: str, obj, details: dict, **where) -> None:
    """An audit entry for an act the field-level trail would not name (archive, restore,
    purge, emergency override), written by ``by`` in the current transaction. The reasons
    are justifications for the auditor, kept in full."""
    actor = audit.Actor(by.id, by.username, audit.current_actor().address)
    audit.record(action, obj=obj, details=details, actor=actor, later=False, **where)
