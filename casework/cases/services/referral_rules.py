"""Referral rules by kind of case (issue 15): who must agree before a case is referred, and
to whom it goes first.

- A crime (a ★ type, a death or a serious injury: the one triage rule) must be referred to
  justice or the security forces. The parties are not asked: they are *told*, and the
  referral records who was told, when and how (``ReferralNotice``).
- Gender-based violence is survivor-centred: the survivor's informed consent governs every
  referral, whatever the institution; health, psychosocial and legal-aid services are
  offered first. Without that consent only a coordinator (or an administrator) may refer,
  as an emergency override with its reason. The GBV rules come before the crime rules
  (the type is a ★ type): the survivor is never merely told.
- Any other dispute: as before, every party's consent for justice or the security forces,
  or an emergency override with its reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.access import GBV_TYPE
from casework.cases.enums import EventKind, NotificationMeans
from casework.cases.models import Case, Party, Referral, ReferralNotice
from casework.cases.services.base import CaseError, _event, _require_not_archived
from casework.cases.services.workflow import triage_blocks_mediation
from casework.core import checks
from casework.extensions import db
from casework.i18n import _l
from casework.permissions import Action, Resource, can

# Referral targets that are the authorities: the security forces and justice.
SECURITY_FORCE_TARGETS = frozenset({"GENDARMERIE", "POLICE", "GARDE_NATIONALE"})
JUSTICE_TARGETS = frozenset({"JPCE", "TPI", "PROCUREUR"})
AUTHORITY_TARGETS = SECURITY_FORCE_TARGETS | JUSTICE_TARGETS
# The services a gender-based violence case is offered first (DOMAIN.md §9), in this order.
GBV_SERVICE_TARGETS = ("SERVICES_VBG_SANTE", "SERVICES_VBG_PSYCHO", "AIDE_JURIDIQUE")


class ReferralKind(enum.Enum):
    CRIME = "crime"
    GBV = "gbv"
    OTHER = "other"


def referral_kind(case: Case) -> ReferralKind:
    """Which rules a referral of the case follows: gender-based violence before crime."""
    if case.conflict_type == GBV_TYPE:
        return ReferralKind.GBV
    if triage_blocks_mediation(case):
        return ReferralKind.CRIME
    return ReferralKind.OTHER


def needs_notice(case: Case, target: str | None) -> bool:
    """A crime referred to the authorities: the parties are told, not asked."""
    return referral_kind(case) == ReferralKind.CRIME and target in AUTHORITY_TARGETS


def survivors(case: Case) -> list[Party]:
    return [party for party in case.parties if party.is_survivor]


def may_override_survivor(user: User) -> bool:
    """Referring a gender-based violence case without the survivor's consent: a coordinator
    or an administrator (those who administer cases), never a mediator."""
    return can(user, Resource.CASE, Action.ADMINISTER)


def parties_to_ask(case: Case, target: str | None) -> list[Party]:
    """The parties whose consent a referral to ``target`` needs: the survivors of a
    gender-based violence case (for any institution), every party of another dispute (for
    justice and the security forces), nobody for a crime referred to the authorities."""
    kind = referral_kind(case)
    if kind == ReferralKind.GBV:
        return survivors(case)
    if target in AUTHORITY_TARGETS and kind == ReferralKind.OTHER:
        return list(case.parties)
    return []


def missing_consent(case: Case, target: str | None) -> list[Party]:
    return [party for party in parties_to_ask(case, target) if party.consent is not True]


def mandatory_referral_pending(case: Case, referrals: list[Referral]) -> bool:
    """A crime not yet referred to justice or the security forces: the case page says so."""
    return referral_kind(case) == ReferralKind.CRIME and not any(
        referral.target in AUTHORITY_TARGETS and not referral.is_reverse for referral in referrals
    )


def target_order(case: Case, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The referral targets as the form offers them: for gender-based violence, the health,
    psychosocial and legal-aid services first."""
    if referral_kind(case) != ReferralKind.GBV:
        return choices
    rank = {code: index for index, code in enumerate(GBV_SERVICE_TARGETS)}
    first = sorted((c for c in choices if c[0] in rank), key=lambda c: rank[c[0]])
    return first + [c for c in choices if c[0] not in rank]


