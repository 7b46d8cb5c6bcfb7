"""The case list with its filters and search, and the follow-ups due."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from casework.cases import services
from casework.cases.forms import (
    CaseFilterForm,
    blank,
)
from casework.cases.states import CaseStatus, LadderLevel
from casework.cases.views.common import bp, mediator_choices, unit_choices
from casework.core.forms import int_or_none
from casework.core.pagination import requested_page
from casework.db import utcnow
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab


@bp.route("/cases")
@requires(Resource.CASE, Action.VIEW)
def list_cases():
    form = CaseFilterForm(request.args)
    form.area.choices = [("", _("My whole area"))] + unit_choices()[1:]
    form.type.choices = blank(_("All types")) + vocab.choices("conflict_type")
    form.status.choices = blank(_("All statuses")) + CaseStatus.choices()
    form.level.choices = blank(_("All levels")) + LadderLevel.choices()
    form.mediator.choices = [("", _("Anyone"))] + mediator_choices()[1:]
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
        form=form,
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
