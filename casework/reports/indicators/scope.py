"""The period and the area a report is built for, and the period's rows that several
sections count (read once per report: cached properties of ``Scope``).

One pass per kind of record: the period's sessions, opened cases and agreements are each
read by one grouped query the first time a section asks for them, and every other section
reuses the rows. A new figure over these records reads them from here (add a field to the
row type and a column to the query) rather than running a second query. A ``Scope`` lives
for one report: nothing is kept across reports or requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from casework.cases.models import Agreement, AgreementTerm, Case, MediationSession
from casework.cases.services.places import unit_ids_within, units_and_cases_placed_within
from casework.cases.states import CLOSED, CaseStatus
from casework.cases.triage import crime_condition
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.policing.models import Alert
from casework.reports.indicators.common import month_key, sum_of, within
from casework.reports.model import Period

RESOLVED = CaseStatus.CLOTURE_RESOLU.value
CLOSED_VALUES = sorted(status.value for status in CLOSED)


@dataclass
class SessionTotals:
    """The sessions held in the period with one mechanism, and who took part in them."""

    sessions: int = 0
    women: int = 0
    men: int = 0
    youth: int = 0


@dataclass(frozen=True)
class _SessionFigures:
    by_mechanism: dict[str, SessionTotals]
    days_to_first: list[int]  # one per case whose first session was in the period


@dataclass(frozen=True)
class OpenedGroup:
    """Cases opened in the period that share a kind, a scope, a unit and a month."""

    mediable: bool  # False: a crime (★ type)
    scope: str
    unit_id: int
    month: tuple[int, int]  # (year, month) of the report date
    cases: int
    deaths: int
    injuries_serious: int
    injuries_minor: int


@dataclass(frozen=True)
class ConcludedAgreement:
    """An agreement concluded in the period, with its case's report date."""

    mediable: bool  # False: on a crime (★ type)
    outcome: str
    reported_on: date
    concluded_on: date
    livestock_heads: int | None
    compensation_fcfa: int | None
    form: str = ""  # verbal, written, homologated (by a judge)


# ``Scope.settled_levels``' key for the cases settled by the institution they were referred to.
SETTLED_ELSEWHERE_LEVEL = -1
SETTLED_ELSEWHERE = "REGLE_AUTRE_INSTANCE"  # the case outcome "settled by another body"


