"""Home page, language switch and a health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, redirect, render_template, session
from flask_login import current_user

from casework.auth import services as accounts
from casework.core.forms import LanguageForm
from casework.core.http import safe_next
from casework.extensions import db
from casework.i18n import SESSION_KEY, _, is_supported
from casework.permissions import Action, Resource, public, requires
from casework.policing.access import can_use_policing
from casework.policing.services import active_warnings
from casework.reports.dashboard import build_dashboard
from casework.reports.formatting import bar_chart, show
from casework.vocab.services import label

bp = Blueprint("home", __name__)


@bp.route("/")
@requires(Resource.ACCOUNT, Action.VIEW)
def index():
    warnings = active_warnings(current_user) if can_use_policing(current_user) else []
    return render_template(
        "home/index.html",
        warnings=warnings,
        label=label,
        dashboard=build_dashboard(current_user),
        chart=bar_chart,
        show=show,
    )


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit() or not is_supported(form.lang.data):
        abort(400, description=_("This language is not available."))
    code = form.lang.data
    session[SESSION_KEY] = code
    if current_user.is_authenticated:
        # A signed-in user's switch is their new preference, on every device.
        accounts.set_preferred_language(current_user, code)
        db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.route("/healthz")
@public
def healthz():
    """For the reverse proxy and monitoring: the app answers and reaches its database."""
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")
