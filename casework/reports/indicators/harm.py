"""Section "harm": deaths and injuries in the cases opened, livestock returned and
compensation agreed, crimes included (from the period's shared rows: no query of its own)."""

from __future__ import annotations

from casework.i18n import _l
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section


def section(s: Scope) -> Section:
    groups = s.opened_groups
    agreements = s.agreements
    livestock = sum(agreement.livestock_heads or 0 for agreement in agreements)
    compensation = sum(agreement.compensation_fcfa or 0 for agreement in agreements)
    return Section(
        key="harm",
        title=_l("Harm and reparation"),
        figures=[
            Figure(
                "deaths",
                _l("Deaths (cases opened, crimes included)"),
                sum(group.deaths for group in groups),
                definition=Definition(
                    _l("Deaths recorded on the cases reported in the period, crimes included.")
                ),
            ),
            Figure(
                "injuries_serious",
                _l("Serious injuries"),
                sum(group.injuries_serious for group in groups),
                definition=Definition(
                    _l(
                        "Serious injuries recorded on the cases reported in the period, crimes "
                        "included."
                    )
                ),
            ),
            Figure(
                "injuries_minor",
                _l("Minor injuries"),
                sum(group.injuries_minor for group in groups),
                definition=Definition(
                    _l(
                        "Minor injuries recorded on the cases reported in the period, crimes "
                        "included."
                    )
                ),
            ),
            Figure(
                "livestock_returned",
                _l("Livestock heads returned under agreements"),
                int(livestock),
                definition=Definition(
                    _l(
                        "Heads of livestock to be returned under the agreements concluded in the "
                        "period."
                    )
                ),
            ),
            Figure(
                "compensation_fcfa",
                _l("Compensation agreed (FCFA)"),
                int(compensation),
                "fcfa",
                definition=Definition(
                    _l("Compensation in FCFA agreed in the agreements concluded in the period.")
                ),
            ),
        ],
    )
