"""Section "serious_crime": the cases opened for crimes (the ★ types, never mediated) and
the alerts of trafficking, armed groups, banditry, kidnapping or explosives, counted apart
from the mediable disputes."""

from __future__ import annotations

from casework.cases.models import Case
from casework.i18n import _l
from casework.policing.models import Alert
from casework.reports.indicators.common import counts_by, vocab_rows
from casework.reports.indicators.scope import Scope
from casework.reports.model import Figure, Section, Table

# Alert categories counted apart from mediable disputes (trafficking, armed groups, banditry).
SERIOUS_ALERT_CATEGORIES = (
    "TRAFIC",
    "MOUVEMENT_ARME",
    "BANDITISME",
    "ENLEVEMENT",
    "ENGIN_EXPLOSIF",
)


def section(s: Scope) -> Section:
    cases = counts_by(
        Case.conflict_type, s.cases_here(), s.opened(), Case.conflict_type.in_(s.serious)
    )
    alerts = counts_by(
        Alert.category, s.alerts_here(), Alert.category.in_(SERIOUS_ALERT_CATEGORIES)
    )
    return Section(
        key="serious_crime",
        title=_l("Crimes (counted apart from mediable disputes)"),
        figures=[
            Figure(
                "serious_cases",
                _l("Cases opened for crimes (trafficking, armed groups, banditry…)"),
                sum(cases.values()),
            ),
            Figure(
                "serious_alerts",
                _l("Alerts of trafficking, armed groups, banditry, kidnapping or explosives"),
                sum(alerts.values()),
            ),
        ],
        tables=[
            Table(
                "serious_cases_by_type",
                _l("Cases opened for crimes, by type"),
                [("cases", _l("cases"))],
                vocab_rows("conflict_type", {code: [n] for code, n in cases.items()}),
                short_title=_l("Crime cases by type"),
            ),
            Table(
                "serious_alerts_by_category",
                _l("Alerts of crimes, by category"),
                [("alerts", _l("alerts"))],
                vocab_rows("alert_category", {code: [n] for code, n in alerts.items()}),
                short_title=_l("Crime alerts by category"),
            ),
        ],
    )
