"""The workflow: the one ``transition()`` service, triage and escalation up the ladder."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.enums import EventKind, SessionResult
from casework.cases.models import SHORT_TEXT_MAX, Case, CaseEvent, MediationSession
from casework.cases.services.base import CaseError, S, _event, _require_not_archived
from casework.cases.states import (
    HIGHEST_MEDIATION_LEVEL,
    MANUAL_TARGETS,
    REASON_REQUIRED,
    TRANSITIONS,
    CaseStatus,
    allowed,
)
from casework.cases.triage import is_crime
from casework.core import checks
from casework.extensions import db
from casework.i18n import _l
from casework.vocab import services as vocab


def triage_blocks_mediation(case: Case) -> bool:
    """Crimes are not mediated: a ★ type, a death or a serious injury must be referred."""
    return is_crime(case)


def transition(
    case: Case,
    target: CaseStatus | str,
    by: User,
    *,
    reason: str | None = None,
    outcome: str | None = None,
    on: date | None = None,
) -> CaseEvent:
    """The one way a case changes state: checks the move against the table, records it."""
    _require_not_archived(case)
    target = CaseStatus(target)
    source = case.status_enum
    suspended_from = CaseStatus(case.suspended_from) if case.suspended_from else None
    if not allowed(source, target, suspended_from):
        raise CaseError(
            _l(
                "A case cannot go from “%(source)s” to “%(target)s”.",
                source=source.title,
                target=target.title,
            )
        )
    if target == S.EN_MEDIATION and source != S.SUSPENDU and triage_blocks_mediation(case):
        raise CaseError(
            _l(
                "This case cannot be mediated: crimes, deaths and serious injuries must be "
                "referred to justice or the security forces."
            )
        )
    reason = checks.optional_text(reason, _l("The reason"), SHORT_TEXT_MAX)
    if target in REASON_REQUIRED and not reason:
        raise CaseError(_l("Give a reason for this change."))
    # ``on`` dates a move recorded after the fact (a closure found at a visit); today else.
    on = on or checks.today()
    checks.check_date(
        on,
        _l("The date of the change"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    if target in (S.CLOTURE_RESOLU, S.CLOTURE_NON_RESOLU, S.CLASSE):
        if outcome:
            vocab.check_code("outcome", outcome, _l("The outcome"))
        case.outcome = outcome or _default_outcome(target)
        case.closed_on = on
    if target == S.SUSPENDU:
        case.suspended_from = source.value
    elif source == S.SUSPENDU:
        case.suspended_from = None
    case.status = target.value
    event = _event(
        case,
        EventKind.TRANSITION,
        by,
        from_status=source.value,
        to_status=target.value,
        reason=reason,
    )
    db.session.flush()
    return event


def _default_outcome(target: CaseStatus) -> str:
    return {
        S.CLOTURE_RESOLU: "ACCORD_TOTAL",
        S.CLOTURE_NON_RESOLU: "ECHEC",
        S.CLASSE: "CLASSE_SANS_SUITE",
    }[target]


def available_transitions(case: Case) -> list[CaseStatus]:
    """The manual moves the case page offers in its current state."""
    source = case.status_enum
    if source == S.SUSPENDU:
        return [CaseStatus(case.suspended_from)] if case.suspended_from else []
    targets = [t for t in CaseStatus if t in TRANSITIONS[source] and t in MANUAL_TARGETS]
    if triage_blocks_mediation(case) and S.EN_MEDIATION in targets:
        targets.remove(S.EN_MEDIATION)
    return targets


def last_session(case: Case) -> MediationSession | None:
    return db.session.scalars(
        sa.select(MediationSession)
        .where(MediationSession.case_id == case.id)
        .order_by(MediationSession.held_on.desc(), MediationSession.id.desc())
        .limit(1)
    ).first()


def can_escalate(case: Case) -> bool:
    session = last_session(case)
    return (
        case.status == S.EN_MEDIATION.value
        and session is not None
        and session.result == SessionResult.FAILURE.value
        and session.ladder_level == case.ladder_level
        and case.ladder_level < HIGHEST_MEDIATION_LEVEL
    )


def escalate(case: Case, by: User, reason: str | None = None) -> CaseEvent:
    """After a failed session, the case climbs one level of the ladder."""
    _require_not_archived(case)
    if case.status != S.EN_MEDIATION.value:
        raise CaseError(_l("Only a case in mediation can be escalated."))
    session = last_session(case)
    if session is None or session.result != SessionResult.FAILURE.value:
        raise CaseError(_l("A case climbs the ladder after a failed session."))
    if session.ladder_level != case.ladder_level:
        raise CaseError(_l("This case was already escalated after its last session."))
    if case.ladder_level >= HIGHEST_MEDIATION_LEVEL:
        # Escalation stops below justice and the security forces: it never reaches them,
        # so it needs no consent; going there is a referral, which checks consent.
        raise CaseError(
            _l("The case is at the highest level of local mediation: refer it instead.")
        )
    source = case.ladder_level
    case.ladder_level = source + 1
    event = _event(
        case,
        EventKind.ESCALATION,
        by,
        from_level=source,
        to_level=source + 1,
        reason=checks.optional_text(reason, _l("The reason"), SHORT_TEXT_MAX),
    )
    db.session.flush()
    return event
