"""The case workflow: states, the ladder of local mechanisms, and the allowed moves.

Workflow states are code (one table of transitions, one service that applies them);
their labels are translated.
"""

from __future__ import annotations

import enum

from casework.enums import TitledEnum, set_titles
from casework.i18n import _l


class CaseStatus(TitledEnum):
    SIGNALE = "SIGNALE"
    ENREGISTRE = "ENREGISTRE"
    EN_MEDIATION = "EN_MEDIATION"
    ACCORD = "ACCORD"
    SUIVI = "SUIVI"
    CLOTURE_RESOLU = "CLOTURE_RESOLU"
    RENVOYE = "RENVOYE"
    CLOTURE_NON_RESOLU = "CLOTURE_NON_RESOLU"
    CLASSE = "CLASSE"
    SUSPENDU = "SUSPENDU"

    @property
    def is_closed(self) -> bool:
        return self in CLOSED


STATUS_TITLES = {
    CaseStatus.SIGNALE: _l("reported"),
    CaseStatus.ENREGISTRE: _l("registered"),
    CaseStatus.EN_MEDIATION: _l("in mediation"),
    CaseStatus.ACCORD: _l("agreement reached"),
    CaseStatus.SUIVI: _l("follow-up"),
    CaseStatus.CLOTURE_RESOLU: _l("closed, resolved"),
    CaseStatus.RENVOYE: _l("referred"),
    CaseStatus.CLOTURE_NON_RESOLU: _l("closed, unresolved"),
    CaseStatus.CLASSE: _l("dropped"),
    CaseStatus.SUSPENDU: _l("suspended"),
}

set_titles(CaseStatus, STATUS_TITLES)
CLOSED = frozenset({CaseStatus.CLOTURE_RESOLU, CaseStatus.CLOTURE_NON_RESOLU, CaseStatus.CLASSE})

S = CaseStatus
# The one table of allowed moves. SUSPENDU resumes to the state the case was in (see
# ``resume_targets``); agreements, referrals and follow-ups move the case through the same
# service as a manual transition.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.SIGNALE: frozenset({S.ENREGISTRE, S.CLASSE}),
    S.ENREGISTRE: frozenset({S.EN_MEDIATION, S.RENVOYE, S.CLASSE, S.SUSPENDU}),
    S.EN_MEDIATION: frozenset({S.ACCORD, S.RENVOYE, S.CLOTURE_NON_RESOLU, S.CLASSE, S.SUSPENDU}),
    # Back to mediation from an agreement: renegotiating a breached one (issue 14).
    S.ACCORD: frozenset(
        {S.SUIVI, S.EN_MEDIATION, S.CLOTURE_RESOLU, S.CLOTURE_NON_RESOLU, S.SUSPENDU}
    ),
    S.SUIVI: frozenset({S.EN_MEDIATION, S.CLOTURE_RESOLU, S.CLOTURE_NON_RESOLU, S.SUSPENDU}),
    # A referral can come back (a judge sends the matter to the cadi or chief) or be closed
    # on the feedback received.
    S.RENVOYE: frozenset({S.EN_MEDIATION, S.CLOTURE_RESOLU, S.CLOTURE_NON_RESOLU, S.CLASSE}),
    S.SUSPENDU: frozenset(),  # resumes to where it was: see resume_targets()
    S.CLOTURE_RESOLU: frozenset(),
    S.CLOTURE_NON_RESOLU: frozenset(),
    S.CLASSE: frozenset(),
}

# Moves that need a written reason.
REASON_REQUIRED = frozenset({S.CLASSE, S.CLOTURE_NON_RESOLU, S.SUSPENDU, S.RENVOYE})

# Moves a user makes from the case page; the others happen through their own forms
# (an agreement moves to ACCORD, a referral to RENVOYE, a follow-up to SUIVI).
MANUAL_TARGETS = frozenset(
    {S.ENREGISTRE, S.EN_MEDIATION, S.CLOTURE_RESOLU, S.CLOTURE_NON_RESOLU, S.CLASSE, S.SUSPENDU}
)


def allowed(source: CaseStatus, target: CaseStatus, suspended_from: CaseStatus | None) -> bool:
    if source == S.SUSPENDU:
        return suspended_from is not None and target == suspended_from
    return target in TRANSITIONS[source]


class LadderLevel(enum.IntEnum):
    """The ladder of local mechanisms, lowest first (DOMAIN.md §2)."""

    PARTIES = 0
    FAMILLE_NOTABLES = 1
    CHEFFERIE = 2
    COMMUNE = 3
    ADMINISTRATION = 4
    JUSTICE_FDS = 5

    @property
    def title(self) -> str:
        return str(LEVEL_TITLES[self])

    @property
    def description(self) -> str:
        return str(LEVEL_DESCRIPTIONS[self])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(str(level.value), f"{level.value}. {level.title}") for level in cls]


LEVEL_TITLES = {
    LadderLevel.PARTIES: _l("direct settlement between the parties"),
    LadderLevel.FAMILLE_NOTABLES: _l("family, elders, griots, joking kin"),
    LadderLevel.CHEFFERIE: _l("village, fraction or quarter chief, with the cadi or imam"),
    LadderLevel.COMMUNE: _l("commune: mayor, land commission, security or peace committee"),
    LadderLevel.ADMINISTRATION: _l("administration: sub-prefect, prefect, governor"),
    LadderLevel.JUSTICE_FDS: _l("justice and security forces"),
}
LEVEL_DESCRIPTIONS = {
    LadderLevel.PARTIES: _l("The parties settle between themselves."),
    LadderLevel.FAMILLE_NOTABLES: _l("Family, elders, griots and joking kin mediate."),
    LadderLevel.CHEFFERIE: _l("The chief and his counsellors hear both sides, with the cadi."),
    LadderLevel.COMMUNE: _l("The mayor, the land commission (COFO), the CCS or a peace committee."),
    LadderLevel.ADMINISTRATION: _l("The sub-prefect, the prefect or the governor."),
    LadderLevel.JUSTICE_FDS: _l(
        "Justice of the peace, court, gendarmerie, police, national guard."
    ),
}
# The highest level that a mediation may climb to; above it the case is referred out.
HIGHEST_MEDIATION_LEVEL = LadderLevel.ADMINISTRATION
