"""What the audit trail records of each table, and the titles it shows.

Free text is restricted by default: for any text column not listed in ``PUBLIC_TEXT`` the
log records that it changed, never its value (names, narratives, minutes, private notes,
relay codes). The log would otherwise become a second copy of the most sensitive data, one
that could not be anonymised. Codes, dates, numbers and flags are recorded before and after.
"""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import Markup

from casework.audit.models import AuditEntry
from casework.extensions import db
from casework.i18n import _, _l

AUDITED_TABLES = frozenset(
    {
        "users",
        "admin_units",
        "sites",
        "vocabulary_terms",
        "cases",
        "parties",
        "actors",
        "fractions",
        "case_places",
        "mediation_sessions",
        "session_notes",
        "agreements",
        "agreement_terms",
        "term_instalments",
        "referrals",
        "referral_notices",
        "follow_ups",
        "case_events",
        "closure_requests",
        "police_units",
        "security_committees",
        "committee_members",
        "committee_meetings",
        "meeting_recommendations",
        "police_activities",
        "alerts",
        "alert_thresholds",
        "sms_relays",
        "api_tokens",
    }
)

# Never written to the log, not even as "changed": secrets, and columns derived from others.
IGNORED_COLUMNS = frozenset(
    {
        "password_hash",
        "token_hash",
        "last_used_at",
        "session_token",
        "totp_secret",
        "totp_last_step",
        "last_login_at",
        "created_at",
        "updated_at",
        "version",
        "search_text",
        "name_search",
        "description_search",
        "topic_search",
        "unpaid",  # a term's amount minus its instalments, both logged themselves
        "next_due_on",  # a case's earliest visit or term owed, each logged itself
    }
)

# Columns of one table left out of the log, as their domain declares them (declare_fields).
IGNORED_BY_TABLE: dict[str, set[str]] = {}

# Text columns that hold codes or the names of places and institutions, not people.
PUBLIC_TEXT = {
    "users": {"username", "full_name", "role", "preferred_language"},
    "admin_units": {"code", "kind", "name", "path"},
    "sites": {"kind", "name"},
    "vocabulary_terms": {"vocabulary", "code", "labels"},
    # And the fields a case's declaration does not call sensitive (casework.cases.fields).
    "cases": {"reference", "status", "suspended_from", "outcome", "title_lang"},
    "parties": {"role", "kind", "sex", "age_band", "livelihood"},
    "actors": {"actor_type", "name", "function", "organisation", "sex"},
    "mediation_sessions": {"place", "mechanism", "minutes_lang", "result"},
    "agreements": {"form", "outcome"},
    "agreement_terms": {"kind", "species", "status"},
    # The override's reason is a justification the audit must show in full.
    "referrals": {"from_institution", "target", "override_reason"},
    "referral_notices": {"means"},
    "follow_ups": {"compliance"},
    "case_events": {"kind", "from_status", "to_status"},
    "closure_requests": {"status"},
    "police_units": {"name", "force"},
    "security_committees": {"name"},
    "committee_members": {"function", "sex"},
    "meeting_recommendations": {"status"},
    "police_activities": {"activity_type"},
    "alerts": {"category", "source_type", "forwarded_to"},
    "alert_thresholds": {"category"},
    "sms_relays": {"relay_code", "language"},
}

TEXT_TYPES = (sa.String, sa.Text, sa.JSON)


def is_restricted(table: str, column: str) -> bool:
    found = db.metadata.tables.get(table)
    if found is None or column not in found.c:
        return True
    if not isinstance(found.c[column].type, TEXT_TYPES):
        return False
    return column not in PUBLIC_TEXT.get(table, set())


