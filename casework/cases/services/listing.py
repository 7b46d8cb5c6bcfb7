"""The case list: filters, counts, keyset pages, the free-text search, follow-ups due."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import counts, due
from casework.cases.access import (
    area_clause,
    confidentiality_clause,
    details_hidden_clause,
    secret_hidden_condition,
)
from casework.cases.models import (
    Actor,
    Agreement,
    Case,
    FollowUp,
    Fraction,
    MediationSession,
    Party,
    Referral,
)
from casework.cases.search_index import FTS_TABLE, MIN_TRIGRAM
from casework.cases.services.places import any_place_within
from casework.cases.states import CaseStatus
from casework.core import checks, pagination
from casework.core.pagination import MAX_PAGE, PAGE_SIZE, Page, page_of
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import AdminUnit
from casework.roles import Role
from casework.text import search_tokens
from casework.vocab import services as vocab


@dataclass
class CaseFilters:
    area_id: int | None = None
    conflict_type: str | None = None
    status: str | None = None
    ladder_level: int | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    mediator_id: int | None = None
    text: str | None = None
    archived: str = "no"  # "no" (the default list), "yes" (only archived ones) or "all"


ARCHIVED_CHOICES = ("no", "yes", "all")


@functools.cache
def archived_case_ids() -> sa.Select:
    """The ids of the archived cases (a few, read from their partial index).

    Lists leave archived cases out with ``Case.id NOT IN (...)`` rather than ``archived_at IS
    NULL``: the id is in every index, so counts and pages stay index-only (at 100 000 cases on
    SQLite a count went from 2 ms to 100 ms with ``IS NULL``). Built once: statements are
    immutable, and building the alias cost about 1 ms a list page.
    """
    archived = sa.orm.aliased(Case, name="archived_cases")
    return sa.select(archived.id).where(archived.archived_at.is_not(None))


def not_archived() -> sa.ColumnElement[bool]:
    return Case.id.not_in(archived_case_ids())


def _archive_filter(statement: sa.Select, archived: str) -> sa.Select:
    if archived == "yes":
        return statement.where(Case.id.in_(archived_case_ids()))
    if archived == "all":
        return statement
    return statement.where(not_archived())


def filtered_cases(user: User, filters: CaseFilters) -> sa.Select:
    """The user's visible cases narrowed by the list's filters and the free-text search."""
    return _archive_filter(_filtered_cases(user, filters), filters.archived)


def _counting(statement: sa.Select) -> sa.ScalarSelect:
    ids_only = statement.with_only_columns(Case.id)
    return sa.select(sa.func.count()).select_from(ids_only.subquery()).scalar_subquery()


def _count(statement: sa.Select) -> int:
    return db.session.scalar(sa.select(_counting(statement))) or 0


def case_listing(
    user: User,
    filters: CaseFilters,
    page: int,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> Page:
    """One page of the case list. Without archived cases, the total is every match less the
    archived ones: two counts that read indexes only."""
    unfiltered = _filtered_cases(user, filters)
    total = None
    if filters.archived not in ("yes", "all"):
        total = _counted_total(user, filters)
        if total is None:  # both counts in one round trip
            both = _counting(unfiltered) - _counting(_archive_filter(unfiltered, "yes"))
            total = db.session.scalar(sa.select(both)) or 0
    return case_page(
        _archive_filter(unfiltered, filters.archived),
        page,
        total=total,
        after=after,
        before=before,
    )


def _counted_total(user: User, filters: CaseFilters) -> int | None:
    """The list's total from the count table (``casework.cases.counts``) when only the
    status and the type narrow it; None for the other filters, which count the cases."""
    narrowed = (
        filters.area_id,
        filters.ladder_level,
        filters.reported_from,
        filters.reported_to,
        filters.mediator_id,
        search_tokens(filters.text),
    )
    if any(value not in (None, [], "") for value in narrowed):
        return None
    return counts.listed_total(user, status=filters.status, conflict_type=filters.conflict_type)


def _area(unit_id: int) -> geo.UnitChoice | AdminUnit | None:
    """The chosen area (its path is what the filter reads): from the process's list of the
    units valid today (the area select offers only those), else from the database (an
    expired unit still filters): ``session.get`` loaded a whole unit on every filtered page."""
    for unit in geo.unit_choice_list():
        if unit.id == unit_id:
            return unit
    return db.session.get(AdminUnit, unit_id)


def _filtered_cases(user: User, filters: CaseFilters) -> sa.Select:
    statement = sa.select(Case).where(
        area_clause(user), confidentiality_clause(user, gbv_by_type=True)
    )
    if filters.area_id:
        area = _area(filters.area_id)
        if area is not None:
            # Any of the case's places: the incident's, a party's home commune, the route.
            statement = statement.where(any_place_within(area))
    if filters.conflict_type:
        statement = statement.where(Case.conflict_type == filters.conflict_type)
    if filters.status:
        statement = statement.where(Case.status == filters.status)
    if filters.ladder_level is not None:
        statement = statement.where(Case.ladder_level == filters.ladder_level)
    if filters.reported_from:
        statement = statement.where(Case.reported_on >= filters.reported_from)
    if filters.reported_to:
        statement = statement.where(Case.reported_on <= filters.reported_to)
    if filters.mediator_id:
        statement = statement.where(Case.assigned_mediator_id == filters.mediator_id)
    tokens = search_tokens(filters.text)
    if tokens:
        statement = statement.where(search_clause(tokens))
        hidden = details_hidden_clause(user)
        if hidden is not None:
            # The names and narrative of a restricted case are not the user's to search:
            # such a case is found by its reference only.
            by_reference = sa.and_(
                *(sa.func.lower(Case.reference).contains(t, autoescape=True) for t in tokens)
            )
            statement = statement.where(sa.or_(sa.not_(hidden), by_reference))
    return statement


LIST_ORDER = (Case.reported_on.desc(), Case.id.desc())
CURSOR_KEYS = ("after", "before")


@dataclass(frozen=True)
class Cursor:
    """A place in the case list's order (reported on, newest first, then id): the pager's
    links carry it, so that the next page starts where this one ended (keyset pagination)
    instead of skipping every earlier row."""

    reported_on: date
    id: int

    def __str__(self) -> str:
        return f"{self.reported_on.isoformat()}.{self.id}"

    @classmethod
    def of(cls, case: Case | CaseRow) -> Cursor:
        return cls(case.reported_on, case.id)


def parse_cursor(text: str | None) -> Cursor | None:
    """``2025-03-02.81234``, or None for anything else (the page number is used then)."""
    if not text or len(text) > 40:
        return None
    day, _, ident = text.partition(".")
    try:
        cursor = Cursor(date.fromisoformat(day), int(ident))
    except ValueError:
        return None
    return cursor if 0 < cursor.id < 2**62 else None


@dataclass(frozen=True, slots=True)
class UnitRow:
    """What a list row shows of its place, and what the access checks read of it."""

    id: int
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A row of the case list: the columns it shows and the access checks read (whether the
    user sees its details), read as plain rows. Whole cases cost ≈8 ms a page at 100 000
    cases: the identity map, and every date-time column of the case, its place and its
    mediator converted, for 25 rows that show none of them."""

    id: int
    reference: str
    reported_on: date
    title: str
    title_lang: str | None
    title_translation: str | None
    conflict_type: str
    status: str
    ladder_level: int
    confidentiality: str
    assigned_mediator_id: int | None
    is_archived: bool
    is_anonymised: bool
    unit: UnitRow

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)

    @classmethod
    def of(cls, row: sa.Row) -> CaseRow:
        *fields, unit_id, unit_name, unit_path = row
        return cls(*fields, unit=UnitRow(unit_id, unit_name, unit_path))


