"""Referrals addressed to the security forces."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.models import Case, Referral
from casework.core import checks
from casework.extensions import db
from casework.i18n import _l
from casework.policing.access import policing_area_clause
from casework.policing.services.common import SECURITY_FORCE_TARGETS, PolicingError

# --- referrals addressed to the security forces ---------------------------------------------


def referrals_to_security_forces(user: User) -> list[Referral]:
    """What a focal point sees of mediation: the referrals addressed to the security forces in
    the area, without session minutes or private notes."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .join(Case, Referral.case_id == Case.id)
            .where(Referral.target.in_(SECURITY_FORCE_TARGETS))
            .where(policing_area_clause(user, Case.unit_id), Case.archived_at.is_(None))
            .options(sa.orm.contains_eager(Referral.case))
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
    )


def acknowledge_referral(referral: Referral, on: date | None, by: User) -> Referral:
    if referral.target not in SECURITY_FORCE_TARGETS:
        raise PolicingError(_l("This referral is not addressed to the security forces."))
    if referral.case.archived_at is not None:
        raise PolicingError(_l("This case is archived: restore it before changing it."))
    checks.check_date(on, _l("The date of acknowledgement"))
    if on < referral.referred_on:
        raise PolicingError(
            _l(
                "%(field)s cannot be before %(other)s.",
                field=_l("The date of acknowledgement"),
                other=_l("the date of the referral"),
            )
        )
    referral.acknowledged_on = on
    db.session.flush()
    return referral
