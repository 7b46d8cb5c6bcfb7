"""Removing the personal data of old closed cases, keeping every figure the reports count.

What goes: the words people wrote (titles, narratives and their translations, damage in
words, session minutes, private notes, agreement terms, restitution, signatories and
witnesses, referral reasons, institutions and feedback, follow-up notes, the reasons given
for an entry level or a session's level, the reasons of the case's events, the text of the
alerts that became the case) and the names and communities of the parties. The saved
versions of a case lose the same text.

What stays: every code, date, count, amount, state, outcome and ladder level, the parties'
role, kind, sex, age band and livelihood, and the people who used the application (users
and actors are not case data). The reports count nothing else, so their figures do not
change.

Services flush and never commit: the command commits.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from casework.audit import services as audit
from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseEvent,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    SessionNote,
)
from casework.cases.states import CLOSED
from casework.db import utcnow
from casework.extensions import db
from casework.policing.models import Alert

# Text fields of a case's saved versions (CaseRevision.data) that are removed.
REVISION_TEXT = {"title": "", "narrative": "", "damage_text": None, "entry_level_reason": None}


def _due(closed_before: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        Case.status.in_([status.value for status in CLOSED]),
        Case.closed_on < closed_before,
        Case.anonymised_at.is_(None),
    )


def count_due(closed_before: date) -> int:
    """How many cases ``anonymise_closed_cases`` would change."""
    return db.session.scalar(sa.select(sa.func.count(Case.id)).where(_due(closed_before)))


def anonymise_closed_cases(closed_before: date, *, at: datetime | None = None) -> int:
    """Remove the personal data of the cases closed before ``closed_before`` that still
    hold it; the number of cases changed. Running it again changes nothing."""
    at = at or utcnow()
    ids = sa.select(Case.id).where(_due(closed_before)).scalar_subquery()
    due = db.session.scalars(sa.select(Case.id).where(_due(closed_before))).all()
    count = len(due)
    if not count:
        return 0
    of_case = {
        Party: {"name": "", "name_search": "", "community": None, "fraction_id": None},
        MediationSession: {"minutes": "", "minutes_translation": None, "level_reason": None},
        Agreement: {"restitution": None, "signatories": None, "witnesses": None},
        Referral: {"reason": "", "feedback": None, "from_institution": None},
        FollowUp: {"notes": None},
        CaseEvent: {"reason": None},
        Alert: {
            "description": "",
            "description_search": "",
            "place": None,
            "relay_code": None,
            "response": None,
        },
    }
    sessions = sa.select(MediationSession.id).where(MediationSession.case_id.in_(ids))
    agreements = sa.select(Agreement.id).where(Agreement.case_id.in_(ids))
    _update(SessionNote, SessionNote.session_id.in_(sessions), {"note": ""})
    _update(AgreementTerm, AgreementTerm.agreement_id.in_(agreements), {"description": ""})
    for model, values in of_case.items():
        _update(model, model.case_id.in_(ids), values)
    revisions = db.session.scalars(sa.select(CaseRevision).where(CaseRevision.case_id.in_(ids)))
    for revision in revisions:
        revision.data = {**revision.data, **REVISION_TEXT}
    db.session.flush()
    # The search text keeps the reference only (folded as casework.text.fold does).
    _update(
        Case,
        _due(closed_before),
        {
            "title": "",
            "narrative": "",
            "narrative_translation": None,
            "translated_by_id": None,
            "translated_at": None,
            "damage_text": None,
            "entry_level_reason": None,
            "search_text": sa.func.replace(sa.func.lower(Case.reference), "-", " "),
            "anonymised_at": at,
            "updated_at": at,
            "version": Case.version + 1,  # an edit form opened earlier is refused
        },
    )
    db.session.expire_all()
    # Bulk updates pass by the flush hook: one audit entry per case, and one for the run.
    actor = audit.current_actor()
    audit.append(
        db.session.connection(),
        [
            audit.make_entry(
                "anonymise", actor=actor, object_type="cases", object_id=case_id, case_id=case_id
            )
            for case_id in due
        ]
        + [
            audit.make_entry(
                "anonymise",
                actor=actor,
                details={"closed_before": closed_before.isoformat(), "cases": count},
            )
        ],
    )
    return count


def _update(model, where, values: dict) -> None:
    db.session.execute(
        sa.update(model).where(where).values(**values),
        execution_options={"synchronize_session": False},
    )
