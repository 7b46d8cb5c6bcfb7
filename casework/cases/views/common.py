"""What the case screens share: the blueprint, its template filters, the choices of the
case and party forms, and the services' data read from those forms."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint
from flask_login import current_user

from casework.auth.models import User
from casework.cases import services
from casework.cases.access import (
    area_unit_choices,
    can_view,
    colleague_clause,
)
from casework.cases.enums import (
    AgeBand,
    Compliance,
    Confidentiality,
    NotificationMeans,
    PartyKind,
    PartyRole,
    PlaceRole,
    SessionResult,
    Sex,
)
from casework.cases.enums import AgreementForm as AgreementFormKind
from casework.cases.fields import CASE_FIELDS, shown_fields
from casework.cases.forms import (
    blank,
    consent_value,
    language_choices,
)
from casework.cases.models import (
    Case,
)
from casework.cases.states import HIGHEST_MEDIATION_LEVEL, CaseStatus, LadderLevel
from casework.core.forms import int_or_none
from casework.enums import title_filter
from casework.extensions import db
from casework.i18n import _
from casework.roles import Role
from casework.vocab import services as vocab

bp = Blueprint("cases", __name__)
S = CaseStatus


for _name, _enum in {
    "party_role": PartyRole,
    "party_kind": PartyKind,
    "sex": Sex,
    "age_band": AgeBand,
    "session_result": SessionResult,
    "agreement_form": AgreementFormKind,
    "compliance": Compliance,
    "confidentiality": Confidentiality,
    "notification_means": NotificationMeans,
    "place_role": PlaceRole,
}.items():
    bp.add_app_template_filter(title_filter(_enum), _name)

# The declared fields the case page lists under their label (casework.cases.fields).
bp.add_app_template_global(shown_fields, "declared_facts")


# --- choices --------------------------------------------------------------------------------


def unit_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    """The places the user may choose: their area and below (everything for an admin)."""
    return blank(_("Choose a place")) + area_unit_choices(include=include_id)


def mediator_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    users = db.session.execute(
        sa.select(User.id, User.full_name)  # two columns, not whole users (every list page)
        .where(User.role.in_([Role.MEDIATOR.value, Role.COORDINATOR.value]))
        .where(colleague_clause(current_user) | (User.id == (include_id or 0)))
        .where(sa.or_(User.is_active.is_(True), User.id == (include_id or 0)))
        .order_by(User.full_name)
    )
    return blank(_("Nobody yet")) + [(str(user_id), name) for user_id, name in users]


def fill_case_choices(form, case: Case | None = None) -> None:
    form.unit_id.choices = unit_choices(case.unit_id if case else None)
    form.channel.choices = blank() + vocab.choices(
        "reporting_channel", include=case.channel if case else None
    )
    starred = vocab.mandatory_referral_codes()
    form.conflict_type.choices = blank() + [
        (code, f"{label} ★" if code in starred else label)
        for code, label in vocab.choices(
            "conflict_type", include=case.conflict_type if case else None
        )
    ]
    form.scope.choices = blank() + vocab.choices("scope", include=case.scope if case else None)
    form.other_country.choices = blank(_("Not cross-border")) + vocab.choices(
        "country", include=case.other_country if case else None
    )
    form.narrative_lang.choices = language_choices()
    form.entry_level.choices = [
        choice for choice in LadderLevel.choices() if int(choice[0]) <= HIGHEST_MEDIATION_LEVEL
    ]
    form.assigned_mediator_id.choices = mediator_choices(
        case.assigned_mediator_id if case else None
    )


def fill_party_choices(form, party=None, fractions: list | None = None) -> None:
    """``fractions``: the choices of another party's form of the same page, read once."""
    form.livelihood.choices = blank() + vocab.choices("livelihood", include=form.livelihood.data)
    form.fraction_id.choices = fractions or blank(_("None")) + services.fraction_choices(
        include=party.fraction_id if party is not None else None
    )


def case_data(form) -> services.CaseData:
    reason = getattr(form, "confidentiality_reason", None)  # on the edit form only
    return services.CaseData(
        **{spec.name: spec.from_form(form[spec.name].data) for spec in CASE_FIELDS},
        confidentiality_reason=reason.data if reason is not None else None,
    )


def party_data(form) -> services.PartyData:
    return services.PartyData(
        role=form.role.data,
        name=form.name.data or "",
        kind=form.kind.data,
        sex=form.sex.data,
        age_band=form.age_band.data,
        livelihood=form.livelihood.data or None,
        community=form.community.data,
        fraction_id=int_or_none(form.fraction_id.data),
        consent_to_share=consent_value(form.consent_to_share.data),
        is_survivor=bool(form.is_survivor.data),
    )


def _visible(case: Case) -> bool:
    return can_view(current_user, case)
