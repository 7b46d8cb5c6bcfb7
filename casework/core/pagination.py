"""One page of a list: the rows, the total and the number of pages."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa
from flask import request

from casework.extensions import db

PAGE_SIZE = 25
MAX_PAGE = 100_000
# The lists of "Follow-ups due": a coordinator's area can have thousands of visits and terms
# late, too many for one page on a phone.
DUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    page: int
    pages: int
    args: dict  # the query string without the page, for the pager's links
    # Keyset cursors of the pager's links, where the list has them: "Next" starts after the
    # last row of this page, "Previous" ends before its first row.
    after: str | None = None
    before: str | None = None


def requested_page(name: str = "page") -> int:
    """The page asked for in the query string's ``name``; 1 when it is missing or not a
    number (a broken link shows the first page rather than an error)."""
    try:
        page = int(request.args.get(name, 1))
    except (TypeError, ValueError):
        page = 1
    return min(max(page, 1), MAX_PAGE)


def paginate(statement: sa.Select, order_by, page: int | None = None) -> Page:
    """Page ``page`` (the query string's by default; clamped to the last) of ``statement``
    in the order ``order_by``, ``PAGE_SIZE`` rows, with the query string for the pager."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    found = page_of(statement.order_by(*order_by), total, page or requested_page(), PAGE_SIZE)
    args = {key: value for key, value in request.args.items() if key != "page"}
    return replace(found, args=args)


def page_of(statement: sa.Select, total: int, page: int, size: int) -> Page:
    """Page ``page`` (clamped to the last) of ``statement``, already ordered, whose rows
    number ``total``; the pager's links are the caller's (``args`` left empty)."""
    pages = max(1, -(-total // size))
    page = min(page, pages)
    rows = list(db.session.scalars(statement.limit(size).offset((page - 1) * size)).unique())
    return Page(rows, total, page, pages, {})
