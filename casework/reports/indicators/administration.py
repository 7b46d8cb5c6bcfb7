"""Section "administration": what the administration asks of a report (DOMAIN.md §9): the
share of cases settled by community levels (0–3) against the administration and justice
(4–5), the agreements homologated by a judge, and the key figures by cercle."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.enums import AgreementForm
from casework.cases.models import Case
from casework.cases.states import LadderLevel
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.reports.indicators.common import Row, count_if, rate
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table

# The highest level of the community's own mechanisms (the commune's committees included).
HIGHEST_COMMUNITY_LEVEL = LadderLevel.COMMUNE
CERCLE_COLUMNS = ("opened", "closed", "resolved", "crimes")


def section(s: Scope) -> Section:
    levels = s.settled_levels
    community = sum(n for level, n in levels.items() if 0 <= level <= HIGHEST_COMMUNITY_LEVEL)
    state = sum(levels.values()) - community
    homologated = sum(
        1 for agreement in s.agreements if agreement.form == AgreementForm.HOMOLOGATED.value
    )
    return Section(
        key="administration",
        title=_l("For the administration"),
        figures=[
            Figure(
                "settled_community_levels",
                _l("Cases settled by community levels (0–3)"),
                community,
                definition=Definition(
                    _l(
                        "Mediable cases closed resolved in the period whose agreement was made "
                        "by a session of levels 0 to 3 (parties, family and elders, chiefs "
                        "and cadis, the commune); without a session, the case's level."
                    )
                ),
            ),
            Figure(
                "settled_state_levels",
                _l("Cases settled by the administration or justice (4–5)"),
                state,
                definition=Definition(
                    _l(
                        "Mediable cases closed resolved in the period at levels 4 and 5 "
                        "(administration, justice and security forces), or settled by the "
                        "institution they were referred to."
                    )
                ),
            ),
            Figure(
                "share_settled_community",
                _l("Share settled by community levels"),
                rate(community, community + state),
                "rate",
                definition=Definition(
                    _l("Share of the cases settled that were settled by community levels."),
                    _l("cases settled by community levels (0–3)"),
                    _l("cases closed resolved in the period"),
                ),
            ),
            Figure(
                "agreements_homologated",
                _l("Agreements homologated by a judge"),
                homologated,
                definition=Definition(
                    _l(
                        "Agreements concluded in the period whose form is “homologated by a "
                        "judge”, crimes' civil settlements included."
                    )
                ),
            ),
        ],
        tables=[
            Table(
                "by_cercle",
                _l("Key figures by cercle"),
                [
                    ("opened", _l("opened")),
                    ("closed", _l("closed")),
                    ("resolved", _l("resolved")),
                    ("crimes", _l("crimes")),
                ],
                _cercle_rows(s),
                definition=Definition(
                    _l(
                        "The figures of the “Mediation cases” and “Crimes” sections for each "
                        "cercle of the area (a case counts in the cercle of its place)."
                    )
                ),
            ),
        ],
    )


def _cercle_rows(s: Scope) -> list[Row]:
    """One row per cercle where something happened, by name. The roll-up from units to
    cercles runs over the distinct units found (a few hundred), never over records."""
    by_unit: dict[int, list[int]] = {}
    for group in s.opened_groups:
        values = by_unit.setdefault(group.unit_id, [0, 0, 0, 0])
        values[0 if group.mediable else 3] += group.cases
    closed = s.closed()
    for row in db.session.execute(
        sa.select(
            Case.unit_id,
            sa.func.count().label("closed"),
            count_if(s.resolved(closed)).label("resolved"),
        )
        .where(s.mediable_here(), closed)
        .group_by(Case.unit_id)
    ):
        values = by_unit.setdefault(row.unit_id, [0, 0, 0, 0])
        values[1] += int(row.closed)
        values[2] += int(row.resolved)
    if not by_unit:
        return []
    paths = {
        row.id: row.path
        for row in db.session.execute(
            sa.select(AdminUnit.id, AdminUnit.path).where(AdminUnit.id.in_(list(by_unit)))
        )
    }
    by_cercle: dict[int, list[int]] = {}
    for unit_id, values in by_unit.items():
        ids = [int(part) for part in paths[unit_id].strip("/").split("/") if part]
        cercle_id = ids[1] if len(ids) >= 2 else unit_id  # région / cercle / …
        total = by_cercle.setdefault(cercle_id, [0, 0, 0, 0])
        for index, value in enumerate(values):
            total[index] += value
    cercles = db.session.execute(
        sa.select(AdminUnit.id, AdminUnit.code, AdminUnit.name).where(
            AdminUnit.id.in_(list(by_cercle))
        )
    ).all()
    return [
        (row.code, row.name, by_cercle[row.id])
        for row in sorted(cercles, key=lambda row: (row.name, row.code))
    ]
