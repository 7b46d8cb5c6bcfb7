"""Screens of the referrals addressed to the security forces."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from casework.cases.models import Referral
from casework.core.forms import apply_form
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import in_policing_area
from casework.policing.forms import AcknowledgeForm
from casework.policing.views.common import bp
from casework.vocab import services as vocab

# --- referrals addressed to the security forces ---------------------------------------------


@bp.route("/referrals")
@requires(Resource.SECURITY_REFERRAL, Action.VIEW)
def list_referrals():
    referrals = services.referrals_to_security_forces(current_user)
    return render_template(
        "policing/list_referrals.html",
        referrals=referrals,
        label=vocab.label,
        today=utcnow().date().isoformat(),
    )


@bp.route("/referrals/<int:referral_id>/acknowledge", methods=["POST"])
@requires(Resource.SECURITY_REFERRAL, Action.EDIT)
def acknowledge_referral(referral_id: int):
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.target not in services.SECURITY_FORCE_TARGETS:
        abort(404)
    if not in_policing_area(current_user, referral.case.unit):
        abort(403)
    form = AcknowledgeForm()
    outcome = apply_form(
        form,
        lambda: services.acknowledge_referral(referral, form.acknowledged_on.data, current_user),
    )
    if outcome.done:
        flash(_("Referral acknowledged."), "success")
    else:
        # The list shows no field: every error goes in the message (the date's too).
        errors = [str(error) for errors in form.errors.values() for error in errors]
        flash(" ".join(errors) or _("Please correct the fields marked below."), "error")
    return redirect(url_for("policing.list_referrals"))
