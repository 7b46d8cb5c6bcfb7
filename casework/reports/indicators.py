"""The periodic report's indicators (DOMAIN.md §7) for a period and an area.

Every count is an SQL aggregate (GROUP BY, or conditional counts in one query), so a report
stays fast at 100 000 cases; only medians are computed in Python, over the durations of the
period (bounded by what happened in it). The area is "this unit and everything below it"
(``AdminUnit.path`` prefix); no area means everywhere.

What counts as what:

- a case is *opened* when reported in the period, *closed* when ``closed_on`` is in the
  period and its status is closed (resolved, unresolved or dropped), *resolved* when closed
  with the status "closed, resolved";
- crimes (the ★ conflict types, ``vocab.mandatory_referral_codes()``) are never mediated:
  the "cases" section and the figures built on it (timeliness, compliance, inclusion) count
  mediable cases only, and crimes are counted apart in "serious_crime". Harm and referrals
  count every case, crimes included;
- alerts are dated by ``occurred_at`` (UTC) against the period's days in Bamako;
- tables over a vocabulary list the codes that occur (in the vocabulary's order); tables
  over a fixed list (ladder levels, months, sex × age band, compliance) list every row.

Row labels are resolved when the report is rendered (``VocabLabel``, ``TitleLabel``,
``MonthLabel``), so the same report renders in French or in English.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from sqlalchemy.orm import aliased

from casework.cases.enums import AgeBand, Compliance, Sex
from casework.cases.models import (
    Actor,
    Agreement,
    Case,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    session_actors,
)
from casework.cases.states import CLOSED, CaseStatus, LadderLevel
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.policing.enums import RecommendationStatus
from casework.policing.models import (
    Activity,
    Alert,
    CommitteeMeeting,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
)
from casework.reports.model import Figure, Period, Report, Section, Table
from casework.vocab import services as vocab

RESOLVED = CaseStatus.CLOTURE_RESOLU.value
CLOSED_VALUES = sorted(status.value for status in CLOSED)
SETTLED_ELSEWHERE = "REGLE_AUTRE_INSTANCE"
# Alert categories counted apart from mediable disputes (trafficking, armed groups, banditry).
SERIOUS_ALERT_CATEGORIES = (
    "TRAFIC",
    "MOUVEMENT_ARME",
    "BANDITISME",
    "ENLEVEMENT",
    "ENGIN_EXPLOSIF",
)
YOUNG_BANDS = sorted(band.value for band in (AgeBand.UNDER_18, AgeBand.YOUTH))
RATE_DIGITS = 4


# --- labels resolved at render time ---------------------------------------------------------


@dataclass(frozen=True)
class VocabLabel:
    """A vocabulary term's label in the locale active when it is written out."""

    vocabulary: str
    code: str

    def __str__(self) -> str:
        return vocab.label(self.vocabulary, self.code)


@dataclass(frozen=True)
class TitleLabel:
    """The translated title of a code-level enum member (sex, age band, ladder level…)."""

    member: object

    def __str__(self) -> str:
        return self.member.title


@dataclass(frozen=True)
class MonthLabel:
    """A month, e.g. "juillet 2025" / "July 2025"."""

    first_day: date

    def __str__(self) -> str:
        return format_date(self.first_day, "LLLL yyyy")


# --- helpers --------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, RATE_DIGITS) if whole else None


def _median(values: list) -> float | int | None:
    return statistics.median(values) if values else None


def _n(condition) -> sa.ColumnElement[int]:
    """How many rows meet ``condition`` (a conditional count, portable)."""
    return sa.func.count(sa.case((condition, 1)))


def _sum(column) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(column), 0)


def _within(column, area: AdminUnit | None):
    if area is None:
        return sa.true()
    return column.in_(sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path)))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    last = (_add_months_first(first) - timedelta(days=1)).day
    return first.replace(day=min(day.day, last))


