"""Table of the "cases" section: the referrals made in the period, by institution, and how
many had feedback. Every case counts, crimes included (they are referred, not mediated)."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.models import Case, Referral
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators.common import count_if, rate, vocab_rows
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Table


def tables(s: Scope) -> list[Table]:
    by_target = {
        row.target: [
            int(row.referrals),
            int(row.answered),
            rate(int(row.answered), int(row.referrals)),
        ]
        for row in db.session.execute(
            sa.select(
                Referral.target,
                sa.func.count().label("referrals"),
                count_if(Referral.feedback_on.is_not(None)).label("answered"),
            )
            .join(Case, Case.id == Referral.case_id)
            .where(s.rows_here(Referral), s.during(Referral.referred_on))
            .group_by(Referral.target)
        )
    }
    return [
        Table(
            "referrals_by_target",
            _l("Referrals made, by institution (all cases, crimes included)"),
            [
                ("referrals", _l("referrals")),
                ("with_feedback", _l("with feedback")),
                ("feedback_share", _l("share with feedback")),
            ],
            vocab_rows("referral_target", by_target),
            short_title=_l("Referrals by institution"),
            definition=Definition(
                _l(
                    "Referrals made in the period by institution, crimes included, and the share "
                    "that had feedback."
                )
            ),
        )
    ]
