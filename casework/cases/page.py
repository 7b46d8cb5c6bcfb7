"""Everything the case page shows, read in a fixed number of queries: the page itself and the
printed case summary (casework.reports) show the same."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import selectinload

from casework.cases import services
from casework.cases.access import can_view
from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseEvent,
    FollowUp,
    MediationSession,
    Referral,
    ReferralNotice,
)
from casework.cases.services import referral_rules
from casework.cases.states import LadderLevel
from casework.core import checks
from casework.extensions import db


def load_case_page(case: Case) -> dict:
    """Everything the case page shows, in a fixed number of queries."""
    sessions = db.session.scalars(
        sa.select(MediationSession)
        .where(MediationSession.case_id == case.id)
        .options(selectinload(MediationSession.actors))
        .order_by(MediationSession.held_on, MediationSession.id)
    ).all()
    agreements = db.session.scalars(
        sa.select(Agreement)
        .where(Agreement.case_id == case.id)
        .options(
            selectinload(Agreement.terms).joinedload(AgreementTerm.obliged_party),
            selectinload(Agreement.terms).selectinload(AgreementTerm.instalments),
        )
        .order_by(Agreement.id)
    ).all()
    referrals = db.session.scalars(
        sa.select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)
    ).all()
    follow_ups = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.due_on)
    ).all()
    events = db.session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == case.id)
        # selectin, not joined: a LEFT JOIN to cases (with the unit and its parents, joined
        # eagerly) made SQLite build the whole join at 100 000 cases.
        .options(selectinload(CaseEvent.linked_case))
        .order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    linked = db.session.scalars(
        sa.select(Case)
        .where(sa.or_(Case.recurrence_of_id == case.id, Case.civil_case_of_id == case.id))
        # Without the joined unit, both indexes serve the OR; joined, SQLite scanned every
        # case of every unit. The list shows no place.
        .options(sa.orm.lazyload(Case.unit))
    ).all()
    linked = [other for other in linked if can_view(current_user, other)]
    notices = db.session.scalars(
        sa.select(ReferralNotice)
        .where(ReferralNotice.referral_id.in_([referral.id for referral in referrals]))
        .options(sa.orm.joinedload(ReferralNotice.party))
        .order_by(ReferralNotice.id)
    ).all()
    path = [events[0].to_level if events and events[0].to_level is not None else 0]
    for event in events:
        if (
            event.to_level is not None
            and event.to_level != path[-1]
            and event.kind in ("escalation", "referral", "session", "return")
        ):
            path.append(event.to_level)
    last_failed = bool(sessions) and sessions[-1].result == "failure"
    return {
        "sessions": sessions,
        "agreements": agreements,
        "referrals": referrals,
        # The formal tracks beside the mediation (referrals to justice or the security forces
        # while the families settle the civil side here).
        "formal_tracks": [referral for referral in referrals if referral.parallel],
        "follow_ups": follow_ups,
        "events": events,
        "linked": linked,
        "ladder_path": [LadderLevel(level) for level in path],
        "transitions": services.available_transitions(case),
        "can_escalate": services.can_escalate(case),
        "last_failed": last_failed,
        "blocked_by_triage": services.triage_blocks_mediation(case),
        # A breached agreement is "not respected", never "no agreement" (issue 14).
        "breached": next((a for a in agreements if a.breached_on is not None), None),
        "today": checks.today(),
        # Referral rules by kind of case (issue 15): the parties told of each referral.
        "referral_due": referral_rules.mandatory_referral_pending(case, referrals),
        "notices": {
            referral.id: [notice for notice in notices if notice.referral_id == referral.id]
            for referral in referrals
        },
        # The crime referrals whose parties are not all told yet.
        "notice_due": {
            referral.id
            for referral in referrals
            if referral_rules.needs_notice(case, referral.target)
            and len({n.party_id for n in notices if n.referral_id == referral.id})
            < len(case.parties)
        },
    }