@dataclass
class Scope:
    period: Period
    area: AdminUnit | None
    serious: list[str]  # the crime types (★): with deaths and serious injuries, never mediated

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    # --- conditions ------------------------------------------------------------------------

    def during(self, column):
        return column.between(self.start, self.end)

    def cases_here(self, *, probed: bool = False):
        """The area's cases: by any of their places (the incident's, a party's home commune,
        the route), each counted once however many of its places lie in the area. The cases
        placed in the area by another place are read once, as a list: an OR with a subquery
        in every query of the report tripled its time at 100 000 cases.

        ``probed``: the query reaches each case by its id from another table's rows (the
        period's sessions, agreements, terms, visits…). On SQLite the case's unit is then
        tested against the area's units; otherwise SQLite seeks every unit of the area in
        the cases' index for each row (three times slower at 100 000 cases). Not for a
        query that starts from the area's cases: there the units are what it seeks."""
        if self.area is None:
            return sa.true()
        units = unit_ids_within(self.area)
        unit = Case.unit_id + 0 if probed and self._sqlite else Case.unit_id
        if not self._placed_here:
            return unit.in_(units)
        return sa.or_(unit.in_(units), Case.id.in_(self._placed_here))

    def rows_here(self, model):
        """The area's rows of a table that carries its case's unit (sessions, agreements,
        agreement terms, follow-up visits, referrals: ``casework.cases.row_units``), for
        ``cases_here``'s cases: the row's unit in the area, or its case placed in the area
        by another place. A query of the period's rows reads them from the index on the unit
        and the date, the area's rows only, instead of every region's rows probing each
        one's case; it still joins the case for the triage rule."""
        if self.area is None:
            return sa.true()
        here = model.unit_id.in_(self._unit_ids)
        if not self._placed_here:
            return here
        if model is AgreementTerm:
            agreements = sa.select(Agreement.id).where(Agreement.case_id.in_(self._placed_here))
            return sa.or_(here, AgreementTerm.agreement_id.in_(agreements))
        return sa.or_(here, model.case_id.in_(self._placed_here))

    @cached_property
    def _unit_ids(self) -> list[int]:
        """The area's units as a list of ids: PostgreSQL then seeks each one in the rows'
        index on the unit and the date (given a subquery, it read every region's agreements
        of the period and kept the area's)."""
        return self._area_places[0]

    @cached_property
    def _sqlite(self) -> bool:
        return db.session.get_bind().dialect.name == "sqlite"

    @cached_property
    def _placed_here(self) -> list[int]:
        return self._area_places[1]

    @cached_property
    def _area_places(self) -> tuple[list[int], list[int]]:
        return units_and_cases_placed_within(self.area)

    def crime(self):
        """The triage rule (``casework.cases.triage``): a ★ type, a death or a serious
        injury. Crimes are counted apart, never among mediable disputes."""
        return crime_condition(self.serious)

    def mediable(self):
        return sa.not_(self.crime())

    def mediable_here(self):
        """The area's cases that can be mediated (crimes left out)."""
        return sa.and_(self.cases_here(), self.mediable())

    def opened(self):
        return self.during(Case.reported_on)

    def closed(self):
        return sa.and_(self.during(Case.closed_on), Case.status.in_(CLOSED_VALUES))

    def resolved(self, closed=None):
        """Closed in the period with the status "closed, resolved". Give the ``closed()`` of
        the same query, if it has one, so that the period's dates are bound once."""
        return sa.and_(self.closed() if closed is None else closed, Case.status == RESOLVED)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period's first and (exclusive) last instant: midnights in Bamako, as UTC."""
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        start = datetime.combine(self.start, time.min, zone).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start, end

    def alerts_here(self):
        """The area's alerts that occurred in the period (dated in Bamako)."""
        start, end = self.utc_bounds()
        return sa.and_(
            within(Alert.unit_id, self.area), Alert.occurred_at >= start, Alert.occurred_at < end
        )

    # --- shared rows: each read by one query, the first time a section asks --------------

    @property
    def sessions(self) -> dict[str, SessionTotals]:
        """The sessions held in the period on the area's mediable cases, by mechanism."""
        return self._session_figures.by_mechanism

    @property
    def first_sessions(self) -> list[int]:
        """Days from report to first session, for each mediable case of the area whose
        first session was held in the period (it had one then, and none before)."""
        return self._session_figures.days_to_first

    @cached_property
    def _session_figures(self) -> _SessionFigures:
        """One pass over the period's sessions (index on held_on), grouped by case and
        mechanism, gives both ``sessions`` and ``first_sessions``."""
        earlier = aliased(MediationSession)
        before = (
            sa.select(earlier.id)
            .where(earlier.case_id == MediationSession.case_id, earlier.held_on < self.start)
            .exists()
        )
        first_here = sa.case((before, 0), else_=1)
        by_mechanism: dict[str, SessionTotals] = {}
        days_to_first: dict[int, int] = {}
        for row in db.session.execute(
            sa.select(
                MediationSession.case_id,
                Case.reported_on,
                MediationSession.mechanism,
                first_here.label("first_here"),
                sa.func.count().label("sessions"),
                sum_of(MediationSession.women).label("women"),
                sum_of(MediationSession.men).label("men"),
                sum_of(MediationSession.youth).label("youth"),
                sa.func.min(MediationSession.held_on).label("first_held_on"),
            )
            .join(Case, Case.id == MediationSession.case_id)
            .where(
                self.rows_here(MediationSession),
                self.mediable(),
                self.during(MediationSession.held_on),
            )
            # Not grouped by ``first_here``: it depends on the case alone, and asked once per
            # group rather than once per session (a third of this query's time at 100 000).
            .group_by(MediationSession.case_id, Case.reported_on, MediationSession.mechanism)
        ):
            totals = by_mechanism.setdefault(row.mechanism, SessionTotals())
            totals.sessions += int(row.sessions)
            totals.women += int(row.women)
            totals.men += int(row.men)
            totals.youth += int(row.youth)
            if row.first_here:
                # A case's sessions with several mechanisms: its earliest one counts.
                days = (row.first_held_on - row.reported_on).days
                days_to_first[row.case_id] = min(days_to_first.get(row.case_id, days), days)
        return _SessionFigures(by_mechanism, list(days_to_first.values()))

    @cached_property
    def opened_groups(self) -> list[OpenedGroup]:
        """The area's cases opened in the period, crimes included, grouped. One pass serves
        the cases section's tables by scope, commune and month, and the harm section."""
        mediable = sa.case((self.mediable(), 1), else_=0)
        year, month = month_key(Case.reported_on)
        return [
            OpenedGroup(
                mediable=bool(row.mediable),
                scope=row.scope,
                unit_id=row.unit_id,
                month=(row.year, row.month),
                cases=int(row.cases),
                deaths=int(row.deaths),
                injuries_serious=int(row.injuries_serious),
                injuries_minor=int(row.injuries_minor),
            )
            for row in db.session.execute(
                sa.select(
                    mediable.label("mediable"),
                    Case.scope,
                    Case.unit_id,
                    year.label("year"),
                    month.label("month"),
                    sa.func.count().label("cases"),
                    sum_of(Case.deaths).label("deaths"),
                    sum_of(Case.injuries_serious).label("injuries_serious"),
                    sum_of(Case.injuries_minor).label("injuries_minor"),
                )
                .where(self.cases_here(), self.opened())
                .group_by(mediable, Case.scope, Case.unit_id, year, month)
            )
        ]

    @cached_property
    def agreements(self) -> list[ConcludedAgreement]:
        """The agreements concluded in the period on the area's cases, crimes included, one
        row each: read once for the cases, timeliness and harm sections."""
        return [
            ConcludedAgreement(
                mediable=bool(row.mediable),
                outcome=row.outcome,
                reported_on=row.reported_on,
                concluded_on=row.concluded_on,
                livestock_heads=row.livestock_heads,
                compensation_fcfa=row.compensation_fcfa,
                form=row.form,
            )
            for row in db.session.execute(
                sa.select(
                    sa.case((self.mediable(), 1), else_=0).label("mediable"),
                    Agreement.outcome,
                    Case.reported_on,
                    Agreement.concluded_on,
                    Agreement.livestock_heads,
                    Agreement.compensation_fcfa,
                    Agreement.form,
                )
                .join(Case, Case.id == Agreement.case_id)
                .where(self.rows_here(Agreement), self.during(Agreement.concluded_on))
            )
        ]

    @cached_property
    def settled_levels(self) -> dict[int, int]:
        """The area's mediable cases closed resolved in the period, by the level at which
        they were settled (DOMAIN.md §9): the level of the session that produced their
        latest agreement, else the case's level; ``SETTLED_ELSEWHERE_LEVEL`` for the cases
        settled by the institution they were referred to. Read once for the ladder profile
        and the share settled by community levels."""
        agreement_level = (
            sa.select(MediationSession.ladder_level)
            .join(Agreement, Agreement.session_id == MediationSession.id)
            .where(Agreement.case_id == Case.id)
            .order_by(Agreement.concluded_on.desc(), Agreement.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        level = sa.func.coalesce(agreement_level, Case.ladder_level)
        levels: dict[int, int] = {}
        for row in db.session.execute(
            sa.select(Case.outcome, level.label("level"), sa.func.count().label("cases"))
            .where(self.mediable_here(), self.resolved())
            .group_by(Case.outcome, level)
        ):
            key = SETTLED_ELSEWHERE_LEVEL if row.outcome == SETTLED_ELSEWHERE else int(row.level)
            levels[key] = levels.get(key, 0) + int(row.cases)
        return levels
