"""Code-level choices of the case records (workflow-bound, so code rather than data)."""

from __future__ import annotations

from casework.enums import TitledEnum, set_titles
from casework.i18n import _l


class Confidentiality(TitledEnum):
    STANDARD = "standard"
    RESTRICTED = "restricted"
    SECRET = "secret"  # noqa: S105 - a confidentiality level, not a password


set_titles(
    Confidentiality,
    {
        Confidentiality.STANDARD: _l("standard"),
        Confidentiality.RESTRICTED: _l("restricted"),
        Confidentiality.SECRET: _l("secret"),
    },
)


class PartyRole(TitledEnum):
    COMPLAINANT = "complainant"
    RESPONDENT = "respondent"
    THIRD = "third"


set_titles(
    PartyRole,
    {
        PartyRole.COMPLAINANT: _l("complainant"),
        PartyRole.RESPONDENT: _l("respondent"),
        PartyRole.THIRD: _l("third party"),
    },
)


class PartyKind(TitledEnum):
    INDIVIDUAL = "individual"
    FAMILY = "family"
    FRACTION = "fraction"
    VILLAGE = "village"
    COMMUNITY = "community"
    ASSOCIATION = "association"


set_titles(
    PartyKind,
    {
        PartyKind.INDIVIDUAL: _l("individual"),
        PartyKind.FAMILY: _l("family"),
        PartyKind.FRACTION: _l("fraction"),
        PartyKind.VILLAGE: _l("village"),
        PartyKind.COMMUNITY: _l("community"),
        PartyKind.ASSOCIATION: _l("association"),
    },
)


class Sex(TitledEnum):
    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


set_titles(
    Sex,
    {Sex.FEMALE: _l("woman"), Sex.MALE: _l("man"), Sex.UNKNOWN: _l("not known")},
)


class AgeBand(TitledEnum):
    UNDER_18 = "under18"
    YOUTH = "18-34"
    ADULT = "35-59"
    ELDER = "60plus"
    UNKNOWN = "unknown"


set_titles(
    AgeBand,
    {
        AgeBand.UNDER_18: _l("under 18"),
        AgeBand.YOUTH: _l("18 to 34"),
        AgeBand.ADULT: _l("35 to 59"),
        AgeBand.ELDER: _l("60 and over"),
        AgeBand.UNKNOWN: _l("not known"),
    },
)
YOUNG_AGE_BANDS = frozenset({AgeBand.UNDER_18, AgeBand.YOUTH})


class SessionResult(TitledEnum):
    CONTINUE = "continue"
    AGREEMENT = "agreement"
    FAILURE = "failure"
    REFERRAL = "referral"


set_titles(
    SessionResult,
    {
        SessionResult.CONTINUE: _l("to be continued"),
        SessionResult.AGREEMENT: _l("agreement"),
        SessionResult.FAILURE: _l("failure"),
        SessionResult.REFERRAL: _l("referral"),
    },
)


class AgreementForm(TitledEnum):
    VERBAL = "verbal"
    WRITTEN = "written"
    HOMOLOGATED = "homologated"


set_titles(
    AgreementForm,
    {
        AgreementForm.VERBAL: _l("verbal"),
        AgreementForm.WRITTEN: _l("written record"),
        AgreementForm.HOMOLOGATED: _l("homologated by a judge"),
    },
)


class Compliance(TitledEnum):
    RESPECTED = "respected"
    PARTIAL = "partial"
    NOT_RESPECTED = "not_respected"


set_titles(
    Compliance,
    {
        Compliance.RESPECTED: _l("respected"),
        Compliance.PARTIAL: _l("partial"),
        Compliance.NOT_RESPECTED: _l("not respected"),
    },
)


class EventKind(TitledEnum):
    CREATED = "created"
    TRANSITION = "transition"
    ESCALATION = "escalation"
    SESSION = "session"
    AGREEMENT = "agreement"
    REFERRAL = "referral"
    FOLLOW_UP = "follow_up"
    EDITED = "edited"
    TRANSLATED = "translated"
    LINKED = "linked"


set_titles(
    EventKind,
    {
        EventKind.CREATED: _l("case registered"),
        EventKind.TRANSITION: _l("status changed"),
        EventKind.ESCALATION: _l("escalated up the ladder"),
        EventKind.SESSION: _l("session held"),
        EventKind.AGREEMENT: _l("agreement recorded"),
        EventKind.REFERRAL: _l("referral"),
        EventKind.FOLLOW_UP: _l("follow-up visit"),
        EventKind.EDITED: _l("case edited"),
        EventKind.TRANSLATED: _l("narrative translated"),
        EventKind.LINKED: _l("linked case opened"),
    },
)


class PlaceRole(TitledEnum):
    """What another place of a case is to it (the place of the incident is the case's unit)."""

    HOME_COMMUNE = "home_commune"  # a party's home commune
    ROUTE = "route"  # on the transhumance route
    OTHER = "other"


set_titles(
    PlaceRole,
    {
        PlaceRole.HOME_COMMUNE: _l("a party's home commune"),
        PlaceRole.ROUTE: _l("on the transhumance route"),
        PlaceRole.OTHER: _l("other place"),
    },
)
