"""Screens of the early-warning thresholds."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from sqlalchemy.orm import joinedload

from casework.cases.access import area_unit_choices
from casework.cases.forms import blank
from casework.core.forms import int_or_none
from casework.extensions import db
from casework.geo.models import UnitKind
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.forms import ThresholdForm
from casework.policing.models import AlertThreshold
from casework.policing.views.common import _form_page, bp
from casework.vocab import services as vocab

# --- thresholds -----------------------------------------------------------------------------


@bp.route("/thresholds")
@requires(Resource.THRESHOLD, Action.VIEW)
def list_thresholds():
    rows = db.session.scalars(
        sa.select(AlertThreshold).options(joinedload(AlertThreshold.area))
    ).all()
    return render_template("policing/list_thresholds.html", rows=rows, label=vocab.label)


@bp.route("/thresholds/new", methods=["GET", "POST"])
@bp.route("/thresholds/<int:threshold_id>/edit", methods=["GET", "POST"])
@requires(Resource.THRESHOLD, Action.ADMINISTER)
def edit_threshold(threshold_id: int | None = None):
    threshold = None
    if threshold_id is not None:
        threshold = db.session.get(AlertThreshold, threshold_id)
        if threshold is None:
            abort(404)
    form = ThresholdForm(obj=threshold)
    form.unit_id.choices = blank(_("Every commune")) + area_unit_choices([UnitKind.COMMUNE])
    form.category.choices = blank(_("Every category")) + vocab.choices("alert_category")
    if request.method == "GET" and threshold is not None:
        form.unit_id.data = str(threshold.unit_id or "")
        form.category.data = threshold.category or ""
    return _form_page(
        form,
        lambda: services.save_threshold(
            services.ThresholdData(
                unit_id=int_or_none(form.unit_id.data),
                category=form.category.data or None,
                alert_count=form.alert_count.data,
                window_days=form.window_days.data,
            ),
            threshold,
        ),
        done=lambda _saved: (_("Threshold saved."), url_for("policing.list_thresholds")),
        heading=_("Warning threshold"),
        back=url_for("policing.list_thresholds"),
    )