def _add_months_first(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _months(period: Period) -> list[date]:
    """The first day of every month the period touches."""
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = _add_months_first(day)
    return months


def month_share(period: Period) -> Fraction:
    """How many months the period lasts: whole months count 1, a part counts its days."""
    total = Fraction(0)
    for first in _months(period):
        last = _add_months_first(first) - timedelta(days=1)
        covered = (min(last, period.end) - max(first, period.start)).days + 1
        total += Fraction(covered, last.day)
    return total


def _vocab_order(vocabulary: str, codes) -> list[str]:
    order = [term.code for term in vocab.terms(vocabulary, include_inactive=True)]
    known = [code for code in order if code in codes]
    return known + sorted(code for code in codes if code not in order)


def _vocab_rows(vocabulary: str, values: dict[str, list]) -> list[tuple[str, object, list]]:
    return [
        (code, VocabLabel(vocabulary, code), values[code])
        for code in _vocab_order(vocabulary, values)
    ]


def _counts(statement) -> dict:
    """{key: count} of a ``SELECT key, count(...) ... GROUP BY key``."""
    return {key: int(count) for key, count in db.session.execute(statement)}


def _commune_rows(counts: dict[int, int]) -> list[tuple[str, object, list]]:
    """Counts by unit rolled up to their commune (a unit above a commune stays itself).

    The roll-up runs over the distinct units found (a few hundred), never over records.
    """
    if not counts:
        return []
    paths = {
        unit_id: path
        for unit_id, path in db.session.execute(
            sa.select(AdminUnit.id, AdminUnit.path).where(AdminUnit.id.in_(list(counts)))
        )
    }
    by_commune: dict[int, int] = {}
    for unit_id, count in counts.items():
        ids = [int(part) for part in paths[unit_id].strip("/").split("/") if part]
        commune_id = ids[2] if len(ids) >= 3 else unit_id  # région / cercle / commune / …
        by_commune[commune_id] = by_commune.get(commune_id, 0) + count
    communes = db.session.execute(
        sa.select(AdminUnit.id, AdminUnit.code, AdminUnit.name).where(
            AdminUnit.id.in_(list(by_commune))
        )
    ).all()
    return [
        (code, name, [by_commune[unit_id]])
        for unit_id, code, name in sorted(communes, key=lambda row: (row.name, row.code))
    ]


def _month_rows(period: Period, counts: dict[tuple[int, int], int]):
    return [
        (f"{first:%Y-%m}", MonthLabel(first), [counts.get((first.year, first.month), 0)])
        for first in _months(period)
    ]


def _month_key(column):
    return sa.cast(sa.extract("year", column), sa.Integer), sa.cast(
        sa.extract("month", column), sa.Integer
    )


@dataclass
class _Scope:
    period: Period
    area: AdminUnit | None
    serious: list[str]
    # Figures read once and shared by two sections (built while one report is built).
    memo: dict = field(default_factory=dict)

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    def during(self, column):
        return column.between(self.start, self.end)

    def cases_here(self):
        return _within(Case.unit_id, self.area)

    def mediable(self):
        return Case.conflict_type.not_in(self.serious)

    def opened(self):
        return self.during(Case.reported_on)

    def closed(self):
        return sa.and_(self.during(Case.closed_on), Case.status.in_(CLOSED_VALUES))

    def sessions(self) -> dict[str, tuple[int, int, int, int]]:
        """The sessions held in the period on the area's mediable cases, by mechanism:
        (sessions, women, men, young people), for the cases and inclusion sections."""
        return self._session_figures()[0]

    def first_sessions(self) -> list[int]:
        """Days from report to first session, for each mediable case of the area whose
        first session was held in the period (it had one then, and none before)."""
        return self._session_figures()[1]

    def _session_figures(self):
        """One pass over the period's sessions (index on held_on), grouped by case and
        mechanism, gives both ``sessions`` and ``first_sessions``."""
        if "sessions" not in self.memo:
            earlier = aliased(MediationSession)
            before = (
                sa.select(earlier.id)
                .where(earlier.case_id == MediationSession.case_id, earlier.held_on < self.start)
                .exists()
            )
            first_here = sa.case((before, 0), else_=1)
            by_mechanism: dict[str, list[int]] = {}
            first: dict[int, tuple[date, date]] = {}
            for (
                case_id,
                reported_on,
                mechanism,
                is_first,
                count,
                *sums,
                first_on,
            ) in db.session.execute(
                sa.select(
                    MediationSession.case_id,
                    Case.reported_on,
                    MediationSession.mechanism,
                    first_here,
                    sa.func.count(),
                    _sum(MediationSession.women),
                    _sum(MediationSession.men),
                    _sum(MediationSession.youth),
                    sa.func.min(MediationSession.held_on),
                )
                .join(Case, Case.id == MediationSession.case_id)
                .where(self.cases_here(), self.mediable(), self.during(MediationSession.held_on))
                .group_by(
                    MediationSession.case_id,
                    Case.reported_on,
                    MediationSession.mechanism,
                    first_here,
                )
            ):
                totals = by_mechanism.setdefault(mechanism, [0, 0, 0, 0])
                for index, n in enumerate((count, *sums)):
                    totals[index] += int(n)
                if is_first:
                    known = first.get(case_id)
                    if known is None or first_on < known[1]:
                        first[case_id] = (reported_on, first_on)
            self.memo["sessions"] = (
                {mechanism: tuple(totals) for mechanism, totals in by_mechanism.items()},
                [(first_on - reported_on).days for reported_on, first_on in first.values()],
            )
        return self.memo["sessions"]

    def opened_groups(self) -> list[tuple]:
        """The area's cases opened in the period, crimes included, in groups of (mediable,
        scope, unit, year, month): count, deaths, serious and minor injuries. One pass
        serves the cases section's tables by scope, commune and month, and the harm
        section."""
        if "opened" not in self.memo:
            mediable = sa.case((self.mediable(), 1), else_=0)
            keys = (mediable, Case.scope, Case.unit_id, *_month_key(Case.reported_on))
            self.memo["opened"] = [
                (bool(flag), scope, unit_id, (year, month), int(count), *(int(n) for n in sums))
                for flag, scope, unit_id, year, month, count, *sums in db.session.execute(
                    sa.select(
                        *keys,
                        sa.func.count(),
                        _sum(Case.deaths),
                        _sum(Case.injuries_serious),
                        _sum(Case.injuries_minor),
                    )
                    .where(self.cases_here(), self.opened())
                    .group_by(*keys)
                )
            ]
        return self.memo["opened"]

    def agreements(self) -> list[tuple]:
        """The agreements concluded in the period on the area's cases, crimes included, one
        row each (mediable, outcome, report date, conclusion date, livestock heads,
        compensation): read once for the cases, timeliness and harm sections."""
        if "agreements" not in self.memo:
            self.memo["agreements"] = [
                (bool(flag), *rest)
                for flag, *rest in db.session.execute(
                    sa.select(
                        sa.case((self.mediable(), 1), else_=0),
                        Agreement.outcome,
                        Case.reported_on,
                        Agreement.concluded_on,
                        Agreement.livestock_heads,
                        Agreement.compensation_fcfa,
                    )
                    .join(Case, Case.id == Agreement.case_id)
                    .where(self.cases_here(), self.during(Agreement.concluded_on))
                )
            ]
        return self.memo["agreements"]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period's first and (exclusive) last instant: midnights in Bamako, as UTC."""
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        start = datetime.combine(self.start, time.min, zone).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start, end


# --- sections -------------------------------------------------------------------------------


def _cases_section(s: _Scope) -> Section:
    here = sa.and_(s.cases_here(), s.mediable())
    opened, closed = s.opened(), s.closed()
    resolved = sa.and_(closed, Case.status == RESOLVED)
    carried = sa.and_(
        Case.reported_on < s.start, sa.or_(Case.closed_on.is_(None), Case.closed_on >= s.start)
    )
    n_opened, n_carried, n_closed, n_resolved = db.session.execute(
        sa.select(_n(opened), _n(carried), _n(closed), _n(resolved)).where(
            here, Case.reported_on <= s.end
        )
    ).one()
    partial = sum(
        1
        for mediable, outcome, *_rest in s.agreements()
        if mediable and outcome == "ACCORD_PARTIEL"
    )

    by_type = {
        code: [int(o), int(c), int(r), _rate(int(r), int(c))]
        for code, o, c, r in db.session.execute(
            sa.select(Case.conflict_type, _n(opened), _n(closed), _n(resolved))
            .where(here, sa.or_(opened, closed))
            .group_by(Case.conflict_type)
        )
    }
    by_scope: dict[str, int] = {}
    by_unit: dict[int, int] = {}
    by_month: dict[tuple[int, int], int] = {}
    for mediable, scope, unit_id, month, count, *_harm in s.opened_groups():
        if mediable:
            by_scope[scope] = by_scope.get(scope, 0) + count
            by_unit[unit_id] = by_unit.get(unit_id, 0) + count
            by_month[month] = by_month.get(month, 0) + count

    # Sessions held in the period by mechanism; and the cases closed in the period, by the
    # mechanism of their last session (the one that settled them, or failed last).
    sessions = {mechanism: figures[0] for mechanism, figures in s.sessions().items()}
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
        .where(here, closed)
        .subquery()
    )
    last = {
        mechanism: (int(n_closed_), int(n_resolved_))
        for mechanism, n_closed_, n_resolved_ in db.session.execute(
            sa.select(ranked.c.mechanism, sa.func.count(), _n(ranked.c.status == RESOLVED))
            .where(ranked.c.rank == 1)
            .group_by(ranked.c.mechanism)
        )
    }
    by_mechanism = {
        code: [
            sessions.get(code, 0),
            last.get(code, (0, 0))[0],
            last.get(code, (0, 0))[1],
            _rate(last.get(code, (0, 0))[1], last.get(code, (0, 0))[0]),
        ]
        for code in set(sessions) | set(last)
    }

    # Settled where it stood on the ladder, or by the institution it was referred to.
    ladder: dict[int, int] = {}
    for outcome, level, count in db.session.execute(
        sa.select(Case.outcome, Case.ladder_level, sa.func.count())
        .where(here, resolved)
        .group_by(Case.outcome, Case.ladder_level)
    ):
        key = -1 if outcome == SETTLED_ELSEWHERE else level
        ladder[key] = ladder.get(key, 0) + int(count)
    ladder_rows = [
        (level.name, TitleLabel(level), [ladder.get(level.value, 0)]) for level in LadderLevel
    ]
    ladder_rows.append(
        (
            "SETTLED_ELSEWHERE",
            _l("by the institution the case was referred to"),
            [ladder.get(-1, 0)],
        )
    )

    referrals = {
        target: [int(count), int(answered), _rate(int(answered), int(count))]
        for target, count, answered in db.session.execute(
            sa.select(Referral.target, sa.func.count(), _n(Referral.feedback_on.is_not(None)))
            .join(Case, Case.id == Referral.case_id)
            .where(s.cases_here(), s.during(Referral.referred_on))
            .group_by(Referral.target)
        )
    }

    return Section(
        key="cases",
        title=_l("Mediation cases"),
        figures=[
            Figure("cases_opened", _l("Cases opened (crimes excluded)"), n_opened),
            Figure("cases_carried_over", _l("Cases carried over from before"), n_carried),
            Figure("cases_closed", _l("Cases closed"), n_closed),
            Figure("cases_closed_resolved", _l("Cases closed, resolved"), n_resolved),
            Figure(
                "resolution_rate",
                _l("Resolution rate (resolved ÷ closed)"),
                _rate(n_resolved, n_closed),
                "rate",
            ),
            Figure("partial_agreements", _l("Partial agreements"), int(partial or 0)),
        ],
        tables=[
            Table(
                "cases_by_type",
                _l("Cases by conflict type"),
                [
                    ("opened", _l("opened")),
                    ("closed", _l("closed")),
                    ("resolved", _l("resolved")),
                    ("resolution_rate", _l("resolution rate")),
                ],
                _vocab_rows("conflict_type", by_type),
                chart=True,
            ),
            Table(
                "cases_by_scope",
                _l("Cases opened by scope"),
                [("opened", _l("opened"))],
                _vocab_rows("scope", {code: [n] for code, n in by_scope.items()}),
            ),
            Table(
                "cases_by_place",
                _l("Cases opened by commune"),
                [("opened", _l("opened"))],
                _commune_rows(by_unit),
                chart=True,
            ),
            Table(
                "cases_by_month",
                _l("Cases opened by month"),
                [("opened", _l("opened"))],
                _month_rows(s.period, by_month),
                chart=True,
            ),
            Table(
                "by_mechanism",
                _l("Resolution mechanisms"),
                [
                    ("sessions", _l("sessions held")),
                    ("closed", _l("cases closed after a last session with it")),
                    ("resolved", _l("of which resolved")),
                    ("resolution_rate", _l("resolution rate")),
                ],
                _vocab_rows("resolution_mechanism", by_mechanism),
            ),
            Table(
                "ladder_profile",
                _l("Level of the ladder at which cases were settled"),
                [("resolved", _l("cases closed, resolved"))],
                ladder_rows,
                chart=True,
            ),
            Table(
                "referrals_by_target",
                _l("Referrals made, by institution (all cases, crimes included)"),
                [
                    ("referrals", _l("referrals")),
                    ("with_feedback", _l("with feedback")),
                    ("feedback_share", _l("share with feedback")),
                ],
                _vocab_rows("referral_target", referrals),
            ),
        ],
    )


