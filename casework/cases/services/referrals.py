"""Referrals to formal institutions, the consent they need, and the institutions' feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework.auth.models import User
from casework.cases.enums import EventKind
from casework.cases.models import NAME_MAX, SHORT_TEXT_MAX, Case, Party, Referral
from casework.cases.services.base import (
    CaseError,
    S,
    _audit_as,
    _event,
    _require_not_archived,
    check_few_words,
)
from casework.cases.services.referral_rules import (
    AUTHORITY_TARGETS,
    NoticeData,
    check_referral_rules,
    record_notices,
)
from casework.cases.services.workflow import transition, triage_blocks_mediation
from casework.cases.states import HIGHEST_MEDIATION_LEVEL, LadderLevel, allowed
from casework.core import checks
from casework.extensions import db
from casework.i18n import _l
from casework.vocab import services as vocab


@dataclass
class ReferralData:
    referred_on: date | None
    target: str | None
    reason: str
    from_institution: str | None = None
    emergency_override: bool = False
    override_reason: str | None = None
    # The formal track: the penal side goes to justice or the security forces while the
    # families go on settling the civil side in this case, which stays where it is.
    parallel: bool = False
    notice: NoticeData | None = None  # a crime referred to the authorities: who was told


def needs_consent(target: str | None) -> bool:
    """Whether a referral to ``target`` goes to the authorities (justice, security forces)."""
    return target in AUTHORITY_TARGETS


def parties_without_consent(case: Case) -> list[Party]:
    """The parties who have not said yes to sharing the case with the authorities."""
    return [party for party in case.parties if party.consent is not True]


def record_referral(case: Case, data: ReferralData, by: User) -> Referral:
    """The case leaves the ladder for a formal institution (or goes back to a local one),
    with the consent or the notice its kind of case needs (``referral_rules``)."""
    _require_not_archived(case)
    if not allowed(case.status_enum, S.RENVOYE, None):
        raise CaseError(
            _l(
                "A case is referred once registered or in mediation, not when “%(status)s”.",
                status=case.status_enum.title,
            )
        )
    checks.check_date(
        data.referred_on,
        _l("The date of the referral"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    vocab.check_code("referral_target", data.target, _l("The institution referred to"))
    if data.parallel and data.target not in AUTHORITY_TARGETS:
        raise CaseError(
            _l(
                "Only a referral to justice or the security forces opens a formal track beside "
                "the mediation."
            )
        )
    reason = checks.check_text(data.reason, _l("The reason"), SHORT_TEXT_MAX, required=True)
    override_reason = None
    if data.emergency_override:
        override_reason = check_few_words(
            data.override_reason, _l("The reason for the emergency override")
        )
    # Consent, survivor's consent or notice: by kind of case (referral_rules, issue 15).
    told = check_referral_rules(case, data.target, bool(data.emergency_override), data.notice, by)
    referral = Referral(
        case_id=case.id,
        referred_on=data.referred_on,
        from_level=case.ladder_level,
        from_institution=checks.check_text(data.from_institution, _l("Referred by"), NAME_MAX)
        or None,
        target=data.target,
        reason=reason,
        recorded_by_id=by.id,
        emergency_override=bool(data.emergency_override),
        override_reason=override_reason,
        override_by_id=by.id if data.emergency_override else None,
        parallel=bool(data.parallel),
    )
    db.session.add(referral)
    db.session.flush()
    if told:
        record_notices(referral, told, data.notice, by)
    if referral.emergency_override:
        # Its own entry, so that the audit viewer lists overrides: who, when, why, to whom.
        _audit_as(
            by,
            "override",
            referral,
            {"target": referral.target, "override_reason": override_reason},
        )
    _event(case, EventKind.REFERRAL, by, from_level=case.ladder_level, reason=data.target)
    if referral.parallel:
        db.session.flush()
    else:
        transition(case, S.RENVOYE, by, reason=reason)
    return referral


def return_to_level(case: Case, referral: Referral, level: int, by: User, reason: str) -> None:
    """A matter comes back down the ladder (a judge sends it to the cadi): the case's level
    becomes ``level``, recorded in the timeline from the institution's level, with the
    reason."""
    source = LadderLevel.JUSTICE_FDS if referral.target in AUTHORITY_TARGETS else case.ladder_level
    referral.is_reverse = True
    case.ladder_level = level
    _event(case, EventKind.RETURN, by, from_level=int(source), to_level=level, reason=reason)


class FeedbackResult:
    SENT_BACK = "sent_back"
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    ALL = (SENT_BACK, SETTLED, NOT_SETTLED)


def record_referral_feedback(
    referral: Referral,
    *,
    feedback_on: date | None,
    feedback: str,
    result: str,
    by: User,
    back_to_level: int | None = None,
) -> Referral:
    """What the institution did: sent the matter back to a local mechanism (a reverse
    referral), settled it, or did not."""
    case = referral.case
    _require_not_archived(case)
    if referral.result is not None:
        raise CaseError(_l("The feedback of this referral was already recorded."))
    if referral.parallel:
        if case.status_enum.is_closed:
            raise CaseError(_l("This case is closed. A new dispute is a new, linked case."))
    elif case.status != S.RENVOYE.value:
        raise CaseError(_l("Feedback is recorded while the case is referred."))
    checks.check_date(
        feedback_on,
        _l("The date of the feedback"),
        not_before=referral.referred_on,
        not_before_label=_l("the date of the referral"),
    )
    if result not in FeedbackResult.ALL:
        raise CaseError(
            _l("Unknown value for %(field)s: %(code)s.", field=_l("The result"), code=result)
        )
    feedback = checks.check_text(feedback, _l("The feedback"), SHORT_TEXT_MAX, required=True)
    if result == FeedbackResult.SENT_BACK:
        if back_to_level is None or not 0 <= back_to_level <= HIGHEST_MEDIATION_LEVEL:
            raise CaseError(_l("Choose the level of the ladder the case goes back to."))
        if not referral.parallel and triage_blocks_mediation(case):
            raise CaseError(
                _l(
                    "This case cannot be mediated: crimes, deaths and serious injuries must be "
                    "referred to justice or the security forces."
                )
            )
    referral.feedback = feedback
    referral.feedback_on = feedback_on
    referral.acknowledged_on = referral.acknowledged_on or feedback_on
    referral.result = result
    if referral.parallel:
        # The formal track has its own outcome; the case's mediation goes on as it was.
        if result == FeedbackResult.SENT_BACK:
            return_to_level(case, referral, back_to_level, by, feedback)
        db.session.flush()
        return referral
    if result == FeedbackResult.SENT_BACK:
        return_to_level(case, referral, back_to_level, by, feedback)
        transition(case, S.EN_MEDIATION, by, reason=feedback, on=feedback_on)
    elif result == FeedbackResult.SETTLED:
        transition(
            case,
            S.CLOTURE_RESOLU,
            by,
            reason=feedback,
            outcome="REGLE_AUTRE_INSTANCE",
            on=feedback_on,
        )
    else:
        transition(
            case, S.CLOTURE_NON_RESOLU, by, reason=feedback, outcome="RENVOYE", on=feedback_on
        )
    db.session.flush()
    return referral
