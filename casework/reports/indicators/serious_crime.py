"""Section "serious_crime": the cases opened for crimes (by the triage rule: a ★ type, a death
or a serious injury; never mediated) and
the alerts of trafficking, armed groups, banditry, kidnapping or explosives, counted apart
from the mediable disputes."""

from __future__ import annotations

from casework.cases.models import Case
from casework.i18n import _l
from casework.policing.models import Alert
from casework.reports.indicators.common import counts_by, vocab_rows
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table

# Alert categories counted apart from mediable disputes (trafficking, armed groups, banditry).
SERIOUS_ALERT_CATEGORIES = (
    "TRAFIC",
    "MOUVEMENT_ARME",
    "BANDITISME",
    "ENLEVEMENT",
    "ENGIN_EXPLOSIF",
)


def section(s: Scope) -> Section:
    cases = counts_by(Case.conflict_type, s.cases_here(), s.opened(), s.crime())
    alerts = counts_by(
        Alert.category, s.alerts_here(), Alert.category.in_(SERIOUS_ALERT_CATEGORIES)
    )
    return Section(
        key="serious_crime",
        title=_l("Crimes (counted apart from mediable disputes)"),
        figures=[
            Figure(
                "serious_cases",
                _l("Cases opened for crimes (★ types, deaths or serious injuries)"),
                sum(cases.values()),
                definition=Definition(
                    _l(
                        "Cases reported in the period whose type is a crime (★), or in which "
                        "someone died or was seriously injured, whatever their type: the "
                        "triage rule. They are never counted among the mediable disputes."
                    )
                ),
            ),
            Figure(
                "serious_alerts",
                _l("Alerts of trafficking, armed groups, banditry, kidnapping or explosives"),
                sum(alerts.values()),
                definition=Definition(
                    _l(
                        "Alerts that occurred in the period in one of these categories, "
                        "whether or not they were verified."
                    )
                ),
            ),
        ],
        tables=[
            Table(
                "serious_cases_by_type",
                _l("Cases opened for crimes, by type"),
                [("cases", _l("cases"))],
                vocab_rows("conflict_type", {code: [n] for code, n in cases.items()}),
                short_title=_l("Crime cases by type"),
                definition=Definition(
                    _l("The same cases by their conflict type (a land case with a death too).")
                ),
            ),
            Table(
                "serious_alerts_by_category",
                _l("Alerts of crimes, by category"),
                [("alerts", _l("alerts"))],
                vocab_rows("alert_category", {code: [n] for code, n in alerts.items()}),
                short_title=_l("Crime alerts by category"),
                definition=Definition(_l("The same alerts by their category.")),
            ),
        ],
    )