def _timeliness_section(s: _Scope) -> Section:
    to_session = s.first_sessions()
    to_agreement = [
        (concluded_on - reported_on).days
        for mediable, _outcome, reported_on, concluded_on, *_sums in s.agreements()
        if mediable
    ]
    return Section(
        key="timeliness",
        title=_l("Timeliness"),
        figures=[
            Figure(
                "cases_first_session",
                _l("Cases whose first session was held in the period"),
                len(to_session),
            ),
            Figure(
                "median_days_to_first_session",
                _l("Median days from report to first session"),
                _median(to_session),
                "days",
            ),
            Figure("agreements_concluded", _l("Agreements concluded"), len(to_agreement)),
            Figure(
                "median_days_to_agreement",
                _l("Median days from report to agreement"),
                _median(to_agreement),
                "days",
            ),
        ],
    )


def _compliance_section(s: _Scope) -> Section:
    here = sa.and_(s.cases_here(), s.mediable())
    days = tuple(current_app.config["FOLLOW_UP_DAYS"])
    # The visit's rank among its agreement's visits (by due date, then id), counted for the
    # visits done in the period only (index on done_on); the agreement's other visits are
    # found through the case (an agreement belongs to one case).
    other = aliased(FollowUp)
    visit = (
        sa.select(sa.func.count(other.id) + 1)
        .where(
            other.case_id == FollowUp.case_id,
            other.agreement_id == FollowUp.agreement_id,
            sa.or_(
                other.due_on < FollowUp.due_on,
                sa.and_(other.due_on == FollowUp.due_on, other.id < FollowUp.id),
            ),
        )
        .scalar_subquery()
    )
    done = (
        sa.select(visit.label("visit"), FollowUp.compliance)
        .join(Case, Case.id == FollowUp.case_id)
        .where(here, s.during(FollowUp.done_on), FollowUp.agreement_id.is_not(None))
        .subquery()
    )
    found = {
        (compliance, int(visit)): int(count)
        for visit, compliance, count in db.session.execute(
            sa.select(done.c.visit, done.c.compliance, sa.func.count()).group_by(
                done.c.visit, done.c.compliance
            )
        )
    }
    rows = [
        (
            member.value,
            TitleLabel(member),
            [found.get((member.value, index), 0) for index in range(1, len(days) + 1)],
        )
        for member in Compliance
    ]

    window_start = _add_months(s.end, -12) + timedelta(days=1)
    recurrence = aliased(Case)
    # A correlated EXISTS on the partial index of recurrence_of_id (the IS NOT NULL lets
    # the planner use it), for the few hundred cases closed resolved in the window.
    recurred = (
        sa.select(recurrence.id)
        .where(
            recurrence.recurrence_of_id.is_not(None),
            recurrence.recurrence_of_id == Case.id,
            recurrence.reported_on <= s.end,
        )
        .exists()
    )
    # Closed within the 12 months before the period's end: any recurrence reported by then
    # is within 12 months of the closure.
    base, with_recurrence = db.session.execute(
        sa.select(sa.func.count(), _n(recurred)).where(
            here,
            Case.status == RESOLVED,
            Case.closed_on.between(window_start, s.end),
        )
    ).one()
    return Section(
        key="compliance",
        title=_l("Compliance with agreements"),
        figures=[
            Figure(
                "resolved_last_12_months",
                _l("Cases closed resolved in the 12 months up to the period's end"),
                int(base),
            ),
            Figure(
                "recurrences",
                _l("Of which the conflict recurred within 12 months"),
                int(with_recurrence),
            ),
            Figure(
                "recurrence_rate",
                _l("Recurrence rate within 12 months"),
                _rate(int(with_recurrence), int(base)),
                "rate",
            ),
        ],
        tables=[
            Table(
                "follow_up_compliance",
                _l("Follow-up visits done, by compliance"),
                [(f"d{day}", _l("D+%(days)s", days=day)) for day in days],
                rows,
            )
        ],
    )


