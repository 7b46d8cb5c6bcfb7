"""The case list with its filters and search, and the follow-ups due."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup

from casework.cases import services
from casework.cases.forms import (
    CaseFilterForm,
    blank,
)
from casework.cases.states import CaseStatus, LadderLevel
from casework.cases.views.common import bp, mediator_choices, unit_choices
from casework.core import versions
from casework.core.forms import int_or_none
from casework.core.pagination import requested_page
from casework.db import utcnow
from casework.geo import services as geo
from casework.i18n import _, writing_language
from casework.memo import Memo
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab

# What the filter's choices are built from: places, vocabularies, colleagues.
_CHOICES_FROM = ("geo", "vocab", "users")
# The filter's choices per role, area and language, and the forms written per choices and
# input (issue 19: both were a third of a list page). Stores of their own: many areas and
# searches must not push the vocabularies out of the shared one.
_CHOICES_KEPT: Memo[dict] = Memo(512)
_FILTERS_WRITTEN: Memo[Markup] = Memo(256)


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "area": [("", _("My whole area"))] + unit_choices()[1:],
        "type": blank(_("All types")) + vocab.choices("conflict_type"),
        "status": blank(_("All statuses")) + CaseStatus.choices(),
        "level": blank(_("All levels")) + LadderLevel.choices(),
        "mediator": [("", _("Anyone"))] + mediator_choices()[1:],
    }


def _chooser() -> tuple:
    """Whose filter choices these are: they depend on the role and the area (places within
    it, colleagues around it), are written in the page's language, and hold the places valid
    today."""
    return (
        "case filters",
        writing_language(),
        current_user.role,
        current_user.area_id,
        geo.today(),
    )


def _filters_html(form: CaseFilterForm, valid: bool) -> Markup:
    """The filter form, written once per user's choices, language and input while the data
    it shows stays the same (a form with errors is written each time)."""
    context = {
        "form": form,
        "details_open": len(request.args) > (1 if "q" in request.args else 0),
        "clearable": bool(request.args),
    }

    def write() -> Markup:
        return Markup(render_template("cases/_list_filters.html", **context))  # noqa: S704 (Jinja's escaped output)

    stamp = versions.stamp(*_CHOICES_FROM)
    if not valid or stamp is None:
        return write()
    # What was entered in the fields it shows (the page number is not one of them).
    entered = tuple(
        (name, tuple(request.args.getlist(name))) for name in form.data if name != "page"
    )
    key = (stamp, _chooser(), entered, context["details_open"], context["clearable"])
    return _FILTERS_WRITTEN.get_or_make(key, write)


@bp.route("/cases")
@requires(Resource.CASE, Action.VIEW)
def list_cases():
    form = CaseFilterForm(request.args)
    choices = versions.cached(_CHOICES_FROM, _filter_choices, key=_chooser(), store=_CHOICES_KEPT)
    for name, listed in choices.items():
        form[name].choices = listed
    valid = form.validate() if request.args else True
    filters = services.CaseFilters()
    page, after, before = 1, None, None
    if valid:
        filters = services.CaseFilters(
            area_id=int_or_none(form.area.data),
            conflict_type=form.type.data or None,
            status=form.status.data or None,
            ladder_level=int_or_none(form.level.data),
            reported_from=form.reported_from.data,
            reported_to=form.reported_to.data,
            mediator_id=int_or_none(form.mediator.data),
            text=form.q.data,
            archived=form.archived.data or "no",
        )
        page = form.page.data or 1
        after = services.parse_cursor(request.args.get("after"))
        before = services.parse_cursor(request.args.get("before"))
    listing = services.case_listing(current_user, filters, page, after=after, before=before)
    return render_template(
        "cases/list_cases.html",
        filters_html=_filters_html(form, valid),
        listing=listing,
        valid=valid,
        label=vocab.label,
    ), (200 if valid else 400)


@bp.route("/follow-ups")
@requires(Resource.CASE, Action.VIEW)
def follow_ups_due():
    # Each list pages on its own (``visits``, ``terms``), the other's page kept in its links.
    visits = services.follow_ups_due_page(current_user, requested_page("visits"))
    terms = services.terms_due_page(current_user, requested_page("terms"))
    return render_template(
        "cases/follow_ups_due.html", visits=visits, terms=terms, today=utcnow().date()
    )
