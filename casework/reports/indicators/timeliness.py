"""Section "timeliness": days from report to first session and to agreement (medians over
the mediable cases whose first session, or agreement, fell in the period)."""

from __future__ import annotations

from casework.i18n import _l
from casework.reports.indicators.common import median
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section


def section(s: Scope) -> Section:
    to_session = s.first_sessions
    to_agreement = [
        (agreement.concluded_on - agreement.reported_on).days
        for agreement in s.agreements
        if agreement.mediable
    ]
    return Section(
        key="timeliness",
        title=_l("Timeliness"),
        figures=[
            Figure(
                "cases_first_session",
                _l("Cases whose first session was held in the period"),
                len(to_session),
                definition=Definition(
                    _l("Mediable cases whose first session was held in the period.")
                ),
            ),
            Figure(
                "median_days_to_first_session",
                _l("Median days from report to first session"),
                median(to_session),
                "days",
                definition=Definition(
                    _l("Median of the days from report to first session, over those cases.")
                ),
            ),
            Figure(
                "agreements_concluded",
                _l("Agreements concluded"),
                len(to_agreement),
                definition=Definition(_l("Agreements concluded in the period on mediable cases.")),
            ),
            Figure(
                "median_days_to_agreement",
                _l("Median days from report to agreement"),
                median(to_agreement),
                "days",
                definition=Definition(
                    _l("Median of the days from report to agreement, over those agreements.")
                ),
            ),
        ],
    )