@dataclass
class NoticeData:
    """The parties told of a crime's referral, on which day and how."""

    party_ids: list[int] = field(default_factory=list)
    notified_on: date | None = None
    means: str | None = None


def check_referral_rules(
    case: Case, target: str | None, override: bool, notice: NoticeData | None, by: User
) -> list[Party]:
    """Refuse a referral its kind of case does not allow (CaseError, nothing changed);
    returns the parties to record as told (a crime referred to the authorities)."""
    kind = referral_kind(case)
    if kind == ReferralKind.GBV:
        _check_survivor_consent(case, override, by)
        return []
    if needs_notice(case, target):
        if override:
            raise CaseError(
                _l(
                    "No consent is asked for a crime referred to justice or the security "
                    "forces: there is nothing to override. Record who was told instead."
                )
            )
        return _check_notice(case, notice or NoticeData())
    missing = missing_consent(case, target)
    if missing and not override:
        raise CaseError(
            _l(
                "A referral to justice or the security forces needs every party's consent. "
                "Without consent: %(names)s. Record their consent, or tick the emergency "
                "override and give its reason.",
                names=", ".join(party.name for party in missing),
            )
        )
    return []


def _check_survivor_consent(case: Case, override: bool, by: User) -> None:
    if not survivors(case):
        raise CaseError(
            _l(
                "Mark which party is the survivor before referring a gender-based violence "
                "case: the survivor's consent governs every referral."
            )
        )
    if override and not may_override_survivor(by):
        raise CaseError(
            _l(
                "Only a coordinator or an administrator may refer a gender-based violence "
                "case under an emergency override."
            )
        )
    missing = missing_consent(case, None)
    if missing and not override:
        raise CaseError(
            _l(
                "A referral of a gender-based violence case needs the survivor's informed "
                "consent. Without consent: %(names)s. Only a coordinator may refer without it, "
                "as an emergency override with its reason.",
                names=", ".join(party.name for party in missing),
            )
        )


def _check_notice(case: Case, notice: NoticeData) -> list[Party]:
    by_id = {party.id: party for party in case.parties}
    told = [by_id[pid] for pid in dict.fromkeys(notice.party_ids) if pid in by_id]
    if len(told) != len(set(notice.party_ids)):
        raise CaseError(_l("Choose the parties told among the parties of this case."))
    if not told:
        raise CaseError(
            _l(
                "A crime is referred without asking the parties, but they are told: choose "
                "who was told, when and how."
            )
        )
    checks.check_date(
        notice.notified_on,
        _l("The date the parties were told"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    checks.check_choice(NotificationMeans, notice.means, _l("How the parties were told"))
    return told


def record_notice(referral: Referral, notice: NoticeData, by: User) -> list[ReferralNotice]:
    """Parties told after the referral was recorded (an author found later): the same
    checks; a party already told of this referral is not told twice."""
    case = referral.case
    _require_not_archived(case)
    already = set(
        db.session.scalars(
            sa.select(ReferralNotice.party_id).where(ReferralNotice.referral_id == referral.id)
        )
    )
    if already & set(notice.party_ids):
        raise CaseError(_l("A party already told of this referral is not told twice."))
    told = _check_notice(case, notice)
    notices = record_notices(referral, told, notice, by)
    _event(case, EventKind.EDITED, by)
    db.session.flush()
    return notices


def record_notices(
    referral: Referral, parties: list[Party], notice: NoticeData, by: User
) -> list[ReferralNotice]:
    """One row per party told (the audit trail records each)."""
    notices = [
        ReferralNotice(
            referral_id=referral.id,
            party_id=party.id,
            notified_on=notice.notified_on,
            means=notice.means,
            recorded_by_id=by.id,
        )
        for party in parties
    ]
    db.session.add_all(notices)
    db.session.flush()
    return notices
