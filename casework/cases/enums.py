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
    RETURN = "return"
    SESSION = "session"
    AGREEMENT = "agreement"
    REFERRAL = "referral"
    FOLLOW_UP = "follow_up"
    EDITED = "edited"
    TRANSLATED = "translated"
    LINKED = "linked"
    # Closure with approval (issue 14): at most 16 characters (case_events.kind).
    CLOSURE_REQUEST = "closure_request"
    CLOSURE_APPROVED = "closure_approved"
    CLOSURE_RETURNED = "closure_returned"
    RECURRENCE = "recurrence"  # on a recurrence: the case it reopens
    TERM = "term"
    BREACH = "breach"


set_titles(
    EventKind,
    {
        EventKind.CREATED: _l("case registered"),
        EventKind.TRANSITION: _l("status changed"),
        EventKind.ESCALATION: _l("escalated up the ladder"),
        EventKind.RETURN: _l("sent back down the ladder"),
        EventKind.SESSION: _l("session held"),
        EventKind.AGREEMENT: _l("agreement recorded"),
        EventKind.REFERRAL: _l("referral"),
        EventKind.FOLLOW_UP: _l("follow-up visit"),
        EventKind.EDITED: _l("case edited"),
        EventKind.TRANSLATED: _l("narrative translated"),
        EventKind.LINKED: _l("linked case opened"),
        EventKind.CLOSURE_REQUEST: _l("closure requested"),
        EventKind.CLOSURE_APPROVED: _l("closure approved"),
        EventKind.CLOSURE_RETURNED: _l("closure request returned"),
        EventKind.RECURRENCE: _l("recurrence of an earlier case"),
        EventKind.TERM: _l("agreement term updated"),
        EventKind.BREACH: _l("agreement not respected"),
    },
)


class ClosureRequestStatus(TitledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


set_titles(
    ClosureRequestStatus,
    {
        ClosureRequestStatus.PENDING: _l("awaiting approval"),
        ClosureRequestStatus.APPROVED: _l("approved"),
        ClosureRequestStatus.RETURNED: _l("returned"),
    },
)


class BreachChoice(TitledEnum):
    """What the mediator does after a visit found the agreement not respected."""

    RENEGOTIATE = "renegotiate"
    CLOSE_AND_RECUR = "close_and_recur"


set_titles(
    BreachChoice,
    {
        BreachChoice.RENEGOTIATE: _l("renegotiate within this case (back to mediation)"),
        BreachChoice.CLOSE_AND_RECUR: _l("close this case unresolved and open a recurrence"),
    },
)


class TermKind(TitledEnum):
    """What a term of an agreement obliges a party to."""

    ACTION = "action"
    CASH = "cash"
    LIVESTOCK = "livestock"
    RESTITUTION = "restitution"
    DIYA = "diya"

    @property
    def has_amount(self) -> bool:
        """Cash and diya are owed in FCFA, livestock in heads: paid in instalments."""
        return self in (TermKind.CASH, TermKind.LIVESTOCK, TermKind.DIYA)


set_titles(
    TermKind,
    {
        TermKind.ACTION: _l("action"),
        TermKind.CASH: _l("cash (FCFA)"),
        TermKind.LIVESTOCK: _l("livestock (heads)"),
        TermKind.RESTITUTION: _l("restitution"),
        TermKind.DIYA: _l("blood money (diya, FCFA)"),
    },
)


class Species(TitledEnum):
    CATTLE = "cattle"
    CAMELS = "camels"
    SMALL_RUMINANTS = "small_ruminants"
    OTHER = "other"


set_titles(
    Species,
    {
        Species.CATTLE: _l("cattle"),
        Species.CAMELS: _l("camels"),
        Species.SMALL_RUMINANTS: _l("small ruminants"),
        Species.OTHER: _l("other livestock"),
    },
)


class TermStatus(TitledEnum):
    """A term's status. ``late`` is never stored: a pending or partly done term whose
    deadline has passed is shown late (``AgreementTerm.status_at``)."""

    PENDING = "pending"
    PARTLY_DONE = "partly_done"
    DONE = "done"
    BREACHED = "breached"
    LATE = "late"

    @classmethod
    def stored(cls) -> list[str]:
        return [member.value for member in cls if member is not cls.LATE]


set_titles(
    TermStatus,
    {
        TermStatus.PENDING: _l("pending"),
        TermStatus.PARTLY_DONE: _l("partly done"),
        TermStatus.DONE: _l("fulfilled"),
        TermStatus.BREACHED: _l("breached"),
        TermStatus.LATE: _l("late"),
    },
)


class NotificationMeans(TitledEnum):
    """How a party was told that a crime was referred (no consent is asked for a crime)."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    THROUGH_CHIEF = "chief"
    WRITTEN = "written"


set_titles(
    NotificationMeans,
    {
        NotificationMeans.IN_PERSON: _l("in person"),
        NotificationMeans.PHONE: _l("by telephone"),
        NotificationMeans.THROUGH_CHIEF: _l("through the chief or the family"),
        NotificationMeans.WRITTEN: _l("in writing (letter, summons)"),
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
