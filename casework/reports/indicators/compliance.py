"""Section "compliance": the follow-up visits done in the period by compliance and by visit
(D+30, D+90…), and the recurrence of conflicts within 12 months of their resolution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from casework.cases.enums import Compliance, Species, TermKind, TermStatus
from casework.cases.models import Agreement, AgreementTerm, Case, FollowUp, TermInstalment
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators.common import (
    Row,
    TitleLabel,
    add_months,
    count_if,
    rate,
    sum_of,
)
from casework.reports.indicators.scope import RESOLVED, Scope
from casework.reports.model import Figure, Section, Table


def section(s: Scope) -> Section:
    days = tuple(current_app.config["FOLLOW_UP_DAYS"])
    rows = _visit_rows(s, len(days))
    recurrence = _recurrence(s)
    return Section(
        key="compliance",
        title=_l("Compliance with agreements"),
        figures=[
            Figure(
                "resolved_last_12_months",
                _l("Cases closed resolved in the 12 months up to the period's end"),
                int(recurrence.resolved),
            ),
            Figure(
                "recurrences",
                _l("Of which the conflict recurred within 12 months"),
                int(recurrence.recurred),
            ),
            Figure(
                "recurrence_rate",
                _l("Recurrence rate within 12 months"),
                rate(int(recurrence.recurred), int(recurrence.resolved)),
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


def _visit_rows(s: Scope, visits: int) -> list[Row]:
    """Visits done in the period, one row per compliance level, one column per visit."""
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
        .where(s.mediable_here(), s.during(FollowUp.done_on), FollowUp.agreement_id.is_not(None))
        .subquery()
    )
    found = {
        (row.compliance, int(row.visit)): int(row.visits_done)
        for row in db.session.execute(
            sa.select(
                done.c.visit, done.c.compliance, sa.func.count().label("visits_done")
            ).group_by(done.c.visit, done.c.compliance)
        )
    }
    return [
        (
            member.value,
            TitleLabel(member),
            [found.get((member.value, index), 0) for index in range(1, visits + 1)],
        )
        for member in Compliance
    ]


def _recurrence(s: Scope):
    """How many mediable cases of the area were closed resolved in the 12 months up to the
    period's end (``resolved``), and how many of them recurred by then (``recurred``)."""
    window_start = add_months(s.end, -12) + timedelta(days=1)
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
    return db.session.execute(
        sa.select(sa.func.count().label("resolved"), count_if(recurred).label("recurred")).where(
            s.mediable_here(),
            Case.status == RESOLVED,
            Case.closed_on.between(window_start, s.end),
        )
    ).one()


# --- the terms of agreements: compliance and compensation (issue 14) ------------------------
#
# A separate section ("obligations"), built here beside the visits' compliance, so that the
# annex of definitions can quote each row's docstring.

# How the amounts owed are counted: FCFA (cash and diya together), heads by species.
FCFA = "fcfa"
MONEY_KINDS = (TermKind.CASH.value, TermKind.DIYA.value)


def obligations_section(s: Scope) -> Section:
    due = _terms_due(s)
    agreed, paid, outstanding = _compensation(s)
    return Section(
        key="obligations",
        title=_l("Terms of agreements and compensation"),
        figures=[
            Figure("terms_due", _l("Terms due in the period"), due.terms),
            Figure("terms_done", _l("Of which done by the period's end"), due.done),
            Figure(
                "term_compliance_rate",
                _l("Compliance rate by term"),
                rate(due.done, due.terms),
                "rate",
            ),
            Figure(
                "agreements_with_terms_due",
                _l("Agreements with terms due in the period"),
                due.agreements,
            ),
            Figure(
                "agreements_compliant",
                _l("Of which every term due was done and none breached"),
                due.compliant,
            ),
            Figure(
                "agreement_compliance_rate",
                _l("Compliance rate by agreement"),
                rate(due.compliant, due.agreements),
                "rate",
            ),
            Figure(
                "compensation_agreed_fcfa",
                _l("Compensation agreed in the period (FCFA)"),
                agreed.get(FCFA, 0),
                "fcfa",
            ),
            Figure(
                "compensation_paid_fcfa",
                _l("Compensation paid in the period (FCFA)"),
                paid.get(FCFA, 0),
                "fcfa",
            ),
            Figure(
                "compensation_outstanding_fcfa",
                _l("Compensation outstanding at the period's end (FCFA)"),
                outstanding.get(FCFA, 0),
                "fcfa",
            ),
        ],
        tables=[
            Table(
                "livestock_compensation",
                _l("Livestock owed under agreements, in heads by species"),
                [
                    ("agreed", _l("Agreed in the period")),
                    ("paid", _l("Paid in the period")),
                    ("outstanding", _l("Outstanding at the period's end")),
                ],
                [
                    (
                        species.value,
                        TitleLabel(species),
                        [
                            agreed.get(species.value, 0),
                            paid.get(species.value, 0),
                            outstanding.get(species.value, 0),
                        ],
                    )
                    for species in Species
                ],
                short_title=_l("Livestock owed"),
            )
        ],
    )


