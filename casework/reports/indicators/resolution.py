"""Tables of the "cases" section on how cases were settled: by the mechanism of their last
session, and at which level of the ladder (DOMAIN.md: family, village, commune… or by the
institution the case was referred to): the level of the session that produced the agreement."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.models import Case, MediationSession
from casework.cases.states import LadderLevel
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators.common import (
    Row,
    TitleLabel,
    count_if,
    rate,
    vocab_rows,
)
from casework.reports.indicators.scope import RESOLVED, SETTLED_ELSEWHERE_LEVEL, Scope
from casework.reports.model import Definition, Table


def tables(s: Scope) -> list[Table]:
    return [
        Table(
            "by_mechanism",
            _l("Resolution mechanisms"),
            [
                ("sessions", _l("sessions held")),
                ("closed", _l("cases closed after a last session with it")),
                ("resolved", _l("of which resolved")),
                ("resolution_rate", _l("resolution rate")),
            ],
            vocab_rows("resolution_mechanism", _by_mechanism(s)),
            definition=Definition(
                _l(
                    "Sessions held in the period by mechanism; and the cases closed in the period"
                    " by the mechanism of their last session, with the share resolved."
                )
            ),
        ),
        Table(
            "ladder_profile",
            _l("Level of the ladder at which cases were settled"),
            [("resolved", _l("cases closed, resolved"))],
            _ladder_rows(s),
            chart=True,
            short_title=_l("Ladder level of settlement"),
            definition=Definition(
                _l(
                    "Mediable cases closed resolved in the period by the level of the session "
                    "that produced their agreement (else the case's level), or by the institution"
                    " they were referred to."
                )
            ),
        ),
    ]


def _by_mechanism(s: Scope) -> dict[str, list]:
    """Sessions held in the period by mechanism; and the cases closed in the period, by the
    mechanism of their last session (the one that settled them, or failed last)."""
    held = s.sessions
    ranked = (
        sa.select(
            MediationSession.mechanism,
            Case.status,
            sa.func.row_number()
            .over(
                partition_by=MediationSession.case_id,
                order_by=(MediationSession.held_on.desc(), MediationSession.id.desc()),
            )
            .label("rank"),
        )
        .join(Case, Case.id == MediationSession.case_id)
        .where(s.mediable_here(), s.closed())
        .subquery()
    )
    last = {
        row.mechanism: row
        for row in db.session.execute(
            sa.select(
                ranked.c.mechanism,
                sa.func.count().label("closed"),
                count_if(ranked.c.status == RESOLVED).label("resolved"),
            )
            .where(ranked.c.rank == 1)
            .group_by(ranked.c.mechanism)
        )
    }
    values = {}
    for code in set(held) | set(last):
        sessions = held[code].sessions if code in held else 0
        closed = int(last[code].closed) if code in last else 0
        resolved = int(last[code].resolved) if code in last else 0
        values[code] = [sessions, closed, resolved, rate(resolved, closed)]
    return values


def _ladder_rows(s: Scope) -> list[Row]:
    """The cases closed resolved in the period: at the level of the session that produced
    their agreement (else where they stood on the ladder), or by the institution they were
    referred to."""
    ladder = s.settled_levels
    return [
        *((level.name, TitleLabel(level), [ladder.get(level.value, 0)]) for level in LadderLevel),
        (
            "SETTLED_ELSEWHERE",
            _l("by the institution the case was referred to"),
            [ladder.get(SETTLED_ELSEWHERE_LEVEL, 0)],
        ),
    ]
