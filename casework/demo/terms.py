"""What becomes of an agreement's terms in the demo, decided from the rest of the case's
plan (no random draw, so that the other records of the demo stay as they were):

- a case that will be closed resolved: what is owed in FCFA or heads is paid in two
  instalments (10 and 25 days after the agreement), and the other terms are done by their
  deadline;
- a case whose visit will find the agreement not respected: half of what is owed is paid,
  and the first other term is marked breached on the day of that visit, with its notes;
- a case still in follow-up: half of what is owed is paid, the rest waits (late once its
  deadline has passed, and listed in "Follow-ups due").
"""

from __future__ import annotations

from datetime import date, timedelta

from casework.auth.models import User
from casework.cases import services as case_services
from casework.cases.enums import Compliance, TermStatus
from casework.cases.models import Agreement
from casework.cases.states import CaseStatus
from casework.core import checks

FIRST_INSTALMENT_DAYS = 10
LAST_INSTALMENT_DAYS = 25
ACTION_DONE_DAYS = 20  # a term without a deadline is done this many days after signing


def play_terms(agreement: Agreement, later_steps: list, by: User) -> None:
    today = checks.today()
    resolved = any(
        step.kind == "close" and CaseStatus(step.data["status"]) is CaseStatus.CLOTURE_RESOLU
        for step in later_steps
    )
    breach = next(
        (
            step
            for step in later_steps
            if step.kind == "visit"
            and step.data["compliance"] == Compliance.NOT_RESPECTED.value
            and step.on is not None
        ),
        None,
    )
    concluded = agreement.concluded_on
    parties = agreement.case.parties
    receiver = parties[0].name if parties else None
    first_on = concluded + timedelta(days=FIRST_INSTALMENT_DAYS)
    breached_one = False
    for term in list(agreement.terms):
        if term.amount is not None:
            if first_on > today or (breach is not None and first_on > breach.on):
                continue
            half = term.amount // 2 if not resolved else term.amount - term.amount // 2
            if half:
                _pay(term, first_on, half, receiver, by)
            if resolved and term.paid < term.amount:
                last_on = min(concluded + timedelta(days=LAST_INSTALMENT_DAYS), today)
                _pay(term, last_on, term.amount - term.paid, receiver, by)
        elif resolved:
            done_on = min(term.due_on or concluded + timedelta(days=ACTION_DONE_DAYS), today)
            case_services.mark_term(term, TermStatus.DONE.value, done_on, None, by)
        elif breach is not None and not breached_one:
            case_services.mark_term(
                term, TermStatus.BREACHED.value, breach.on, breach.data["notes"], by
            )
            breached_one = True


def _pay(term, on: date, amount: int, receiver: str | None, by: User) -> None:
    case_services.record_instalment(
        term,
        case_services.InstalmentData(paid_on=on, amount_paid=amount, received_by=receiver),
        by,
    )