def _harm_section(s: _Scope) -> Section:
    groups = s.opened_groups()
    deaths, serious, minor = (sum(group[i] for group in groups) for i in (5, 6, 7))
    concluded = s.agreements()
    livestock, compensation = (sum(row[i] or 0 for row in concluded) for i in (4, 5))
    return Section(
        key="harm",
        title=_l("Harm and reparation"),
        figures=[
            Figure("deaths", _l("Deaths (cases opened, crimes included)"), int(deaths)),
            Figure("injuries_serious", _l("Serious injuries"), int(serious)),
            Figure("injuries_minor", _l("Minor injuries"), int(minor)),
            Figure(
                "livestock_returned",
                _l("Livestock heads returned under agreements"),
                int(livestock),
            ),
            Figure(
                "compensation_fcfa",
                _l("Compensation agreed (FCFA)"),
                int(compensation),
                "fcfa",
            ),
        ],
    )


def _inclusion_section(s: _Scope) -> Section:
    here = sa.and_(s.cases_here(), s.mediable())
    held = s.sessions().values()
    women, men, youth = (sum(figures[i] for figures in held) for i in (1, 2, 3))
    # The distinct mediators of the period's sessions, then their sex: one row per actor.
    attended = (
        sa.select(session_actors.c.actor_id)
        .join(MediationSession, MediationSession.id == session_actors.c.session_id)
        .join(Case, Case.id == MediationSession.case_id)
        .where(here, s.during(MediationSession.held_on))
    )
    actors, women_actors = db.session.execute(
        sa.select(sa.func.count(), _n(Actor.sex == Sex.FEMALE.value)).where(Actor.id.in_(attended))
    ).one()

    def party(condition):
        return sa.select(Party.id).where(Party.case_id == Case.id, condition).exists()

    woman, young = party(Party.sex == Sex.FEMALE.value), party(Party.age_band.in_(YOUNG_BANDS))
    closed = s.closed()
    resolved = sa.and_(closed, Case.status == RESOLVED)
    # Each case's two party tests run once: the cases are grouped by what they are
    # (opened, closed, resolved, with a woman, with a young party), at most 32 groups.
    flags = [
        sa.case((condition, 1), else_=0).label(name)
        for name, condition in (
            ("opened", s.opened()),
            ("closed", closed),
            ("resolved", resolved),
            ("woman", woman),
            ("young", young),
        )
    ]
    w_opened = w_closed = w_resolved = y_opened = y_closed = y_resolved = 0
    for opened_, closed_, resolved_, woman_, young_, count in db.session.execute(
        sa.select(*flags, sa.func.count())
        .where(here, sa.or_(s.opened(), closed))
        .group_by(*(sa.literal_column(flag.name) for flag in flags))
    ):
        count = int(count)
        w_opened += count if opened_ and woman_ else 0
        w_closed += count if closed_ and woman_ else 0
        w_resolved += count if resolved_ and woman_ else 0
        y_opened += count if opened_ and young_ else 0
        y_closed += count if closed_ and young_ else 0
        y_resolved += count if resolved_ and young_ else 0

    by_sex_age = {
        (sex, band): int(count)
        for sex, band, count in db.session.execute(
            sa.select(Party.sex, Party.age_band, sa.func.count())
            .join(Case, Case.id == Party.case_id)
            .where(here, s.opened())
            .group_by(Party.sex, Party.age_band)
        )
    }
    return Section(
        key="inclusion",
        title=_l("Inclusion of women and youth"),
        figures=[
            Figure("session_participants", _l("Session participants"), women + men),
            Figure("session_participants_women", _l("of whom women"), women),
            Figure("session_participants_youth", _l("of whom young people (under 35)"), youth),
            Figure(
                "share_women_participants",
                _l("Share of women among session participants"),
                _rate(women, women + men),
                "rate",
            ),
            Figure(
                "share_youth_participants",
                _l("Share of young people among session participants"),
                _rate(youth, women + men),
                "rate",
            ),
            Figure("mediators_attending", _l("Mediators who attended sessions"), int(actors)),
            Figure("mediators_women", _l("of whom women"), int(women_actors)),
            Figure(
                "share_women_mediators",
                _l("Share of women among mediators"),
                _rate(int(women_actors), int(actors)),
                "rate",
            ),
            Figure("cases_woman_party", _l("Cases opened with a woman party"), w_opened),
            Figure("woman_party_closed", _l("Cases with a woman party closed"), w_closed),
            Figure("woman_party_resolved", _l("of which resolved"), w_resolved),
            Figure(
                "woman_party_resolution_rate",
                _l("Resolution rate of cases with a woman party"),
                _rate(w_resolved, w_closed),
                "rate",
            ),
            Figure("cases_young_party", _l("Cases opened with a young party (under 35)"), y_opened),
            Figure("young_party_closed", _l("Cases with a young party closed"), y_closed),
            Figure("young_party_resolved", _l("of which resolved"), y_resolved),
            Figure(
                "young_party_resolution_rate",
                _l("Resolution rate of cases with a young party"),
                _rate(y_resolved, y_closed),
                "rate",
            ),
        ],
        tables=[
            Table(
                "parties_by_sex_age",
                _l("Parties to the cases opened, by sex and age band"),
                [(band.value, TitleLabel(band)) for band in AgeBand],
                [
                    (
                        sex.value,
                        TitleLabel(sex),
                        [by_sex_age.get((sex.value, b.value), 0) for b in AgeBand],
                    )
                    for sex in Sex
                ],
            )
        ],
    )


