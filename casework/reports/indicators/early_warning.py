"""Section "early_warning": the alerts of the period (dated by ``occurred_at``, UTC, against
the period's days in Bamako), how they were handled, by category and by commune."""

from __future__ import annotations

import sqlalchemy as sa

from casework.extensions import db
from casework.i18n import _l
from casework.policing.models import Alert
from casework.reports.indicators.common import (
    commune_rows,
    count_if,
    counts_by,
    median,
    rate,
    vocab_rows,
)
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table


def section(s: Scope) -> Section:
    here = s.alerts_here()
    alerts = db.session.execute(
        sa.select(
            sa.func.count().label("received"),
            count_if(Alert.verified.is_(True)).label("verified"),
            count_if(Alert.responded_at.is_not(None)).label("answered"),
            count_if(Alert.case_id.is_not(None)).label("became_cases"),
        ).where(here)
    ).one()
    received, became = int(alerts.received), int(alerts.became_cases)
    minutes = [
        (row.responded_at - row.occurred_at).total_seconds() // 60
        for row in db.session.execute(
            sa.select(Alert.occurred_at, Alert.responded_at).where(
                here, Alert.responded_at.is_not(None)
            )
        )
    ]
    by_category = counts_by(Alert.category, here)
    by_unit = counts_by(Alert.unit_id, here)
    return Section(
        key="early_warning",
        title=_l("Early warning"),
        figures=[
            Figure(
                "alerts_received",
                _l("Alerts received"),
                received,
                definition=Definition(_l("Alerts that occurred in the period (Bamako time).")),
            ),
            Figure(
                "alerts_verified",
                _l("Alerts verified"),
                int(alerts.verified),
                definition=Definition(_l("Of those, the alerts verified.")),
            ),
            Figure(
                "alerts_answered",
                _l("Alerts answered"),
                int(alerts.answered),
                definition=Definition(_l("Of those, the alerts that had a response.")),
            ),
            Figure(
                "median_response_minutes",
                _l("Median response time (minutes)"),
                median([int(m) for m in minutes]),
                "minutes",
                definition=Definition(
                    _l(
                        "Median of the minutes from an alert to its response, over the alerts "
                        "answered."
                    )
                ),
            ),
            Figure(
                "alerts_became_cases",
                _l("Alerts that became cases"),
                became,
                definition=Definition(_l("Of those, the alerts that led to a case.")),
            ),
            Figure(
                "share_became_cases",
                _l("Share of alerts that became cases"),
                rate(became, received),
                "rate",
                definition=Definition(
                    _l("Share of the alerts that led to a case."),
                    _l("alerts that became cases"),
                    _l("alerts received"),
                ),
            ),
        ],
        tables=[
            Table(
                "alerts_by_category",
                _l("Alerts by threat category"),
                [("alerts", _l("alerts"))],
                vocab_rows("alert_category", {code: [n] for code, n in by_category.items()}),
                chart=True,
                definition=Definition(_l("Alerts that occurred in the period by threat category.")),
            ),
            Table(
                "alerts_by_commune",
                _l("Alerts by commune"),
                [("alerts", _l("alerts"))],
                commune_rows(by_unit),
                definition=Definition(_l("Alerts that occurred in the period by commune.")),
            ),
        ],
    )
