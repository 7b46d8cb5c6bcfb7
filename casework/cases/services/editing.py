"""Editing a case without overwriting someone else's edit, and translating its texts."""

from __future__ import annotations

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.access import can_lower_level, level_rank
from casework.cases.enums import Confidentiality, EventKind
from casework.cases.fields import snapshot
from casework.cases.models import NARRATIVE_MAX, TITLE_MAX, Case, CaseRevision, MediationSession
from casework.cases.services.base import (
    CaseError,
    _audit_as,
    _event,
    _require_not_archived,
    _require_open,
    check_few_words,
)
from casework.cases.services.intake import (
    EDITABLE_FIELDS,
    GBV_TYPE,
    CaseData,
    _check_case_data,
    _save_revision,
    refresh_search_text,
    require_gbv_training,
)
from casework.core import checks
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l


class EditConflict(DomainError):
    """Someone else saved the case after it was opened: nothing was overwritten."""

    def __init__(self, case: Case, revision: CaseRevision):
        super().__init__(_l("Someone else changed this case after you opened it."))
        self.case = case
        self.revision = revision


def _check_level_change(case: Case, data: CaseData, by: User) -> str | None:
    """An edit may raise the level freely; lowering it needs a coordinator of the area or
    an administrator, and a reason (returned). A case whose type becomes gender-based
    violence becomes secret."""
    if data.conflict_type == GBV_TYPE and case.conflict_type != GBV_TYPE:
        require_gbv_training(data.conflict_type, by)
        data.confidentiality = Confidentiality.SECRET.value
    if level_rank(data.confidentiality) >= level_rank(case.confidentiality):
        return None
    if not can_lower_level(by, case):
        raise CaseError(
            _l(
                "Only a coordinator of the area or an administrator lowers the confidentiality "
                "of a case."
            )
        )
    return check_few_words(
        data.confidentiality_reason, _l("The reason for lowering the confidentiality")
    )


def update_case(case: Case, data: CaseData, expected_version: int, by: User) -> Case:
    """Save an edit made on version ``expected_version``. When someone saved the case in the
    meantime nothing is overwritten: the edit is kept as a conflicting revision and
    EditConflict is raised so that the user sees both versions."""
    if expected_version != case.version:
        revision = _save_revision(case, by, kind="conflict", data=snapshot(data))
        db.session.flush()
        raise EditConflict(case, revision)
    _require_open(case)
    _check_case_data(data, by, case)
    lowered_because = _check_level_change(case, data, by)
    changed = [n for n in EDITABLE_FIELDS if getattr(case, n) != getattr(data, n)]
    if not changed:
        return case
    level_before = case.confidentiality
    try:
        # A savepoint: when someone saved the case between our read and our write, the
        # UPDATE ... WHERE version = ... matches nothing (StaleDataError); only this edit is
        # undone, and it is kept as a conflicting revision like any other refused edit.
        with db.session.begin_nested():
            _apply_edit(case, data, changed, by)
    except sa.orm.exc.StaleDataError:
        db.session.refresh(case)
        revision = _save_revision(case, by, kind="conflict", data=snapshot(data))
        db.session.flush()
        raise EditConflict(case, revision) from None
    _save_revision(case, by)
    db.session.flush()
    if case.confidentiality != level_before:
        # Its own entry, so that the audit viewer lists the changes of level and their reason.
        details = {"from": level_before, "to": case.confidentiality, "reason": lowered_because}
        _audit_as(by, "confidentiality", case, details)
    return case


def _apply_edit(case: Case, data: CaseData, changed: list[str], by: User) -> None:
    if "narrative" in changed and case.narrative_translation:
        # The translation no longer matches the text; it is kept in the revision history.
        case.narrative_translation = None
        case.translated_by_id = None
        case.translated_at = None
    if "title" in changed:
        case.title_translation = None  # kept in the revision history
    for name in changed:
        setattr(case, name, getattr(data, name))
    if "narrative_lang" in changed and case.narrative_lang:
        case.title_lang = case.narrative_lang
    if "unit_id" in changed:
        case.unit = db.session.get(AdminUnit, data.unit_id)
    # A corrected entry level raises the case to it; lowering it keeps the level reached.
    case.ladder_level = max(case.ladder_level, case.entry_level)
    refresh_search_text(case)
    _event(case, EventKind.EDITED, by, reason=", ".join(changed))
    db.session.flush()  # bumps the version, or fails with StaleDataError on a race


def translate_narrative(
    case: Case, text: str | None, by: User, *, title: str | None = None
) -> Case:
    """Save the translation of the narrative and/or of the title, into the language the
    case is not written in."""
    _require_not_archived(case)
    title = checks.optional_text(title, _l("The translation of the title"), TITLE_MAX)
    text = checks.optional_text(text, _l("The translation"), NARRATIVE_MAX)
    if text and not case.narrative:
        raise CaseError(_l("This case has no narrative to translate."))
    if not text and not title:
        raise CaseError(_l("Give the translation of the title or of the narrative."))
    if text:
        case.narrative_translation = text
    if title:
        case.title_translation = title
    case.translated_by_id = by.id
    case.translated_at = utcnow()
    refresh_search_text(case)
    _event(case, EventKind.TRANSLATED, by)
    db.session.flush()
    return case


def translate_minutes(session: MediationSession, text: str, by: User) -> MediationSession:
    _require_not_archived(session.case)
    if not session.minutes:
        raise CaseError(_l("This session has no minutes to translate."))
    session.minutes_translation = checks.check_text(
        text, _l("The translation"), NARRATIVE_MAX, required=True
    )
    session.translated_by_id = by.id
    session.translated_at = utcnow()
    _event(session.case, EventKind.TRANSLATED, by)
    db.session.flush()
    return session
