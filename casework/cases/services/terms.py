"""The terms of an agreement as obligations that are tracked after signing: what each party
owes by when, the instalments paid towards it, and the breach of the agreement.

A term's stored status is pending, partly done, done or breached; "late" is derived
(``AgreementTerm.status_at``): a term not met whose deadline has passed. Instalments move a
term with an amount to partly done, then done when the amount is paid. A term marked
breached, or a follow-up visit that finds the agreement not respected, marks the agreement
breached (``Agreement.breached_on`` and ``breach_reason``); the case's status is left to
the workflow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import due
from casework.cases.enums import EventKind, Species, TermKind, TermStatus
from casework.cases.models import (
    NAME_MAX,
    SHORT_TEXT_MAX,
    Agreement,
    AgreementTerm,
    Case,
    TermInstalment,
)
from casework.cases.services.base import CaseError, _event, _require_open, check_few_words
from casework.cases.services.listing import due_case_ids
from casework.core import checks, pagination
from casework.core.pagination import Page, page_of
from casework.extensions import db
from casework.i18n import _l

# A term's deadline shows in "Follow-ups due" this many days ahead, as a visit does.
TERM_DUE_NOTICE_DAYS = 7


@dataclass
class TermData:
    description: str
    obliged_party_id: int | None = None
    due_on: date | None = None
    kind: str | None = None  # TermKind; none: an action
    species: str | None = None  # Species, for livestock
    amount: int | None = None  # FCFA for cash and diya, heads for livestock


@dataclass
class InstalmentData:
    paid_on: date | None
    amount_paid: int | None
    amount_due: int | None = None
    received_by: str | None = None


def check_term(
    case: Case, data: TermData, *, concluded_on: date | None, required: bool = False
) -> AgreementTerm | None:
    """A new term checked against its case and agreement; None for an empty line of the
    agreement form (no description)."""
    description = checks.check_text(
        data.description, _l("A term"), SHORT_TEXT_MAX, required=required
    )
    kind = data.kind or TermKind.ACTION.value
    if not description:
        if data.amount is not None or kind != TermKind.ACTION.value:
            raise CaseError(_l("Describe each term that owes something."))
        return None
    checks.check_choice(TermKind, kind, _l("What is owed"))
    species = None
    if kind == TermKind.LIVESTOCK.value:
        if not data.species:
            raise CaseError(_l("Say which livestock the term owes."))
        checks.check_choice(Species, data.species, _l("Livestock"))
        species = data.species
    if TermKind(kind).has_amount:
        if not data.amount:
            raise CaseError(
                _l("Say how much the term owes (FCFA, or heads of livestock), more than 0.")
            )
        checks.check_count(data.amount, _l("The amount owed"), checks.MAX_AMOUNT)
    elif data.amount is not None:
        raise CaseError(_l("Only cash, diya and livestock terms have an amount."))
    if data.obliged_party_id is not None and data.obliged_party_id not in {
        party.id for party in case.parties
    }:
        raise CaseError(_l("A term names a party of another case."))
    checks.check_date(data.due_on, _l("A term's deadline"), required=False, future=True)
    if data.due_on is not None and concluded_on is not None and data.due_on < concluded_on:
        raise CaseError(_l("A term's deadline cannot be before the agreement."))
    term = AgreementTerm(
        description=description,
        obliged_party_id=data.obliged_party_id,
        due_on=data.due_on,
        kind=kind,
        species=species,
        amount=data.amount if TermKind(kind).has_amount else None,
        status=TermStatus.PENDING.value,
    )
    term.count_unpaid()
    return term


def _term_event(term: AgreementTerm, by: User, note: str | None = None) -> None:
    case = term.agreement.case
    reason = term.description if not note else f"{term.description}: {note}"
    _event(
        case,
        EventKind.TERM,
        by,
        to_status=term.status,
        reason=reason[:SHORT_TEXT_MAX],
    )


def add_term(agreement: Agreement, data: TermData, by: User) -> AgreementTerm:
    """A term added to an agreement after it was recorded."""
    _require_open(agreement.case)
    term = check_term(agreement.case, data, concluded_on=agreement.concluded_on, required=True)
    agreement.terms.append(term)
    db.session.flush()
    _term_event(term, by)
    db.session.flush()
    return term


def edit_term(term: AgreementTerm, data: TermData, by: User) -> AgreementTerm:
    """A term's wording, party, deadline and amount corrected. What it owes cannot change
    once instalments were paid towards it, nor go below what was paid."""
    _require_open(term.agreement.case)
    _require_not_settled(term)
    checked = check_term(
        term.agreement.case, data, concluded_on=term.agreement.concluded_on, required=True
    )
    if term.instalments and (checked.kind != term.kind or checked.species != term.species):
        raise CaseError(_l("Instalments were paid towards this term: what it owes stays."))
    if term.instalments and checked.amount < term.paid:
        raise CaseError(_l("The amount owed cannot be less than what was already paid."))
    for name in ("description", "obliged_party_id", "due_on", "kind", "species", "amount"):
        setattr(term, name, getattr(checked, name))
    term.count_unpaid()
    _update_paid_status(term, None)
    _term_event(term, by)
    db.session.flush()
    return term


def _require_not_settled(term: AgreementTerm) -> None:
    if term.status in (TermStatus.DONE.value, TermStatus.BREACHED.value):
        raise CaseError(_l("This term is already done or breached."))


def _update_paid_status(term: AgreementTerm, on: date | None) -> None:
    if term.amount is None or not term.instalments:
        return
    if term.paid >= term.amount:
        term.status = TermStatus.DONE.value
        term.status_on = on or max(instalment.paid_on for instalment in term.instalments)
    else:
        term.status = TermStatus.PARTLY_DONE.value
        term.status_on = None


def record_instalment(term: AgreementTerm, data: InstalmentData, by: User) -> TermInstalment:
    """A payment towards a term in FCFA or heads; the term is partly done, or done once the
    amount owed is paid."""
    agreement = term.agreement
    _require_open(agreement.case)
    _require_not_settled(term)
    if term.amount is None:
        raise CaseError(_l("Instalments are paid towards a term of cash, diya or livestock."))
    checks.check_date(
        data.paid_on,
        _l("The date of the payment"),
        not_before=agreement.concluded_on,
        not_before_label=_l("the date of the agreement"),
    )
    if not data.amount_paid or data.amount_paid < 0:
        raise CaseError(_l("Say how much was paid, more than 0."))
    checks.check_count(data.amount_paid, _l("The amount paid"), checks.MAX_AMOUNT)
    checks.check_count(data.amount_due, _l("The amount due"), checks.MAX_AMOUNT)
    if term.paid + data.amount_paid > term.amount:
        raise CaseError(
            _l(
                "This payment is more than what is still owed (%(outstanding)s).",
                outstanding=term.outstanding,
            )
        )
    instalment = TermInstalment(
        amount_due=data.amount_due,
        amount_paid=data.amount_paid,
        paid_on=data.paid_on,
        received_by=checks.optional_text(data.received_by, _l("Received by"), NAME_MAX),
        recorded_by_id=by.id,
    )
    term.instalments.append(instalment)
    db.session.flush()
    term.count_unpaid()
    _update_paid_status(term, data.paid_on)
    _term_event(term, by)
    db.session.flush()
    return instalment


MARKS = (TermStatus.DONE.value, TermStatus.BREACHED.value)


def mark_term(
    term: AgreementTerm, status: str | None, on: date | None, note: str | None, by: User
) -> AgreementTerm:
    """A term marked done, or breached (with its reason in a few words: the agreement is
    then breached too)."""
    agreement = term.agreement
    _require_open(agreement.case)
    _require_not_settled(term)
    if status not in MARKS:
        raise CaseError(_l("A term is marked done or breached."))
    checks.check_date(
        on,
        _l("The date"),
        not_before=agreement.concluded_on,
        not_before_label=_l("the date of the agreement"),
    )
    if status == TermStatus.BREACHED.value:
        note = check_few_words(note, _l("The reason for the breach"))
    else:
        note = checks.optional_text(note, _l("The note"), SHORT_TEXT_MAX)
    term.status = status
    term.status_on = on
    term.status_note = note
    _term_event(term, by, note)
    if status == TermStatus.BREACHED.value:
        mark_breached(agreement, on, f"{term.description}: {note}", by)
    db.session.flush()
    return term


def mark_breached(agreement: Agreement, on: date, reason: str, by: User) -> None:
    """The agreement is not respected: recorded once, on the first breach found (a term
    marked breached or a visit finding "not respected"), in the timeline too."""
    if agreement.breached_on is not None:
        return
    agreement.breached_on = on
    agreement.breach_reason = reason[:SHORT_TEXT_MAX]
    _event(agreement.case, EventKind.BREACH, by, reason=agreement.breach_reason)


def outstanding_terms(case: Case) -> list[AgreementTerm]:
    """The terms of the case's agreements that are not done (pending, partly done, late or
    breached), in the order they were agreed."""
    return list(
        db.session.scalars(
            sa.select(AgreementTerm)
            .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
            .where(Agreement.case_id == case.id, AgreementTerm.status != TermStatus.DONE.value)
            .order_by(Agreement.concluded_on, AgreementTerm.id)
        )
    )


def _terms_due_query(user: User, within_days: int) -> sa.Select:
    """Terms not met whose deadline is past or within ``within_days``, on the cases a
    follow-up visit would be listed for (``listing.follow_ups_due``: the mediator's own,
    the coordinator's area, secret cases as they may see them), the cases chosen first
    (``listing.due_case_ids``)."""
    due_by = checks.today() + timedelta(days=within_days)
    cases = due_case_ids(user, due.TERM_STATUSES, Agreement.case_id, due_by)
    return (
        sa.select(AgreementTerm)
        .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .where(
            AgreementTerm.status.in_(due.OPEN_TERM_STATUSES),
            AgreementTerm.due_on <= due_by,
            *cases,
        )
    )


def terms_due(user: User, *, within_days: int = TERM_DUE_NOTICE_DAYS) -> list[AgreementTerm]:
    """The terms "Follow-ups due" lists beside the visits (``_terms_due_query``)."""
    return list(db.session.scalars(_terms_due_listed(user, within_days)))


def terms_due_page(user: User, page: int, *, within_days: int = TERM_DUE_NOTICE_DAYS) -> Page:
    """One page of ``terms_due``, the latest first."""
    total = count_terms_due(user, within_days=within_days)
    statement = _terms_due_listed(user, within_days)
    return page_of(statement, total, page, pagination.DUE_PAGE_SIZE)


def _terms_due_listed(user: User, within_days: int) -> sa.Select:
    return (
        _terms_due_query(user, within_days)
        .options(
            # The cases by id once the terms are found (joined, SQLite read every case of
            # the area first).
            sa.orm.contains_eager(AgreementTerm.agreement).selectinload(Agreement.case),
            sa.orm.joinedload(AgreementTerm.obliged_party),
            sa.orm.selectinload(AgreementTerm.instalments),
        )
        .order_by(AgreementTerm.due_on, AgreementTerm.id)
    )


def count_terms_due_query(user: User, *, within_days: int = TERM_DUE_NOTICE_DAYS) -> sa.Select:
    """The number of terms ``terms_due`` would list, as a query (for the dashboard)."""
    return _terms_due_query(user, within_days).with_only_columns(sa.func.count(AgreementTerm.id))


def count_terms_due(user: User, *, within_days: int = TERM_DUE_NOTICE_DAYS) -> int:
    """The number of terms ``terms_due`` would list, counted by the database."""
    return db.session.scalar(count_terms_due_query(user, within_days=within_days)) or 0