def _policing_section(s: _Scope) -> Section:
    here = sa.and_(_within(Activity.unit_id, s.area), s.during(Activity.held_on))
    # One pass over the period's activities: counts and sums by type, unit and month, added
    # up here (a few hundred groups at most).
    held = reached = women = men = youth = 0
    by_type: dict[str, int] = {}
    unit_counts: dict[int, int] = {}
    by_month: dict[tuple[int, int], int] = {}
    for code, unit_id, year, month, count, *sums in db.session.execute(
        sa.select(
            Activity.activity_type,
            Activity.police_unit_id,
            *_month_key(Activity.held_on),
            sa.func.count(),
            _sum(Activity.participants),
            _sum(Activity.women),
            _sum(Activity.men),
            _sum(Activity.youth),
        )
        .where(here)
        .group_by(Activity.activity_type, Activity.police_unit_id, *_month_key(Activity.held_on))
    ):
        count = int(count)
        held += count
        reached, women, men, youth = (
            total + int(n) for total, n in zip((reached, women, men, youth), sums, strict=True)
        )
        by_type[code] = by_type.get(code, 0) + count
        if unit_id is not None:
            unit_counts[unit_id] = unit_counts.get(unit_id, 0) + count
        by_month[(year, month)] = by_month.get((year, month), 0) + count
    by_unit = [
        (unit_id, name, unit_counts[unit_id])
        for unit_id, name in db.session.execute(
            sa.select(PoliceUnit.id, PoliceUnit.name)
            .where(PoliceUnit.id.in_(list(unit_counts)))
            .order_by(PoliceUnit.name, PoliceUnit.id)
        )
    ]

    committees_here = sa.and_(
        _within(SecurityCommittee.unit_id, s.area), SecurityCommittee.is_active.is_(True)
    )
    monthly = int(
        db.session.scalar(sa.select(_sum(SecurityCommittee.monthly_target)).where(committees_here))
    )
    expected = round(monthly * month_share(s.period))
    meetings = sa.and_(
        CommitteeMeeting.committee_id.in_(
            sa.select(SecurityCommittee.id).where(_within(SecurityCommittee.unit_id, s.area))
        ),
        s.during(CommitteeMeeting.held_on),
    )
    meetings_held = int(
        db.session.scalar(sa.select(sa.func.count()).select_from(CommitteeMeeting).where(meetings))
    )
    made, done = (
        int(n)
        for n in db.session.execute(
            sa.select(sa.func.count(), _n(Recommendation.status == RecommendationStatus.DONE.value))
            .join(CommitteeMeeting, CommitteeMeeting.id == Recommendation.meeting_id)
            .where(meetings)
        ).one()
    )
    return Section(
        key="policing",
        title=_l("Community policing"),
        figures=[
            Figure("activities_held", _l("Activities held"), held),
            Figure("people_reached", _l("People reached"), reached),
            Figure("people_reached_women", _l("of whom women"), women),
            Figure("people_reached_men", _l("of whom men"), men),
            Figure("people_reached_youth", _l("of whom young people (under 35)"), youth),
            Figure(
                "committee_meetings_held", _l("Security-committee meetings held"), meetings_held
            ),
            Figure(
                "committee_meetings_expected",
                _l("Security-committee meetings expected (monthly target)"),
                expected,
            ),
            Figure(
                "committee_meetings_rate",
                _l("Meetings held against the target"),
                _rate(meetings_held, expected),
                "rate",
            ),
            Figure("recommendations_made", _l("Recommendations made at these meetings"), made),
            Figure("recommendations_done", _l("of which carried out"), done),
            Figure(
                "recommendations_done_share",
                _l("Share of recommendations carried out"),
                _rate(done, made),
                "rate",
            ),
        ],
        tables=[
            Table(
                "activities_by_type",
                _l("Activities by type"),
                [("activities", _l("activities"))],
                _vocab_rows("activity_type", {code: [n] for code, n in by_type.items()}),
                chart=True,
            ),
            Table(
                "activities_by_unit",
                _l("Activities by community-police unit"),
                [("activities", _l("activities"))],
                [(str(unit_id), name, [int(n)]) for unit_id, name, n in by_unit],
            ),
            Table(
                "activities_by_month",
                _l("Activities by month"),
                [("activities", _l("activities"))],
                _month_rows(s.period, by_month),
                chart=True,
            ),
        ],
    )


