"""Every model, imported in one place so that Alembic and create_all see the whole schema."""

from casework.audit.models import AuditEntry, AuditHead
from casework.auth.models import LoginAttempt, RecoveryCode, SignInSlot, User, UserSession
from casework.auth.tokens import ApiToken, IdempotentCreate
from casework.cases import row_units  # noqa: F401 - keeps the case rows' unit
from casework.cases.closure_models import ClosureRequest
from casework.cases.counts import CaseCount
from casework.cases.models import (
    Actor,
    Agreement,
    AgreementTerm,
    Case,
    CaseCounter,
    CaseEvent,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    SessionNote,
    TermInstalment,
)
from casework.core.versions import DataVersion
from casework.geo.models import AdminUnit, Site
from casework.integrations.models import ImportedSubmission
from casework.policing.models import (
    Activity,
    Alert,
    AlertThreshold,
    CommitteeMeeting,
    CommitteeMember,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
)
from casework.reports.models import ReportHighlights
from casework.vocab.models import Term

__all__ = [
    "CaseCount",
    "ApiToken",
    "IdempotentCreate",
    "AuditEntry",
    "AuditHead",
    "Activity",
    "Alert",
    "AlertThreshold",
    "CommitteeMeeting",
    "ClosureRequest",
    "CommitteeMember",
    "DataVersion",
    "PoliceUnit",
    "Recommendation",
    "SecurityCommittee",
    "Actor",
    "AdminUnit",
    "Agreement",
    "AgreementTerm",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseRevision",
    "FollowUp",
    "ImportedSubmission",
    "LoginAttempt",
    "MediationSession",
    "Party",
    "RecoveryCode",
    "Referral",
    "ReportHighlights",
    "SessionNote",
    "SignInSlot",
    "TermInstalment",
    "Site",
    "Term",
    "User",
    "UserSession",
]
