"""Alerts, their filters, and turning an alert into a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app

from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.enums import PartyKind, PartyRole
from casework.cases.models import NAME_MAX, SHORT_TEXT_MAX, TITLE_MAX, Case
from casework.core import checks, dates
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _l, local_zone, writing_language
from casework.policing.access import policing_area_clause
from casework.policing.models import RELAY_CODE_MAX, Alert
from casework.policing.services.activities import _police_unit, _within
from casework.policing.services.common import (
    CATEGORY_TO_CONFLICT_TYPE,
    DESCRIPTION_MAX,
    RELAY_CODE_RE,
    PolicingError,
    _place,
    to_local,
)
from casework.text import fold, search_tokens
from casework.vocab import services as vocab

# --- alerts ---------------------------------------------------------------------------------


@dataclass
class AlertData:
    occurred_at: datetime | None  # aware UTC (see from_local)
    unit_id: int | None
    category: str | None
    urgency: int | None
    source_type: str | None
    description: str
    place: str | None = None
    relay_code: str | None = None
    verified: bool = False
    forwarded_to: str | None = None
    forwarded_at: datetime | None = None
    response: str | None = None
    responded_at: datetime | None = None
    police_unit_id: int | None = None


def save_alert(data: AlertData, by: User, alert: Alert | None = None) -> Alert:
    now = utcnow()
    if data.occurred_at is None:
        raise PolicingError(
            _l("%(field)s is required.", field=_l("The date and time of the alert"))
        )
    if data.occurred_at > now:
        raise PolicingError(
            _l("%(field)s cannot be in the future.", field=_l("The date and time of the alert"))
        )
    checks.check_date(dates.day_of(data.occurred_at), _l("The date and time of the alert"))
    area = _place(data.unit_id, by)
    vocab.check_code(
        "alert_category",
        data.category,
        _l("The threat category"),
        current=alert.category if alert else None,
    )
    if data.urgency not in (1, 2, 3):
        raise PolicingError(_l("The urgency is 1, 2 or 3."))
    vocab.check_code(
        "alert_source",
        data.source_type,
        _l("The source"),
        current=alert.source_type if alert else None,
    )
    relay = (data.relay_code or "").strip().upper() or None
    if relay is not None and not RELAY_CODE_RE.match(relay):
        raise PolicingError(
            _l(
                "A relay code has 2 to %(max)s capital letters, digits or hyphens (e.g. "
                "GAO-R-017): a pseudonym, never a name.",
                max=RELAY_CODE_MAX,
            )
        )
    description = checks.check_text(
        data.description, _l("The description"), DESCRIPTION_MAX, required=True
    )
    vocab.check_code("referral_target", data.forwarded_to, _l("Forwarded to"), required=False)
    for moment, label in (
        (data.forwarded_at, _l("The time it was forwarded")),
        (data.responded_at, _l("The time of the response")),
    ):
        if moment is not None and moment < data.occurred_at:
            raise PolicingError(_l("%(field)s cannot be before the alert.", field=label))
        if moment is not None and moment > now:
            raise PolicingError(_l("%(field)s cannot be in the future.", field=label))
    if data.forwarded_at is not None and not data.forwarded_to:
        raise PolicingError(_l("Say to whom the alert was forwarded."))
    response = checks.optional_text(data.response, _l("The response"), SHORT_TEXT_MAX)
    if data.responded_at is not None and not response:
        raise PolicingError(_l("Describe the response."))
    if response and data.responded_at is None:
        raise PolicingError(_l("Give the time of the response."))
    police_unit = _police_unit(data.police_unit_id, by) if data.police_unit_id else None
    if alert is None:
        alert = Alert(recorded_by_id=by.id)
        db.session.add(alert)
    alert.occurred_at = data.occurred_at
    alert.unit_id = area.id
    alert.area = area
    alert.place = checks.optional_text(data.place, _l("Place"), NAME_MAX)
    alert.category = data.category
    alert.urgency = data.urgency
    alert.source_type = data.source_type
    alert.relay_code = relay
    alert.description = description
    alert.description_search = fold(" ".join(filter(None, [description, alert.place, area.name])))
    alert.verified = bool(data.verified)
    alert.forwarded_to = data.forwarded_to or None
    alert.forwarded_at = data.forwarded_at
    alert.response = response
    alert.responded_at = data.responded_at
    alert.police_unit_id = police_unit.id if police_unit else None
    db.session.flush()
    return alert


@dataclass
class AlertFilters:
    category: str | None = None
    urgency: int | None = None
    area_id: int | None = None
    verified: bool | None = None
    answered: bool | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    text: str | None = None


def filtered_alerts(user: User, filters: AlertFilters) -> sa.Select:
    statement = sa.select(Alert).where(policing_area_clause(user, Alert.unit_id))
    if filters.category:
        statement = statement.where(Alert.category == filters.category)
    if filters.urgency:
        statement = statement.where(Alert.urgency == filters.urgency)
    if filters.area_id:
        statement = statement.where(Alert.unit_id.in_(_within(filters.area_id)))
    if filters.verified is not None:
        statement = statement.where(Alert.verified.is_(filters.verified))
    if filters.answered is True:
        statement = statement.where(Alert.responded_at.is_not(None))
    elif filters.answered is False:
        statement = statement.where(Alert.responded_at.is_(None))
    if filters.occurred_from:
        start = datetime.combine(filters.occurred_from, datetime.min.time(), local_zone())
        statement = statement.where(Alert.occurred_at >= start.astimezone(UTC))
    if filters.occurred_to:
        end = datetime.combine(
            dates.add_days(filters.occurred_to, 1), datetime.min.time(), local_zone()
        )
        statement = statement.where(Alert.occurred_at < end.astimezone(UTC))
    for token in search_tokens(filters.text):
        statement = statement.where(Alert.description_search.contains(token, autoescape=True))
    return statement


@dataclass
class AlertCaseData:
    conflict_type: str | None
    scope: str | None
    title: str
    party_name: str
    party_kind: str = PartyKind.COMMUNITY.value


def alert_to_case(alert: Alert, data: AlertCaseData, by: User) -> Case:
    """Open the mediation case that an alert calls for, in one step: place, date and
    description come from the alert, which then points to the case."""
    if alert.case_id is not None:
        raise PolicingError(_l("This alert already became a case."))
    # The new case is registered, never referred here: a referral to the authorities goes
    # through cases.record_referral, which checks the parties' consent (or an override).
    # The case is reported today; the events happened on the alert's day (never "tomorrow",
    # whatever the offset between local time and UTC).
    today = checks.today()
    case_data = cases.CaseData(
        unit_id=alert.unit_id,
        event_date=min(to_local(alert.occurred_at).date(), today),
        reported_on=today,
        channel="ALERTE",
        conflict_type=data.conflict_type,
        scope=data.scope,
        title=data.title,
        narrative=alert.description,
        narrative_lang=current_app.config["BABEL_DEFAULT_LOCALE"],
    )
    party = cases.PartyData(
        role=PartyRole.COMPLAINANT.value, name=data.party_name, kind=data.party_kind
    )
    case = cases.register_case(case_data, [party], by)
    # The title is the coordinator's, in the language they work in; the one suggested from
    # the category and the place gets its translation too.
    languages = current_app.config["LANGUAGES"]
    case.title_lang = writing_language()
    if case.title == suggested_title(alert, case.title_lang):
        other = next((code for code in languages if code != case.title_lang), None)
        case.title_translation = suggested_title(alert, other) if other else None
    alert.case_id = case.id
    db.session.flush()
    return case


def suggested_title(alert: Alert, lang: str) -> str:
    """The title a case opened from an alert starts with: its category and its place."""
    return f"{vocab.label('alert_category', alert.category, lang)} – {alert.area.name}"[:TITLE_MAX]


def suggested_conflict_type(alert: Alert) -> str | None:
    code = CATEGORY_TO_CONFLICT_TYPE.get(alert.category)
    return code if code and vocab.is_valid("conflict_type", code) else None
