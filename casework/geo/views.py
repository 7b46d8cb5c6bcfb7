"""Screens of the geo domain: browse the tree (everyone signed in), import units (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework.core.forms import apply_form
from casework.geo import services
from casework.geo.forms import ImportUnitsForm
from casework.i18n import _
from casework.permissions import Action, Resource, requires

bp = Blueprint("geo", __name__)

SEARCH_LIMIT = 50


@bp.route("/geo/units")
@requires(Resource.GEOGRAPHY, Action.VIEW)
def list_units():
    parent = None
    if "parent" in request.args:
        parent_id = request.args.get("parent", type=int)
        parent = services.get_unit(parent_id) if parent_id is not None else None
        if parent is None:
            abort(404)
    query = (request.args.get("q") or "").strip()[:120]
    results = services.search_units(query, limit=SEARCH_LIMIT) if query else None
    units = services.children_of(parent)
    return render_template(
        "geo/list_units.html",
        parent=parent,
        units=units,
        counts=services.count_children(units),
        query=query,
        results=results,
        today=services.today(),
    )


@bp.route("/geo/import", methods=["GET", "POST"])
@requires(Resource.GEOGRAPHY, Action.ADMINISTER)
def import_units():
    form = ImportUnitsForm()
    problems: list[services.Problem] = []

    def run() -> services.ImportResult:
        try:
            return services.import_units(form.file.data.stream, dry_run=form.check_only.data)
        except services.GeoImportError as error:
            problems.extend(error.problems)  # shown line by line, below the summary
            raise

    outcome = apply_form(form, run)
    if outcome.done:
        result = outcome.value
        if form.check_only.data:
            flash(
                _(
                    "The file is valid. Importing it would give: %(created)s created, "
                    "%(updated)s updated, %(unchanged)s unchanged.",
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                ),
                "success",
            )
            return redirect(url_for("geo.import_units"))
        flash(
            _(
                "Units imported: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged.",
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            ),
            "success",
        )
        return redirect(url_for("geo.list_units"))
    return render_template(
        "geo/import_units.html",
        form=form,
        problems=[str(message) for _line, message in problems],
        columns=services.COLUMNS,
    ), outcome.status