_ROWS = (
    sa.select(
        Case.id,
        Case.reference,
        Case.reported_on,
        Case.title,
        Case.title_lang,
        Case.title_translation,
        Case.conflict_type,
        Case.status,
        Case.ladder_level,
        Case.confidentiality,
        Case.assigned_mediator_id,
        Case.archived_at.is_not(None),
        Case.anonymised_at.is_not(None),
        AdminUnit.id,
        AdminUnit.name,
        AdminUnit.path,
    )
    .join(AdminUnit, AdminUnit.id == Case.unit_id)
    .order_by(*LIST_ORDER)
)


def _key() -> sa.Tuple:
    return sa.tuple_(Case.reported_on, Case.id)


def case_page(
    statement: sa.Select,
    page: int,
    *,
    total: int | None = None,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> Page:
    """One page of the case list, in three lean queries whatever the page: the count and the
    page's ids read only indexes, then the 25 cases are loaded by id.

    The pager's links carry a cursor: with ``after`` (Next) the page's ids are the first ones
    past it in the list's order, with ``before`` (Previous) the last ones before it, so a deep
    page reached through the pager reads 25 index entries, as page 1 does. A page number alone
    (a typed or older link) skips the earlier rows with OFFSET, as before."""
    from flask import request

    page = min(max(page or 1, 1), MAX_PAGE)
    ids_only = statement.with_only_columns(Case.id)
    if total is None:
        total = _count(statement)
    pages = max(1, -(-total // PAGE_SIZE))
    ids: list[int] = []
    if after is not None and page > 1:
        ids = db.session.scalars(
            ids_only.where(_key() < sa.tuple_(after.reported_on, after.id))
            .order_by(*LIST_ORDER)
            .limit(PAGE_SIZE)
        ).all()
    elif before is not None and page > 1:
        ids = db.session.scalars(
            ids_only.where(_key() > sa.tuple_(before.reported_on, before.id))
            .order_by(Case.reported_on, Case.id)
            .limit(PAGE_SIZE)
        ).all()
        if len(ids) < PAGE_SIZE:  # the list changed since: start again from the top
            ids, page = [], 1
    if not ids:
        ids = db.session.scalars(
            ids_only.order_by(*LIST_ORDER).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()
    rows = [CaseRow.of(row) for row in db.session.execute(_ROWS.where(Case.id.in_(ids)))]
    page = min(page, pages)
    args = {
        key: value
        for key, value in request.args.items()
        if key != "page" and key not in CURSOR_KEYS
    }
    return Page(
        rows,
        total,
        page,
        pages,
        args,
        after=str(Cursor.of(rows[-1])) if rows and page < pages else None,
        before=str(Cursor.of(rows[0])) if rows and page > 1 else None,
    )


SEARCH_IDS_MAX = 2000  # matches of a search read once as ids, below SQLite's 32 766 variables


def search_clause(tokens: list[str]) -> sa.ColumnElement[bool]:
    """Cases whose folded search text contains every token (already folded), through the
    search index: SQLite's FTS5 trigram table for words of three letters or more (shorter
    ones, and other databases, use LIKE, which PostgreSQL's trigram index serves)."""
    conditions = []
    indexed = [t for t in tokens if len(t) >= MIN_TRIGRAM]
    if db.engine.dialect.name == "sqlite" and indexed:
        fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column(FTS_TABLE))
        # Folded tokens hold only a-z, 0-9: quoting each makes it a literal substring.
        match = " AND ".join(f'"{token}"' for token in indexed)
        matches = sa.select(fts.c.rowid).where(fts.c[FTS_TABLE].op("MATCH")(match))
        # The list runs its condition three times (two counts and the page): the match is
        # read once here, and a usual search (a name: a few hundred cases at most) becomes
        # a list of ids that the primary key serves. Broad words keep the subquery.
        found = db.session.scalars(matches.limit(SEARCH_IDS_MAX + 1)).all()
        conditions.append(Case.id.in_(found if len(found) <= SEARCH_IDS_MAX else matches))
        tokens = [t for t in tokens if len(t) < MIN_TRIGRAM]
    conditions += [Case.search_text.contains(t, autoescape=True) for t in tokens]
    return sa.and_(*conditions)


def due_case_ids(
    user: User, statuses: Sequence[str], case_id: sa.ColumnElement[int], due_by: date
) -> list:
    """Conditions on ``case_id`` (a visit's or an agreement's case) that keep the cases whose
    visits and terms "Follow-ups due" lists: of ``statuses``, owing something by ``due_by``,
    not archived, in the user's area and visible to them; a mediator's own ones only.

    Area first, and only the cases that owe something (issue 19): each case keeps the
    earliest date it owes (``next_due_on``, casework/cases/due.py), and the area's cases
    owing something by ``due_by`` are an index range of ``(unit_id, next_due_on)`` that
    holds the status and the conflict type; the visits' or terms' indexes are probed with
    those few ids rather than with every open case of the area. Archived and secret cases
    are left out by ``id NOT IN`` their few ids, the gender-based violence ones by their type
    (in the index). A mediator's secret cases are all theirs here, so those they may not see
    are left out by a condition on their own case rows."""
    cases = sa.select(Case.id).where(
        area_clause(user),
        Case.next_due_on <= due_by,
        Case.status.in_(statuses),
        Case.id.not_in(archived_case_ids()),
    )
    if user.role == Role.MEDIATOR.value:
        cases = cases.where(Case.assigned_mediator_id == user.id)
        hidden = secret_hidden_condition(user, Case)
        if hidden is not None:
            cases = cases.where(sa.not_(hidden))
    else:
        cases = cases.where(confidentiality_clause(user, gbv_by_type=True))
    return [case_id.in_(cases)]


def _follow_ups_due_query(user: User, within_days: int) -> sa.Select:
    """Visits not yet made, due within ``within_days`` or overdue, on the user's own cases (a
    coordinator's: every case of the area).

    The cases are chosen first, as a list of ids (``due_case_ids``), and each one's
    open visits read from ``ix_follow_ups_done_on`` (``done_on`` NULL, then the case): a
    join let SQLite walk every open visit of the country and read each one's case row to
    find the area's (issue 19)."""
    due_by = checks.today() + timedelta(days=within_days)
    return sa.select(FollowUp).where(
        FollowUp.done_on.is_(None),
        FollowUp.due_on <= due_by,
        *due_case_ids(user, due.VISITED_STATUSES, FollowUp.case_id, due_by),
    )


def _follow_ups_due_listed(user: User, within_days: int) -> sa.Select:
    return (
        _follow_ups_due_query(user, within_days)
        # The visits' cases by id once the visits are found: joined, SQLite read every case
        # row of the area first (an outer join to the case and its place: seconds).
        .options(sa.orm.selectinload(FollowUp.case))
        .order_by(FollowUp.due_on, FollowUp.id)
    )


def follow_ups_due(user: User, *, within_days: int = 7) -> list[FollowUp]:
    return list(db.session.scalars(_follow_ups_due_listed(user, within_days)))


def follow_ups_due_page(user: User, page: int, *, within_days: int = 7) -> Page:
    """One page of ``follow_ups_due``, the most overdue first."""
    total = count_follow_ups_due(user, within_days=within_days)
    statement = _follow_ups_due_listed(user, within_days)
    return page_of(statement, total, page, pagination.DUE_PAGE_SIZE)


def count_follow_ups_due_query(user: User, *, within_days: int = 7) -> sa.Select:
    """The number of visits ``follow_ups_due`` would list, as a query (the dashboard reads
    it with its other figures, in one round trip)."""
    return _follow_ups_due_query(user, within_days).with_only_columns(sa.func.count(FollowUp.id))


def count_follow_ups_due(user: User, *, within_days: int = 7) -> int:
    """The number of visits ``follow_ups_due`` would list, counted by the database."""
    return db.session.scalar(count_follow_ups_due_query(user, within_days=within_days)) or 0


@vocab.register_usage_check
def vocabulary_usage(vocabulary: str, code: str) -> int:
    """How many case records use a term (shown on the vocabulary admin screen)."""
    columns = {
        "conflict_type": [Case.conflict_type],
        "scope": [Case.scope],
        "reporting_channel": [Case.channel],
        "outcome": [Case.outcome, Agreement.outcome],
        "livelihood": [Party.livelihood],
        "session_place": [MediationSession.place],
        "resolution_mechanism": [MediationSession.mechanism],
        "referral_target": [Referral.target],
        "actor_type": [Actor.actor_type],
        "country": [Case.other_country],
        "fraction_group": [Fraction.group_code],
    }.get(vocabulary, [])
    return sum(
        db.session.scalar(sa.select(sa.func.count()).where(column == code)) or 0
        for column in columns
    )