def _alerts_here(s: _Scope):
    start, end = s.utc_bounds()
    return sa.and_(
        _within(Alert.unit_id, s.area), Alert.occurred_at >= start, Alert.occurred_at < end
    )


def _early_warning_section(s: _Scope) -> Section:
    here = _alerts_here(s)
    received, verified, answered, became = (
        int(n)
        for n in db.session.execute(
            sa.select(
                sa.func.count(),
                _n(Alert.verified.is_(True)),
                _n(Alert.responded_at.is_not(None)),
                _n(Alert.case_id.is_not(None)),
            ).where(here)
        ).one()
    )
    minutes = [
        (responded_at - occurred_at).total_seconds() // 60
        for occurred_at, responded_at in db.session.execute(
            sa.select(Alert.occurred_at, Alert.responded_at).where(
                here, Alert.responded_at.is_not(None)
            )
        )
    ]
    by_category = _counts(
        sa.select(Alert.category, sa.func.count()).where(here).group_by(Alert.category)
    )
    by_unit = _counts(sa.select(Alert.unit_id, sa.func.count()).where(here).group_by(Alert.unit_id))
    return Section(
        key="early_warning",
        title=_l("Early warning"),
        figures=[
            Figure("alerts_received", _l("Alerts received"), received),
            Figure("alerts_verified", _l("Alerts verified"), verified),
            Figure("alerts_answered", _l("Alerts answered"), answered),
            Figure(
                "median_response_minutes",
                _l("Median response time (minutes)"),
                _median([int(m) for m in minutes]),
                "minutes",
            ),
            Figure("alerts_became_cases", _l("Alerts that became cases"), became),
            Figure(
                "share_became_cases",
                _l("Share of alerts that became cases"),
                _rate(became, received),
                "rate",
            ),
        ],
        tables=[
            Table(
                "alerts_by_category",
                _l("Alerts by threat category"),
                [("alerts", _l("alerts"))],
                _vocab_rows("alert_category", {code: [n] for code, n in by_category.items()}),
                chart=True,
            ),
            Table(
                "alerts_by_commune",
                _l("Alerts by commune"),
                [("alerts", _l("alerts"))],
                _commune_rows(by_unit),
            ),
        ],
    )


