"""Alerts by SMS: the endpoint the gateway phone posts to (SMSSync's HTTP protocol), the
relays who may send, and what the gateway received."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from casework.cases.access import area_unit_choices
from casework.core.forms import int_or_none
from casework.db import utcnow
from casework.extensions import csrf, db
from casework.i18n import _
from casework.permissions import Action, Resource, public, requires, sees_everywhere
from casework.policing.access import get_or_404
from casework.policing.enums import Urgency
from casework.policing.forms import SmsRelayForm
from casework.policing.models import SmsRelay
from casework.policing.services import sms
from casework.policing.views.common import _form_page, bp
from casework.vocab import services as vocab

COUNT_DAYS = 30


def _payload(success: bool, *, error: str | None = None, messages=None, status: int = 200):
    body: dict = {"payload": {"success": success, "error": error}}
    if messages:
        body["payload"].update(task="send", messages=messages)
    return jsonify(body), status


@bp.route("/sms/smssync", methods=["GET", "POST"])
@public
@csrf.exempt
def smssync():
    """SMSSync posts each message it receives (from, message, message_id, sent_timestamp,
    secret); the reply goes back in the same response. Its "task" poll (GET ?task=send)
    gets an empty list: Casework sends no message of its own."""
    if not _configured():
        return _payload(False, error="not found", status=404)
    if not sms.secret_matches(request.values.get("secret")):
        return _payload(False, error="secret", status=403)
    if request.method == "GET":
        secret = request.values.get("secret")
        return jsonify({"payload": {"task": "send", "secret": secret, "messages": []}})
    answer = sms.receive(
        sms.Incoming(
            sender=request.form.get("from"),
            text=request.form.get("message"),
            message_id=request.form.get("message_id"),
            sent_at=sms.timestamp(request.form.get("sent_timestamp")),
        )
    )
    db.session.commit()
    if answer.reply and answer.to:
        return _payload(True, messages=[{"to": answer.to, "message": answer.reply}])
    return _payload(True)


def _configured() -> bool:
    return bool(current_app.config.get("SMS_GATEWAY_SECRET"))


@bp.route("/sms")
@requires(Resource.SMS_RELAY, Action.VIEW)
def list_relays():
    relays = db.session.scalars(
        sms.relays_statement(current_user).order_by(SmsRelay.relay_code)
    ).all()
    everywhere = sees_everywhere(current_user, Resource.SMS_RELAY)
    counts = sms.outcome_counts(
        current_user, utcnow() - timedelta(days=COUNT_DAYS), everywhere=everywhere
    )
    return render_template(
        "policing/list_sms_relays.html",
        relays=relays,
        counts=counts,
        days=COUNT_DAYS,
        everywhere=everywhere,
        configured=_configured(),
        categories=[
            (number, vocab.label("alert_category", code))
            for number, code, active in sms.category_numbers()
            if active
        ],
        syntax=sms.syntax_help(),
        urgencies=[urgency.title for urgency in Urgency],
    )


@bp.route("/sms/relays/new", methods=["GET", "POST"])
@bp.route("/sms/relays/<int:relay_id>/edit", methods=["GET", "POST"])
@requires(Resource.SMS_RELAY, Action.ADMINISTER)
def edit_relay(relay_id: int | None = None):
    relay = get_or_404(SmsRelay, relay_id) if relay_id is not None else None
    form = SmsRelayForm(obj=relay)
    form.unit_id.choices = area_unit_choices(
        include=relay.unit_id if relay else None, resource=Resource.POLICING
    )
    if request.method == "GET" and relay is not None:
        form.unit_id.data = str(relay.unit_id)
        form.number.data = ""
    return _form_page(
        form,
        lambda: sms.save_relay(
            sms.RelayData(
                relay_code=form.relay_code.data,
                number=form.number.data,
                language=form.language.data,
                unit_id=int_or_none(form.unit_id.data),
                is_active=form.is_active.data,
            ),
            current_user,
            relay,
        ),
        done=lambda saved: (
            _("Relay %(code)s saved.", code=saved.relay_code),
            url_for("policing.list_relays"),
        ),
        heading=_("SMS relay"),
        back=url_for("policing.list_relays"),
    )
