"""The workflow: the one ``transition()`` service, triage and escalation up the ladder."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.enums import EventKind, SessionResult
from casework.cases.models import SHORT_TEXT_MAX, Case, CaseEvent, MediationSession, Referral
from casework.cases.services.base import CaseError, S, _event, _require_not_archived
from casework.cases.services.closure_rules import breach_found, closure_blockers
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
    """Crimes are not mediated: a ★ type, a death or a serious injury must be referred. Once
    the penal side went to justice or the security forces on a formal track, the families'
    civil side (compensation) is mediated in the same case."""
    return is_crime(case) and not has_formal_track(case)


def has_formal_track(case: Case) -> bool:
    """Whether the case went to justice or the security forces while its mediation goes on."""
    if case.id is None:
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.exists().where(Referral.case_id == case.id, Referral.parallel.is_(True)))
        )
    )


def transition(
    case: Case,
    target: CaseStatus | str,
    by: User,
    *,
    reason: str | None = None,
    outcome: str | None = None,
    on: date | None = None,
    approved: bool = False,
) -> CaseEvent:
    """The one way a case changes state: checks the move against the table, records it.
    ``approved``: a coordinator approved closing as resolved (casework.cases.services.closure)."""
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
    _check_closure_rules(case, source, target, approved)
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


def _check_closure_rules(
    case: Case, source: CaseStatus, target: CaseStatus, approved: bool
) -> None:
    """Closed, resolved only after the follow-up allows it or with an approval; back to
    mediation from an agreement only to renegotiate a breached one (issue 14)."""
    if target == S.CLOTURE_RESOLU and not approved:
        blockers = closure_blockers(case)
        if blockers:
            raise CaseError(
                _l(
                    "This case cannot be closed as resolved yet: %(why)s Request the closure "
                    "for a coordinator to approve.",
                    why=" ".join(str(blocker) for blocker in blockers),
                )
            )
    if target == S.EN_MEDIATION and source in (S.ACCORD, S.SUIVI) and not breach_found(case):
        raise CaseError(
            _l("A case goes back to mediation after a visit found its agreement not respected.")
        )


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
    if source in (S.ACCORD, S.SUIVI) and S.EN_MEDIATION in targets:
        targets.remove(S.EN_MEDIATION)  # offered by the breach screen only
    return targets


def last_session(case: Case) -> MediationSession | None:
    return db.session.scalars(
        sa.select(MediationSession)
        .where(MediationSession.case_id == case.id)
        .order_by(MediationSession.held_on.desc(), MediationSession.id.desc())
        .limit(1)
    ).first()


def can_escalate(case: Case) -> bool:
    return case.status == S.EN_MEDIATION.value and case.ladder_level < HIGHEST_MEDIATION_LEVEL


def escalate(
    case: Case, by: User, reason: str | None = None, to_level: int | None = None
) -> CaseEvent:
    """The case climbs to ``to_level`` (one level up when not given). One level after a
    failed session at the case's level needs no reason; any other move up does (a jump over
    levels, a climb without a failed session)."""
    _require_not_archived(case)
    if case.status != S.EN_MEDIATION.value:
        raise CaseError(_l("Only a case in mediation can be escalated."))
    source = case.ladder_level
    if source >= HIGHEST_MEDIATION_LEVEL:
        # Escalation stops below justice and the security forces: it never reaches them,
        # so it needs no consent; going there is a referral, which checks consent.
        raise CaseError(
            _l("The case is at the highest level of local mediation: refer it instead.")
        )
    target = source + 1 if to_level is None else to_level
    if not source < target <= HIGHEST_MEDIATION_LEVEL:
        raise CaseError(
            _l(
                "Choose a level above %(level)s and at most %(highest)s.",
                level=source,
                highest=int(HIGHEST_MEDIATION_LEVEL),
            )
        )
    reason = checks.optional_text(reason, _l("The reason"), SHORT_TEXT_MAX)
    session = last_session(case)
    after_failure = (
        session is not None
        and session.result == SessionResult.FAILURE.value
        and session.ladder_level == source
    )
    if not reason and (target > source + 1 or not after_failure):
        raise CaseError(
            _l(
                "Give the reason: a case climbs one level without one only after a failed "
                "session at its level."
            )
        )
    case.ladder_level = target
    event = _event(
        case, EventKind.ESCALATION, by, from_level=source, to_level=target, reason=reason
    )
    db.session.flush()
    return event