OBJECT_TITLES = {
    "users": _l("User"),
    "admin_units": _l("Place"),
    "sites": _l("Site"),
    "vocabulary_terms": _l("Vocabulary term"),
    "cases": _l("Case"),
    "imported_submissions": _l("KoboToolbox or ODK submissions"),
    "parties": _l("Party"),
    "actors": _l("Actor"),
    "fractions": _l("Fraction"),
    "case_places": _l("Place of a case"),
    "mediation_sessions": _l("Mediation session"),
    "session_notes": _l("Private session note"),
    "agreements": _l("Agreement"),
    "agreement_terms": _l("Agreement term"),
    "term_instalments": _l("Instalment"),
    "referrals": _l("Referral"),
    "referral_notices": _l("Notice of a referral"),
    "follow_ups": _l("Follow-up"),
    "case_events": _l("Case event"),
    "closure_requests": _l("Closure request"),
    "api_tokens": _l("API token"),
    "police_units": _l("Police unit"),
    "security_committees": _l("Security committee"),
    "committee_members": _l("Committee member"),
    "committee_meetings": _l("Committee meeting"),
    "meeting_recommendations": _l("Recommendation"),
    "police_activities": _l("Community-police activity"),
    "alerts": _l("Alert"),
    "alert_thresholds": _l("Warning threshold"),
    "sms_relays": _l("SMS relay"),
    "reports": _l("Report"),
    "exports": _l("Export"),
    "audit_log": _l("Audit trail"),
}

ACTION_TITLES = {
    "create": _l("Created"),
    "change": _l("Changed"),
    "delete": _l("Removed"),
    "transition": _l("Workflow step"),
    "archive": _l("Archived"),
    "restore": _l("Restored"),
    "purge": _l("Purged"),
    "view": _l("Viewed"),
    "export": _l("Exported"),
    "report": _l("Report produced"),
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Failed sign-in"),
    "sign_out": _l("Signed out"),
    "denied": _l("Access refused"),
    "override": _l("Emergency override"),
    "backup": _l("Backup made"),
    "restore_backup": _l("Backup restored"),
    "anonymise": _l("Anonymised"),
    "import": _l("Imported"),
}

