"""Section "compliance": the follow-up visits done in the period by compliance and by visit
(D+30, D+90…), and the recurrence of conflicts within 12 months of their resolution."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from casework.cases.enums import Compliance, Species, TermKind, TermStatus
from casework.cases.models import Agreement, AgreementTerm, Case, FollowUp, TermInstalment
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators import recurrence
from casework.reports.indicators.common import (
    Row,
    TitleLabel,
    count_if,
    rate,
    sum_of,
)
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table


def section(s: Scope) -> Section:
    days = tuple(current_app.config["FOLLOW_UP_DAYS"])
    rows = _visit_rows(s, len(days))
    recurred = recurrence.recurrence(s)
    return Section(
        key="compliance",
        title=_l("Compliance with agreements"),
        figures=[
            Figure(
                "resolved_last_12_months",
                _l("Cases settled in the 12 months before the period"),
                recurred.settled,
                definition=Definition(
                    _l(
                        "Mediable cases closed in the 12 months before the period, resolved "
                        "or after an agreement, whatever state they ended in."
                    )
                ),
            ),
            Figure(
                "recurrences",
                _l("Of which the agreement was breached or the conflict recurred"),
                recurred.recurred,
                definition=Definition(
                    _l(
                        "Of those cases, the ones whose agreement was found not respected or "
                        "which were reopened as a recurrence, by the end of the period."
                    )
                ),
            ),
            Figure(
                "recurrence_rate",
                _l("Recurrence rate at 12 months"),
                rate(recurred.recurred, recurred.settled),
                "rate",
                definition=Definition(
                    _l("Share of the cases settled that were breached or recurred."),
                    _l(
                        "of the cases settled in the 12 months before the period, those "
                        "breached or recurred"
                    ),
                    _l("cases settled in the 12 months before the period"),
                ),
            ),
        ],
        tables=[
            Table(
                "follow_up_compliance",
                _l("Follow-up visits done, by compliance"),
                [(f"d{day}", _l("D+%(days)s", days=day)) for day in days],
                rows,
                definition=Definition(
                    _l(
                        "Follow-up visits done in the period, by what they found and by visit "
                        "(D+30, D+90…)."
                    )
                ),
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
        .where(
            s.rows_here(FollowUp),
            s.mediable(),
            s.during(FollowUp.done_on),
            FollowUp.agreement_id.is_not(None),
        )
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
            Figure(
                "terms_due",
                _l("Terms due in the period"),
                due.terms,
                definition=Definition(
                    _l(
                        "The terms of agreements whose deadline falls in the period, on the "
                        "area's mediable cases (a term without a deadline is never due)."
                    )
                ),
            ),
            Figure(
                "terms_done",
                _l("Of which done by the period's end"),
                due.done,
                definition=Definition(
                    _l("The terms due in the period that were fulfilled by the period's end.")
                ),
            ),
            Figure(
                "term_compliance_rate",
                _l("Compliance rate by term"),
                rate(due.done, due.terms),
                "rate",
                definition=Definition(
                    _l("The share of the terms due in the period that were fulfilled by its end."),
                    numerator=_l("Terms fulfilled by the period's end"),
                    denominator=_l("Terms due in the period"),
                ),
            ),
            Figure(
                "agreements_with_terms_due",
                _l("Agreements with terms due in the period"),
                due.agreements,
                definition=Definition(
                    _l("The agreements with at least one term due in the period.")
                ),
            ),
            Figure(
                "agreements_compliant",
                _l("Of which every term due was done and none breached"),
                due.compliant,
                definition=Definition(
                    _l(
                        "The agreements with terms due whose every term due was fulfilled by "
                        "the period's end and that were not found breached by then (a term "
                        "breached, or a visit that found the agreement not respected)."
                    )
                ),
            ),
            Figure(
                "agreement_compliance_rate",
                _l("Compliance rate by agreement"),
                rate(due.compliant, due.agreements),
                "rate",
                definition=Definition(
                    _l("The share of the agreements with terms due that were fully respected."),
                    numerator=_l("Agreements whose every term due was fulfilled, none breached"),
                    denominator=_l("Agreements with terms due in the period"),
                ),
            ),
            Figure(
                "compensation_agreed_fcfa",
                _l("Compensation agreed in the period (FCFA)"),
                agreed.get(FCFA, 0),
                "fcfa",
                definition=Definition(
                    _l(
                        "The amounts in FCFA (cash and diya) of the terms of the agreements "
                        "concluded in the period."
                    )
                ),
            ),
            Figure(
                "compensation_paid_fcfa",
                _l("Compensation paid in the period (FCFA)"),
                paid.get(FCFA, 0),
                "fcfa",
                definition=Definition(
                    _l("The instalments in FCFA paid in the period, whatever the agreement's date.")
                ),
            ),
            Figure(
                "compensation_outstanding_fcfa",
                _l("Compensation outstanding at the period's end (FCFA)"),
                outstanding.get(FCFA, 0),
                "fcfa",
                definition=Definition(
                    _l(
                        "At the period's end, on the agreements concluded by then: what their "
                        "terms in FCFA owe minus the instalments paid by then; a term fulfilled "
                        "owes nothing more."
                    )
                ),
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
                definition=Definition(
                    _l(
                        "Heads of livestock owed under the terms of agreements, by species: "
                        "agreed in the agreements concluded in the period, paid in the period, "
                        "and still owed at the period's end."
                    )
                ),
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
        .where(s.rows_here(AgreementTerm), s.during(AgreementTerm.due_on), s.mediable())
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
    agreed, paid, outstanding = {}, {}, {}
    figures = {AGREED: agreed, PAID: paid, OUTSTANDING: outstanding}
    for row in db.session.execute(sa.union_all(*_compensation_parts(s))):
        figure = figures[row.figure]
        figure[row.unit] = figure.get(row.unit, 0) + int(row.amount)
    return agreed, paid, outstanding


AGREED, PAID, OUTSTANDING = "agreed", "paid", "outstanding"
# The stored statuses of a term not done: with an amount, it still owes what is unpaid.
NOT_DONE = [status for status in TermStatus.stored() if status != TermStatus.DONE.value]


def _compensation_parts(s: Scope) -> list[sa.Select]:
    """``_compensation``'s figures as the parts of one statement, each read from its own
    index rather than from every term of the area's agreements (most are long paid):

    - agreed: the terms of the agreements concluded in the period;
    - outstanding: the terms with an amount not done, and those done after the period's
      end (``AgreementTerm.unpaid``: the amount minus every instalment, by status), plus
      the instalments paid after the end towards them (still owed at the end);
    - paid: the instalments paid in the period.

    Apart from the agreed terms, each part starts from the terms' or the instalments' index,
    and asks of each row's agreement whether it is on the area's mediable cases.
    """
    unit = sa.case((AgreementTerm.kind.in_(MONEY_KINDS), FCFA), else_=AgreementTerm.species)
    owes = AgreementTerm.amount.is_not(None)  # the condition of the index by status
    done = AgreementTerm.status == TermStatus.DONE.value
    by_end = Agreement.concluded_on <= s.end
    area = s.rows_here(AgreementTerm)  # the terms' own unit: the area's from their index

    def part(figure: str, amount, *conditions) -> sa.Select:
        return (
            sa.select(
                sa.literal(figure, sa.String).label("figure"),
                unit.label("unit"),
                sum_of(amount).label("amount"),
            )
            .where(*conditions)
            .group_by(unit)
        )

    def here(*conditions, probed: bool = False):
        # ``probed``: the part starts from the instalments and tests the area on the case (a
        # test of the terms' unit there made PostgreSQL read every term of the country).
        case_here = s.cases_here(probed=True) if probed else sa.true()
        return (
            sa.select(Agreement.id)
            .join(Case, Case.id == Agreement.case_id)
            .where(Agreement.id == AgreementTerm.agreement_id, case_here, s.mediable(), *conditions)
            .exists()
        )

    def instalments(statement: sa.Select) -> sa.Select:
        # Only a term with an amount has instalments: not saying so again (``owes``) keeps
        # SQLite on the instalments' dates rather than on every term with an amount.
        return statement.select_from(TermInstalment).join(
            AgreementTerm, AgreementTerm.id == TermInstalment.term_id
        )

    return [
        part(AGREED, AgreementTerm.amount, owes, s.during(Agreement.concluded_on))
        .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .join(Case, Case.id == Agreement.case_id)
        .where(s.rows_here(Agreement), s.mediable()),
        part(
            OUTSTANDING,
            AgreementTerm.unpaid,
            owes,
            area,
            AgreementTerm.status.in_(NOT_DONE),
            here(by_end),
        ),
        part(
            OUTSTANDING,
            AgreementTerm.unpaid,
            owes,
            area,
            done,
            AgreementTerm.status_on > s.end,
            here(by_end),
        ),
        instalments(
            part(
                OUTSTANDING,
                TermInstalment.amount_paid,
                TermInstalment.paid_on > s.end,
                sa.or_(sa.not_(done), AgreementTerm.status_on > s.end),
                here(by_end, probed=True),
            )
        ),
        instalments(
            part(
                PAID,
                TermInstalment.amount_paid,
                s.during(TermInstalment.paid_on),
                here(probed=True),
            )
        ),
    ]