def _serious_crime_section(s: _Scope) -> Section:
    cases = _counts(
        sa.select(Case.conflict_type, sa.func.count())
        .where(s.cases_here(), s.opened(), Case.conflict_type.in_(s.serious))
        .group_by(Case.conflict_type)
    )
    alerts = _counts(
        sa.select(Alert.category, sa.func.count())
        .where(_alerts_here(s), Alert.category.in_(SERIOUS_ALERT_CATEGORIES))
        .group_by(Alert.category)
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
                _vocab_rows("conflict_type", {code: [n] for code, n in cases.items()}),
            ),
            Table(
                "serious_alerts_by_category",
                _l("Alerts of crimes, by category"),
                [("alerts", _l("alerts"))],
                _vocab_rows("alert_category", {code: [n] for code, n in alerts.items()}),
            ),
        ],
    )


SECTIONS = (
    _cases_section,
    _timeliness_section,
    _compliance_section,
    _harm_section,
    _inclusion_section,
    _policing_section,
    _early_warning_section,
    _serious_crime_section,
)


def build_report(
    period: Period,
    area: AdminUnit | None,
    *,
    anonymised: bool = False,
    threshold: int = 5,
) -> Report:
    """Every indicator of DOMAIN.md §7 for the period and the area (None: everywhere).

    With ``anonymised``, small counts are hidden for partners (see ``anonymise``).
    """
    scope = _Scope(period, area, sorted(vocab.mandatory_referral_codes()))
    report = Report(
        period=period,
        area_code=area.code if area is not None else None,
        area_name=area.name if area is not None else None,
        anonymised=False,
        sections=[section(scope) for section in SECTIONS],
    )
    if anonymised:
        from casework.reports.anonymise import anonymise

        report = anonymise(report, threshold)
    return report