# The case's own fields get their titles from their declaration (casework.cases.fields).
FIELD_TITLES = {
    "acknowledged_on": _l("Acknowledged on"),
    "active": _l("Active"),
    "activity_type": _l("Activity type"),
    "actor_type": _l("Actor type"),
    "age_band": _l("Age band"),
    "agenda": _l("Agenda"),
    "agreement_id": _l("Agreement"),
    "alert_count": _l("Number of alerts"),
    "alerts_raised": _l("Alerts raised"),
    "anonymised_at": _l("Anonymised at"),
    "archive_reason": _l("Reason for archiving"),
    "archived_at": _l("Archived at"),
    "archived_by_id": _l("Archived by"),
    "consent_recorded_at": _l("Consent recorded at"),
    "consent_recorded_by_id": _l("Consent recorded by"),
    "emergency_override": _l("Emergency override"),
    "override_by_id": _l("Override by"),
    "override_reason": _l("Reason for the override"),
    "area_id": _l("Area"),
    "at": _l("Date and time"),
    "author_id": _l("Author"),
    "by_id": _l("By"),
    "case_id": _l("Case"),
    "cases_created": _l("Cases created"),
    "cases_referred": _l("Cases referred"),
    "category": _l("Category"),
    "chair": _l("Chair"),
    "civil_case_of_id": _l("Civil case of"),
    "closed_on": _l("Closed on"),
    "code": _l("Code"),
    "committee_id": _l("Committee"),
    "community": _l("Community or fraction"),
    "compensation_fcfa": _l("Compensation (FCFA)"),
    "compliance": _l("Compliance"),
    "concluded_on": _l("Concluded on"),
    "consent_to_share": _l("Consent to share with the authorities"),
    "description": _l("Description"),
    "diya": _l("Diya"),
    "done_on": _l("Done on"),
    "due_on": _l("Due on"),
    "duration_minutes": _l("Duration (minutes)"),
    "feedback": _l("Feedback"),
    "feedback_on": _l("Feedback on"),
    "focal_point_id": _l("Focal point"),
    "force": _l("Force"),
    "form": _l("Form"),
    "forwarded_at": _l("Forwarded at"),
    "forwarded_to": _l("Forwarded to"),
    "from_institution": _l("From institution"),
    "from_level": _l("From level"),
    "from_status": _l("From state"),
    "full_name": _l("Full name"),
    "function": _l("Function"),
    "held_on": _l("Held on"),
    "is_active": _l("Active"),
    "is_reverse": _l("Reverse referral"),
    "kind": _l("Kind"),
    "labels": _l("Labels"),
    "ladder_level": _l("Ladder level"),
    "expires_at": _l("Expires at"),
    "revoked_at": _l("Revoked at"),
    "revoked_by_id": _l("Revoked by"),
    "last_used_at": _l("Last used at"),
    "user_id": _l("User"),
    "latitude": _l("Latitude"),
    "level": _l("Confidentiality"),
    "level_reason": _l("Reason for the level"),
    "linked_case_id": _l("Linked case"),
    "livelihood": _l("Livelihood"),
    "longitude": _l("Longitude"),
    "mandatory_referral": _l("Mandatory referral"),
    "mechanism": _l("Mechanism"),
    "meeting_id": _l("Meeting"),
    "men": _l("Men"),
    "minutes": _l("Minutes"),
    "minutes_lang": _l("Language of the minutes"),
    "minutes_translation": _l("Translation of the minutes"),
    "monthly_target": _l("Monthly target"),
    "must_change_password": _l("Must change password"),
    "number_hash": _l("Phone number"),
    "number_hint": _l("Last digits of the phone number"),
    "language": _l("Language"),
    "last_message_at": _l("Last message at"),
    "registered_by_id": _l("Registered by"),
    "name": _l("Name"),
    "narrative_translation": _l("Translation of the narrative"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "obliged_party_id": _l("Obliged party"),
    "occurred_at": _l("Occurred at"),
    "organisation": _l("Organisation"),
    "outcome": _l("Outcome"),
    "parallel": _l("Formal track"),
    "parent_id": _l("Parent"),
    "participants": _l("Participants"),
    "party_id": _l("Party"),
    "page": _l("Page"),
    "path": _l("Path"),
    "place": _l("Place"),
    "police_unit_id": _l("Police unit"),
    "preferred_language": _l("Preferred language"),
    "reason": _l("Reason"),
    "recorded_by_id": _l("Recorded by"),
    "recurrence": _l("Recurrence"),
    "recurrence_of_id": _l("Recurrence of"),
    "reference": _l("Reference"),
    "referred_on": _l("Referred on"),
    "relay_code": _l("Relay code"),
    "response": _l("Response"),
    "responded_at": _l("Responded at"),
    "responsible": _l("Responsible"),
    "restitution": _l("Restitution"),
    "result": _l("Result"),
    "role": _l("Role"),
    "session_id": _l("Session"),
    "sex": _l("Sex"),
    "signatories": _l("Signatories"),
    "site_id": _l("Site"),
    "sort_order": _l("Order"),
    "source_type": _l("Source type"),
    "status": _l("Status"),
    "suspended_from": _l("Suspended from"),
    "target": _l("Target"),
    "text": _l("Text"),
    "title_lang": _l("Language of the title"),
    "title_translation": _l("Translation of the title"),
    "to_level": _l("To level"),
    "to_status": _l("To state"),
    "topic": _l("Topic"),
    "trained": _l("Trained"),
    "two_factor_enabled_at": _l("Two-factor sign-in on since"),
    "translated_at": _l("Translated at"),
    "translated_by_id": _l("Translated by"),
    "unit_id": _l("Place"),
    "urgency": _l("Urgency"),
    "username": _l("Username"),
    "valid_from": _l("Valid from"),
    "valid_to": _l("Valid to"),
    "verified": _l("Verified"),
    "vocabulary": _l("Vocabulary"),
    "window_days": _l("Window (days)"),
    "witnesses": _l("Witnesses"),
    "women": _l("Women"),
    "year": _l("Year"),
    "youth": _l("Youth"),
    "created_by_id": _l("Created by"),
    "requested_by_id": _l("Requested by"),
    "requested_at": _l("Requested at"),
    "decided_by_id": _l("Decided by"),
    "decided_at": _l("Decided at"),
    "comment": _l("Comment"),
    # The terms of agreements as obligations (issue 14).
    "species": _l("Species"),
    "amount": _l("Amount owed"),
    "status_on": _l("Status since"),
    "status_note": _l("Status note"),
    "breached_on": _l("Not respected since"),
    "breach_reason": _l("Why not respected"),
    "term_id": _l("Agreement term"),
    "amount_due": _l("Amount due"),
    "amount_paid": _l("Amount paid"),
    "paid_on": _l("Paid on"),
    "received_by": _l("Received by"),
    # Referral rules by kind of case (issue 15).
    "gbv_trained": _l("Trained for gender-based violence cases"),
    "is_survivor": _l("Survivor of gender-based violence"),
    "means": _l("How they were told"),
    "notified_on": _l("Date they were told"),
    "referral_id": _l("Referral"),
}


def declare_fields(table: str, *, titles: dict, public: set, ignored: set) -> None:
    """Take a domain's declaration of its fields (``casework.cases.fields``): their titles,
    the text the log may keep in clear, and the columns it leaves out."""
    FIELD_TITLES.update(titles)
    PUBLIC_TEXT.setdefault(table, set()).update(public)
    IGNORED_BY_TABLE.setdefault(table, set()).update(ignored)


# The titles of coded values, by detail key, as their domain declares them (a confidentiality
# level recorded with a view: "restricted" is shown "restreint" to a French reader).
VALUE_TITLES: dict[str, type] = {}


def declare_values(key: str, enum_class: type, *, table: str | None = None) -> None:
    """The enum whose members' titles name the values of a detail ``key`` (of a column of
    ``table``, in the changes and creations of its rows)."""
    VALUE_TITLES[f"{table}.{key}" if table else key] = enum_class


def value_title(key: str, value) -> str:
    enum_class = VALUE_TITLES.get(key)
    try:
        return enum_class(value).title if enum_class is not None else shown(value)
    except ValueError:
        return shown(value)


def is_ignored(table: str, column: str) -> bool:
    return column in IGNORED_COLUMNS or column in IGNORED_BY_TABLE.get(table, ())


def field_title(column: str) -> str:
    title = FIELD_TITLES.get(column)
    return str(title) if title is not None else column


def object_title(table: str | None) -> str:
    title = OBJECT_TITLES.get(table or "")
    return str(title) if title is not None else (table or "—")


def action_title(action: str) -> str:
    title = ACTION_TITLES.get(action)
    return str(title) if title is not None else action


# --- entries on screen -----

RESTRICTED = "restricted"  # the value recorded in place of a restricted one


def describe(entry: AuditEntry) -> list[tuple[str, str]]:
    """The entry's details as (label, text) lines: field changes, then other facts."""
    details = entry.details or {}
    lines = []
    table = entry.object_type
    for column, (before, after) in (details.get("changes") or {}).items():
        key = f"{table}.{column}"
        lines.append(
            (field_title(column), f"{value_title(key, before)} → {value_title(key, after)}")
        )
    for column, value in (details.get("fields") or {}).items():
        lines.append((field_title(column), value_title(f"{table}.{column}", value)))
    for key, value in details.items():
        if key == "page":  # the screen's endpoint: an identifier, in no language
            lines.append((field_title(key), Markup("<code>{}</code>").format(value)))
        elif key not in ("changes", "fields"):
            lines.append((field_title(key), value_title(key, value)))
    return lines


def shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value == RESTRICTED:
        return _("(restricted: not kept in the audit trail)")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def rows_for(entries) -> list[dict]:
    return [
        {
            "entry": entry,
            "action": action_title(entry.action),
            "object": object_title(entry.object_type),
            "lines": describe(entry),
        }
        for entry in entries
    ]
