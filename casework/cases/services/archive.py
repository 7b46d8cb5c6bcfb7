"""Archiving, restoring and purging a case."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from casework import signals
from casework.auth.models import User
from casework.cases.access import can_archive, can_purge
from casework.cases.closure_models import ClosureRequest
from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseEvent,
    CasePlace,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    ReferralNotice,
    SessionNote,
    TermInstalment,
    session_actors,
)
from casework.cases.services.base import CaseError, _audit_as, check_few_words
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _l


def archive_case(case: Case, reason: str | None, by: User) -> Case:
    """Take a case (and its records) out of the lists and of open work: read-only until it
    is restored, still counted in the reports. Nothing is deleted."""
    if not can_archive(by, case):
        raise CaseError(_l("Only a coordinator of the area or an administrator archives a case."))
    if case.archived_at is not None:
        raise CaseError(_l("This case is already archived."))
    reason = check_few_words(reason, _l("The reason for archiving"))
    case.archived_at = utcnow()
    case.archived_by_id = by.id
    case.archive_reason = reason
    db.session.flush()
    _audit_as(by, "archive", case, {"reason": reason})
    return case


def restore_case(case: Case, by: User) -> Case:
    """Bring an archived case back, as it was."""
    if not can_archive(by, case):
        raise CaseError(_l("Only a coordinator of the area or an administrator restores a case."))
    if case.archived_at is None:
        raise CaseError(_l("This case is not archived."))
    case.archived_at = None
    case.archived_by_id = None
    case.archive_reason = None
    db.session.flush()
    _audit_as(by, "restore", case, {})
    return case


@dataclass(frozen=True)
class PurgeResult:
    reference: str
    counts: dict[str, int]


# The session's marker of the purges flushed in this transaction, for the audit hook.


def purge_case(
    case: Case, reason: str | None, by: User, *, confirmation: str | None
) -> PurgeResult:
    """Remove an archived case and every record of it from the database: the one exception
    to "nothing is deleted" (data entered in error, a legal order). Administrators only,
    with a reason and the case's reference typed again to confirm."""
    if not can_purge(by):
        raise CaseError(_l("Only an administrator purges a case."))
    if case.archived_at is None:
        raise CaseError(_l("Only an archived case can be purged: archive it first."))
    reason = check_few_words(reason, _l("The reason for the purge"))
    if (confirmation or "").strip().upper() != case.reference.upper():
        raise CaseError(
            _l("Type the reference %(reference)s to confirm the purge.", reference=case.reference)
        )
    reference, case_id = case.reference, case.id
    db.session.flush()
    execute = db.session.execute
    sessions = list(
        db.session.scalars(
            sa.select(MediationSession.id).where(MediationSession.case_id == case_id)
        )
    )
    agreements = list(
        db.session.scalars(sa.select(Agreement.id).where(Agreement.case_id == case_id))
    )
    parties = list(db.session.scalars(sa.select(Party.id).where(Party.case_id == case_id)))

    def delete(statement) -> int:
        return execute(statement, execution_options={"synchronize_session": False}).rowcount

    counts = {}
    # Children first, in foreign-key order; then the links other records hold to the case.
    counts["session_mediators"] = delete(
        session_actors.delete().where(session_actors.c.session_id.in_(sessions))
    )
    counts["private_notes"] = delete(
        sa.delete(SessionNote).where(
            sa.or_(SessionNote.session_id.in_(sessions), SessionNote.party_id.in_(parties))
        )
    )
    terms = list(
        db.session.scalars(
            sa.select(AgreementTerm.id).where(AgreementTerm.agreement_id.in_(agreements))
        )
    )
    counts["instalments"] = delete(
        sa.delete(TermInstalment).where(TermInstalment.term_id.in_(terms))
    )
    counts["agreement_terms"] = delete(
        sa.delete(AgreementTerm).where(AgreementTerm.agreement_id.in_(agreements))
    )
    counts["follow_ups"] = delete(sa.delete(FollowUp).where(FollowUp.case_id == case_id))
    counts["agreements"] = delete(sa.delete(Agreement).where(Agreement.case_id == case_id))
    counts["sessions"] = delete(
        sa.delete(MediationSession).where(MediationSession.case_id == case_id)
    )
    referrals = sa.select(Referral.id).where(Referral.case_id == case_id)
    counts["referral_notices"] = delete(
        sa.delete(ReferralNotice).where(ReferralNotice.referral_id.in_(referrals))
    )
    counts["referrals"] = delete(sa.delete(Referral).where(Referral.case_id == case_id))
    counts["closure_requests"] = delete(
        sa.delete(ClosureRequest).where(ClosureRequest.case_id == case_id)
    )
    counts["events"] = delete(sa.delete(CaseEvent).where(CaseEvent.case_id == case_id))
    counts["revisions"] = delete(sa.delete(CaseRevision).where(CaseRevision.case_id == case_id))
    counts["parties"] = delete(sa.delete(Party).where(Party.case_id == case_id))
    counts["places"] = delete(sa.delete(CasePlace).where(CasePlace.case_id == case_id))
    # What other domains hold of the case (policing: activity links, alerts), cut by them.
    counts.update(signals.gathered(signals.case_purging.send(case_id)))
    # Other cases and alerts keep existing; only their link to the purged case goes.
    links = execute(
        sa.update(CaseEvent)
        .where(CaseEvent.linked_case_id == case_id)
        .values(linked_case_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    for column in (Case.recurrence_of_id, Case.civil_case_of_id):
        links += execute(
            sa.update(Case)
            .where(column == case_id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        ).rowcount
    counts["links_cut"] = links
    counts["cases"] = delete(sa.delete(Case).where(Case.id == case_id))
    _forget_purged(case_id, sessions, agreements, parties, set(terms))
    # The one entry that says the case existed and why it went: reference, reason, who,
    # and what was removed (no party name, no content).
    _audit_as(
        by,
        "purge",
        None,
        {"reference": reference, "reason": reason, **counts},
        object_type="cases",
        object_id=case_id,
        case_id=case_id,
    )
    return PurgeResult(reference, counts)


# The records that hold a case_id of their own and go with the case.
CASE_RECORDS = (
    Party,
    CasePlace,
    MediationSession,
    Agreement,
    Referral,
    FollowUp,
    CaseEvent,
    CaseRevision,
    ClosureRequest,
)


def _forget_purged(case_id: int, sessions, agreements, parties, terms=frozenset()) -> None:
    """Drop the purged rows' objects from the session (they must never be flushed again) and
    expire the others, whose links to the case were cut in the database."""
    owners = {
        SessionNote: ("session_id", set(sessions)),
        AgreementTerm: ("agreement_id", set(agreements)),
    }
    for obj in list(db.session.identity_map.values()):
        values = sa.inspect(obj).dict
        if isinstance(obj, Case):
            purged = values.get("id") == case_id
        elif isinstance(obj, TermInstalment):
            purged = values.get("term_id") in terms
        elif type(obj) in owners:
            name, ids = owners[type(obj)]
            purged = values.get(name) in ids or values.get("party_id") in set(parties)
        else:
            purged = isinstance(obj, CASE_RECORDS) and values.get("case_id") == case_id
        if purged:
            db.session.expunge(obj)
    db.session.expire_all()
