"""Screens of mediation cases. Each view: load (404), check access (403), validate the form,
call one service, commit, flash, redirect.

One blueprint (``common.bp``); each module adds the screens of one concern to it when this
package is imported."""

from casework.cases.views import (
    actors,
    agreements,
    archive,
    case_pages,
    closure,
    intake,
    list_rows,
    listing,
    places,
    referrals,
    sessions,
    terms,
)
from casework.cases.views.common import bp

__all__ = [
    "actors",
    "agreements",
    "archive",
    "bp",
    "case_pages",
    "closure",
    "intake",
    "list_rows",
    "listing",
    "places",
    "referrals",
    "sessions",
    "terms",
]
