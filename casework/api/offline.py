"""The offline layer of the pages (issue 17): the service worker's route, a fresh CSRF token
for a sync, and what the page's script needs to queue a form as an API request.

The pages work without JavaScript. ``static/js/offline.js`` reads ``offline_config()`` from
the page's ``data-offline`` attribute: which API operation replaces the page's form, the JSON
type of each of its fields (from the operation's own marshmallow schema, so that a field
declared once is queued right), the messages in the reader's language, and the number of
days without a sync after which the offline store is wiped."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from marshmallow import fields

from casework.api.schemas import (
    ActivityIn,
    AlertIn,
    CaseCreate,
    CasePatch,
    PartyIn,
    SessionIn,
    VisitIn,
)
from casework.cases.states import CaseStatus
from casework.i18n import _
from casework.permissions import Action, Resource, public, requires

bp = Blueprint("offline", __name__)

# The page whose form may be queued -> (API endpoint, its schema, the page's URL arguments).
# The case's edit is a PATCH with If-Match (the version the page was read at); the others are
# creates, sent once thanks to their Idempotency-Key.
CAPTURE = {
    "cases.edit_case": ("api.update_case", CasePatch, ("case_id",)),
    "cases.new_case": ("api.create_case", CaseCreate, ()),
    "cases.record_session": ("api.create_session", SessionIn, ("case_id",)),
    "cases.record_follow_up": ("api.record_visit", VisitIn, ("case_id", "follow_up_id")),
    "policing.new_alert": ("api.create_alert", AlertIn, ()),
    "policing.new_activity": ("api.create_activity", ActivityIn, ()),
}


def field_type(field) -> str:
    """How the script turns a form's text into the field's JSON value."""
    if isinstance(field, fields.List):
        inner = field.inner
        if isinstance(inner, fields.Nested):
            return "parties"
        return "ints" if isinstance(inner, fields.Integer) else "csv"
    if isinstance(field, fields.Integer):
        return "int"
    if isinstance(field, fields.Boolean):
        return "bool"
    if isinstance(field, fields.AwareDateTime):
        return "moment"
    return "str"


def shape(schema) -> dict:
    return {name: field_type(f) for name, f in schema().fields.items()}


PARTY_SHAPE = shape(PartyIn)


# The messages in each language, translated once per process (every page carries them).
_MESSAGES: dict[str, dict] = {}


def messages() -> dict:
    lang = str(get_locale())
    found = _MESSAGES.get(lang)
    if found is None:
        found = _MESSAGES[lang] = _messages()
    return found


def _messages() -> dict:
    return {
        "title": _("Records kept offline"),
        "waiting_one": _("1 record waiting to be sent"),
        "waiting": _("%(n)s records waiting to be sent"),
        "none": _("No record waiting to be sent."),
        "send": _("Send now"),
        "sent": _("Sent: %(label)s"),
        "failed": _("Not sent: %(label)s: %(reason)s"),
        "fix": _("Correct it"),
        "see": _("See both versions"),
        "queued": _("No network: the record is kept on this phone and will be sent later."),
        "pin_new": _("Choose an offline PIN (at least 4 digits) to keep records on this phone."),
        "pin_ask": _("Offline PIN"),
        "pin_ok": _("Unlock"),
        "pin_wrong": _("Wrong PIN: %(n)s tries left."),
        "wiped": _("Offline data erased."),
        "cases": _("Cases kept on this phone (%(n)s)"),
        "level": _("Level %(n)s"),
        "last_session": _("Last session: %(date)s"),
        "terms": _("Terms of the agreement:"),
        "due": _("due on %(date)s"),
        "session": _("Record a session"),
        "conflict": _("someone else changed the case meanwhile: see both versions"),
    }


def offline_config() -> dict:
    """The page's ``data-offline``: empty for a visitor who is not signed in."""
    if not current_user.is_authenticated:
        return {}
    config = {
        "user": current_user.id,
        "stale_days": current_app.config["OFFLINE_STALE_DAYS"],
        "token_url": url_for("offline.csrf_token"),
        "cases_url": url_for("api.list_cases", limit=100),
        "open": [status.value for status in CaseStatus if not status.is_closed],
        "sw": url_for("offline.service_worker"),
        "path": request.path,
        "lang": str(get_locale()),
        "msg": messages(),
    }
    capture = CAPTURE.get(request.endpoint or "")
    if capture is not None and request.view_args is not None:
        endpoint, schema, args = capture
        values = {name: request.view_args[name] for name in args}
        config["form"] = {
            "api": url_for(endpoint, **values),
            "kind": request.endpoint,
            "shape": shape(schema),
            "party": PARTY_SHAPE,
        }
        if request.endpoint == "cases.edit_case":
            config["form"]["method"] = "PATCH"
            config["form"]["conflict"] = url_for("cases.show_conflict", **values)
    return config


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker, served from the root so that its scope covers every page."""
    script = (Path(current_app.static_folder) / "js" / "sw.js").read_bytes()
    return Response(
        script,
        mimetype="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@bp.route("/offline/token")
@requires(Resource.ACCOUNT, Action.VIEW)
def csrf_token():
    """A fresh CSRF token for a sync after days offline (the page's may have expired)."""
    return {"csrf": generate_csrf()}, 200, {"Cache-Control": "no-store"}
