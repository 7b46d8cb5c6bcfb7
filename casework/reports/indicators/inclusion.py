"""Section "inclusion": women and young people among session participants, mediators and
parties, and how the cases with a woman or a young party were resolved."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from casework.cases.enums import AgeBand, Sex
from casework.cases.models import Actor, Case, MediationSession, Party, session_actors
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators.common import TitleLabel, count_if, rate
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table

YOUNG_BANDS = sorted(band.value for band in (AgeBand.UNDER_18, AgeBand.YOUTH))


@dataclass
class _WithParty:
    """Cases with a woman (or a young) party: opened, closed and resolved in the period."""

    opened: int = 0
    closed: int = 0
    resolved: int = 0


def section(s: Scope) -> Section:
    held = s.sessions.values()
    women = sum(totals.women for totals in held)
    men = sum(totals.men for totals in held)
    youth = sum(totals.youth for totals in held)
    mediators = _mediators(s)
    woman, young = _cases_with_party(s)
    return Section(
        key="inclusion",
        title=_l("Inclusion of women and youth"),
        figures=[
            Figure(
                "session_participants",
                _l("Session participants"),
                women + men,
                definition=Definition(
                    _l(
                        "Women and men who took part in the sessions held in the period on "
                        "mediable cases."
                    )
                ),
            ),
            Figure(
                "session_participants_women",
                _l("of whom women"),
                women,
                definition=Definition(_l("Women among those participants.")),
            ),
            Figure(
                "session_participants_youth",
                _l("of whom young people (under 35)"),
                youth,
                definition=Definition(_l("Young people (under 35) among those participants.")),
            ),
            Figure(
                "share_women_participants",
                _l("Share of women among session participants"),
                rate(women, women + men),
                "rate",
                definition=Definition(
                    _l("Share of women among the session participants."),
                    _l("women participants"),
                    _l("session participants"),
                ),
            ),
            Figure(
                "share_youth_participants",
                _l("Share of young people among session participants"),
                rate(youth, women + men),
                "rate",
                definition=Definition(
                    _l("Share of young people among the session participants."),
                    _l("young participants"),
                    _l("session participants"),
                ),
            ),
            Figure(
                "mediators_attending",
                _l("Mediators who attended sessions"),
                int(mediators.attending),
                definition=Definition(
                    _l("Distinct mediators who attended a session held in the period.")
                ),
            ),
            Figure(
                "mediators_women",
                _l("of whom women"),
                int(mediators.women),
                definition=Definition(_l("Women among those mediators.")),
            ),
            Figure(
                "share_women_mediators",
                _l("Share of women among mediators"),
                rate(int(mediators.women), int(mediators.attending)),
                "rate",
                definition=Definition(
                    _l("Share of women among the mediators who attended sessions."),
                    _l("women mediators"),
                    _l("mediators who attended sessions"),
                ),
            ),
            Figure(
                "cases_woman_party",
                _l("Cases opened with a woman party"),
                woman.opened,
                definition=Definition(
                    _l("Mediable cases reported in the period with at least one woman party.")
                ),
            ),
            Figure(
                "woman_party_closed",
                _l("Cases with a woman party closed"),
                woman.closed,
                definition=Definition(
                    _l("Mediable cases with a woman party closed in the period.")
                ),
            ),
            Figure(
                "woman_party_resolved",
                _l("of which resolved"),
                woman.resolved,
                definition=Definition(_l("Of those, the cases closed resolved.")),
            ),
            Figure(
                "woman_party_resolution_rate",
                _l("Resolution rate of cases with a woman party"),
                rate(woman.resolved, woman.closed),
                "rate",
                definition=Definition(
                    _l(
                        "Share of the cases with a woman party closed in the period that were "
                        "resolved."
                    ),
                    _l("cases with a woman party closed resolved"),
                    _l("cases with a woman party closed"),
                ),
            ),
            Figure(
                "cases_young_party",
                _l("Cases opened with a young party (under 35)"),
                young.opened,
                definition=Definition(
                    _l("Mediable cases reported in the period with at least one party under 35.")
                ),
            ),
            Figure(
                "young_party_closed",
                _l("Cases with a young party closed"),
                young.closed,
                definition=Definition(
                    _l("Mediable cases with a young party closed in the period.")
                ),
            ),
            Figure(
                "young_party_resolved",
                _l("of which resolved"),
                young.resolved,
                definition=Definition(_l("Of those, the cases closed resolved.")),
            ),
            Figure(
                "young_party_resolution_rate",
                _l("Resolution rate of cases with a young party"),
                rate(young.resolved, young.closed),
                "rate",
                definition=Definition(
                    _l(
                        "Share of the cases with a young party closed in the period that were "
                        "resolved."
                    ),
                    _l("cases with a young party closed resolved"),
                    _l("cases with a young party closed"),
                ),
            ),
        ],
        tables=[_parties_by_sex_age(s)],
    )


def _mediators(s: Scope):
    """The distinct mediators of the period's sessions (``attending``), then their sex
    (``women``): one row per actor."""
    # The distinct actors of the period's sessions first, then their rows: as an
    # ``actor IN (…)`` test, PostgreSQL walked every session of each actor (every year) to
    # find one in the period, 6 s at a million cases.
    attended = (
        sa.select(session_actors.c.actor_id)
        .join(MediationSession, MediationSession.id == session_actors.c.session_id)
        .join(Case, Case.id == MediationSession.case_id)
        .where(s.rows_here(MediationSession), s.mediable(), s.during(MediationSession.held_on))
        .distinct()
        .subquery()
    )
    return db.session.execute(
        sa.select(
            sa.func.count().label("attending"),
            count_if(Actor.sex == Sex.FEMALE.value).label("women"),
        )
        .select_from(Actor)
        .join(attended, attended.c.actor_id == Actor.id)
    ).one()


def _cases_with_party(s: Scope) -> tuple[_WithParty, _WithParty]:
    """The mediable cases opened or closed in the period with a woman party, and with a
    young party."""

    def party(condition):
        return sa.select(Party.id).where(Party.case_id == Case.id, condition).exists()

    # Each case's two party tests run once: the cases are grouped by what they are
    # (opened, closed, resolved, with a woman, with a young party), at most 32 groups.
    closed = s.closed()
    flags = [
        sa.case((condition, 1), else_=0).label(name)
        for name, condition in (
            ("opened", s.opened()),
            ("closed", closed),
            ("resolved", s.resolved(closed)),
            ("woman", party(Party.sex == Sex.FEMALE.value)),
            ("young", party(Party.age_band.in_(YOUNG_BANDS))),
        )
    ]
    woman, young = _WithParty(), _WithParty()
    for row in db.session.execute(
        sa.select(*flags, sa.func.count().label("cases"))
        .where(s.mediable_here(), sa.or_(s.opened(), closed))
        .group_by(*(sa.literal_column(flag.name) for flag in flags))
    ):
        cases = int(row.cases)
        for totals, member in ((woman, row.woman), (young, row.young)):
            if member:
                totals.opened += cases if row.opened else 0
                totals.closed += cases if row.closed else 0
                totals.resolved += cases if row.resolved else 0
    return woman, young


def _parties_by_sex_age(s: Scope) -> Table:
    """The parties to the cases opened, by sex and age band (every cell, zeros included)."""
    by_sex_age = {
        (row.sex, row.age_band): int(row.parties)
        for row in db.session.execute(
            sa.select(Party.sex, Party.age_band, sa.func.count().label("parties"))
            .join(Case, Case.id == Party.case_id)
            .where(s.mediable_here(), s.opened())
            .group_by(Party.sex, Party.age_band)
        )
    }
    return Table(
        "parties_by_sex_age",
        _l("Parties to the cases opened, by sex and age band"),
        [(band.value, TitleLabel(band)) for band in AgeBand],
        [
            (
                sex.value,
                TitleLabel(sex),
                [by_sex_age.get((sex.value, band.value), 0) for band in AgeBand],
            )
            for sex in Sex
        ],
        short_title=_l("Parties by sex and age"),
        definition=Definition(
            _l("Parties to the mediable cases reported in the period, by sex and age band.")
        ),
    )