@dataclass(frozen=True)
class TermsDue:
    terms: int
    done: int
    agreements: int
    compliant: int


def _terms_due(s: Scope) -> TermsDue:
    """Compliance by term and by agreement, over the terms due in the period.

    - *Terms due*: the terms whose deadline falls in the period, on the area's mediable
      cases (a term without a deadline is never due).
    - *Compliance rate by term* = terms done by the period's end (status done, dated on or
      before the end) ÷ terms due. A term breached, late or partly done is due, not done.
    - *Agreements with terms due*: the agreements that have at least one term due.
    - *Compliance rate by agreement* = those of them whose every term due was done by the
      period's end and that were not found breached by then (a term marked breached or a
      follow-up visit finding "not respected") ÷ agreements with terms due.
    """
    done = sa.and_(AgreementTerm.status == TermStatus.DONE.value, AgreementTerm.status_on <= s.end)
    rows = db.session.execute(
        sa.select(
            AgreementTerm.agreement_id,
            Agreement.breached_on,
            sa.func.count().label("terms"),
            count_if(done).label("done"),
        )
        .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .join(Case, Case.id == Agreement.case_id)
        .where(s.during(AgreementTerm.due_on), s.mediable_here())
        .group_by(AgreementTerm.agreement_id, Agreement.breached_on)
    ).all()
    return TermsDue(
        terms=sum(int(row.terms) for row in rows),
        done=sum(int(row.done) for row in rows),
        agreements=len(rows),
        compliant=sum(
            1
            for row in rows
            if row.done == row.terms and (row.breached_on is None or row.breached_on > s.end)
        ),
    )


def _compensation(s: Scope) -> tuple[dict, dict, dict]:
    """Compensation agreed, paid and outstanding, in FCFA (cash and diya) and in heads of
    livestock by species, on the area's mediable cases.

    - *Agreed*: the amounts of the terms of the agreements concluded in the period.
    - *Paid*: the instalments paid in the period, whatever the agreement's date.
    - *Outstanding*: at the period's end, on the agreements concluded by then, what their
      terms owe minus the instalments paid by then; a term done by then (paid in full, or
      marked done) owes nothing more.
    """
    unit = sa.case((AgreementTerm.kind.in_(MONEY_KINDS), FCFA), else_=AgreementTerm.species).label(
        "unit"
    )
    paid_by_end = (
        sa.select(
            TermInstalment.term_id.label("term_id"),
            sum_of(TermInstalment.amount_paid).label("paid"),
        )
        .where(TermInstalment.paid_on <= s.end)
        .group_by(TermInstalment.term_id)
        .subquery()
    )
    done_by_end = sa.and_(
        AgreementTerm.status == TermStatus.DONE.value, AgreementTerm.status_on <= s.end
    )
    owed = AgreementTerm.amount - sa.func.coalesce(paid_by_end.c.paid, 0)
    agreed, outstanding = {}, {}
    for row in db.session.execute(
        sa.select(
            unit,
            sum_of(sa.case((s.during(Agreement.concluded_on), AgreementTerm.amount))).label(
                "agreed"
            ),
            sum_of(sa.case((sa.and_(sa.not_(done_by_end), owed > 0), owed))).label("outstanding"),
        )
        .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .join(Case, Case.id == Agreement.case_id)
        .outerjoin(paid_by_end, paid_by_end.c.term_id == AgreementTerm.id)
        .where(
            AgreementTerm.amount.is_not(None),
            Agreement.concluded_on <= s.end,
            s.mediable_here(),
        )
        .group_by(unit)
    ):
        agreed[row.unit] = int(row.agreed)
        outstanding[row.unit] = int(row.outstanding)
    paid = {
        row.unit: int(row.paid)
        for row in db.session.execute(
            sa.select(unit, sum_of(TermInstalment.amount_paid).label("paid"))
            .join(AgreementTerm, AgreementTerm.id == TermInstalment.term_id)
            .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
            .join(Case, Case.id == Agreement.case_id)
            .where(s.during(TermInstalment.paid_on), s.mediable_here())
            .group_by(unit)
        )
    }
    return agreed, paid, outstanding
