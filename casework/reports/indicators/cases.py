"""Section "cases": the mediable cases opened, carried over, closed and resolved, by type,
scope, commune and month; then how they were settled (``resolution``) and the referrals
made (``referrals``), which are tables of the same section."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.models import Case
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators import referrals, resolution
from casework.reports.indicators.common import (
    commune_rows,
    count_if,
    month_rows,
    rate,
    vocab_rows,
)
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table

PARTIAL_AGREEMENT = "ACCORD_PARTIEL"


def section(s: Scope) -> Section:
    return Section(
        key="cases",
        title=_l("Mediation cases"),
        figures=_figures(s),
        tables=[*_tables(s), *resolution.tables(s), *referrals.tables(s)],
    )


def _figures(s: Scope) -> list[Figure]:
    opened, closed = s.opened(), s.closed()
    carried = sa.and_(
        Case.reported_on < s.start, sa.or_(Case.closed_on.is_(None), Case.closed_on >= s.start)
    )
    counts = db.session.execute(
        sa.select(
            count_if(opened).label("opened"),
            count_if(carried).label("carried"),
            count_if(closed).label("closed"),
            count_if(s.resolved(closed)).label("resolved"),
        ).where(s.mediable_here(), Case.reported_on <= s.end)
    ).one()
    partial = sum(
        1
        for agreement in s.agreements
        if agreement.mediable and agreement.outcome == PARTIAL_AGREEMENT
    )
    return [
        Figure(
            "cases_opened",
            _l("Cases opened (crimes excluded)"),
            counts.opened,
            definition=Definition(
                _l(
                    "Mediable cases reported in the period (a crime by the triage rule is counted"
                    " in “Crimes”)."
                )
            ),
        ),
        Figure(
            "cases_carried_over",
            _l("Cases carried over from before"),
            counts.carried,
            definition=Definition(
                _l("Mediable cases reported before the period and not closed before it started.")
            ),
        ),
        Figure(
            "cases_closed",
            _l("Cases closed"),
            counts.closed,
            definition=Definition(
                _l("Mediable cases closed in the period: resolved, unresolved or dropped.")
            ),
        ),
        Figure(
            "cases_closed_resolved",
            _l("Cases closed, resolved"),
            counts.resolved,
            definition=Definition(
                _l("Mediable cases closed in the period with the status “closed, resolved”.")
            ),
        ),
        Figure(
            "resolution_rate",
            _l("Resolution rate (resolved ÷ closed)"),
            rate(counts.resolved, counts.closed),
            "rate",
            definition=Definition(
                _l("Share of the cases closed in the period that were resolved."),
                _l("cases closed, resolved"),
                _l("cases closed"),
            ),
        ),
        Figure(
            "partial_agreements",
            _l("Partial agreements"),
            partial,
            definition=Definition(
                _l(
                    "Agreements concluded in the period on mediable cases that settle part of the"
                    " dispute only."
                )
            ),
        ),
    ]


def _tables(s: Scope) -> list[Table]:
    opened, closed = s.opened(), s.closed()
    by_type = {
        row.conflict_type: [
            int(row.opened),
            int(row.closed),
            int(row.resolved),
            rate(int(row.resolved), int(row.closed)),
        ]
        for row in db.session.execute(
            sa.select(
                Case.conflict_type,
                count_if(opened).label("opened"),
                count_if(closed).label("closed"),
                count_if(s.resolved(closed)).label("resolved"),
            )
            .where(s.mediable_here(), sa.or_(opened, closed))
            .group_by(Case.conflict_type)
        )
    }
    by_scope: dict[str, int] = {}
    by_unit: dict[int, int] = {}
    by_month: dict[tuple[int, int], int] = {}
    for group in s.opened_groups:
        if group.mediable:
            by_scope[group.scope] = by_scope.get(group.scope, 0) + group.cases
            by_unit[group.unit_id] = by_unit.get(group.unit_id, 0) + group.cases
            by_month[group.month] = by_month.get(group.month, 0) + group.cases
    return [
        Table(
            "cases_by_type",
            _l("Cases by conflict type"),
            [
                ("opened", _l("opened")),
                ("closed", _l("closed")),
                ("resolved", _l("resolved")),
                ("resolution_rate", _l("resolution rate")),
            ],
            vocab_rows("conflict_type", by_type),
            chart=True,
            definition=Definition(
                _l(
                    "Mediable cases opened, closed and resolved in the period by conflict type; "
                    "the rate is resolved ÷ closed."
                )
            ),
        ),
        Table(
            "cases_by_scope",
            _l("Cases opened by scope"),
            [("opened", _l("opened"))],
            vocab_rows("scope", {code: [n] for code, n in by_scope.items()}),
            definition=Definition(
                _l("Mediable cases reported in the period by the scope of the conflict.")
            ),
        ),
        Table(
            "cases_by_place",
            _l("Cases opened by commune"),
            [("opened", _l("opened"))],
            commune_rows(by_unit),
            chart=True,
            definition=Definition(
                _l("Mediable cases reported in the period by the commune of their place.")
            ),
        ),
        Table(
            "cases_by_month",
            _l("Cases opened by month"),
            [("opened", _l("opened"))],
            month_rows(s.period, by_month),
            chart=True,
            definition=Definition(_l("Mediable cases reported in the period by month of report.")),
        ),
    ]
