"""The audit trail on screen: a case's history, and the administrators' viewer."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user

from casework.audit import services
from casework.audit.fields import action_title, field_title, object_title
from casework.audit.forms import AuditFilterForm
from casework.audit.models import AuditEntry
from casework.auth.roles import Role
from casework.cases.access import get_case_or_404
from casework.cases.models import Case
from casework.core import dates
from casework.core.pagination import paginate
from casework.extensions import db
from casework.i18n import _
from casework.policing.services import local_zone

bp = Blueprint("audit", __name__)


def describe(entry: AuditEntry) -> list[tuple[str, str]]:
    """The entry's details as (label, text) lines: field changes, then other facts."""
    details = entry.details or {}
    lines = []
    for column, (before, after) in (details.get("changes") or {}).items():
        lines.append((field_title(column), f"{shown(before)} → {shown(after)}"))
    for column, value in (details.get("fields") or {}).items():
        lines.append((field_title(column), shown(value)))
    for key, value in details.items():
        if key not in ("changes", "fields"):
            lines.append((field_title(key), shown(value)))
    return lines


def shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value == services.RESTRICTED:
        return _("(restricted: not kept in the audit trail)")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def rows_for(entries) -> list[dict]:
    return [
        {
            "entry": entry,
            "action": action_title(entry.action),
            "object": object_title(entry.object_type),
            "lines": describe(entry),
        }
        for entry in entries
    ]


@bp.route("/cases/<int:case_id>/history")
def case_history(case_id: int):
    case = get_case_or_404(case_id)
    statement = sa.select(AuditEntry).where(AuditEntry.case_id == case.id)
    listing = paginate(statement, [AuditEntry.seq.desc()])
    return render_template(
        "audit/case_history.html", case=case, listing=listing, rows=rows_for(listing.rows)
    )


@bp.route("/admin/audit")
def list_entries():
    if not current_user.has_role(Role.ADMIN):
        abort(403)
    form = AuditFilterForm(formdata=_args())
    form.fill_choices()
    statement = sa.select(AuditEntry)
    valid = form.validate()
    if valid:
        statement = _filtered(statement, form)
    listing = paginate(statement, [AuditEntry.seq.desc()])
    return render_template(
        "audit/list_entries.html",
        form=form,
        valid=valid,
        listing=listing,
        rows=rows_for(listing.rows),
    ), (200 if valid else 400)


def _args():
    from flask import request

    return request.args


def _filtered(statement, form: AuditFilterForm):
    if form.user.data:
        statement = statement.where(AuditEntry.username == form.user.data.strip().lower())
    if form.action.data:
        statement = statement.where(AuditEntry.action == form.action.data)
    if form.object_type.data:
        statement = statement.where(AuditEntry.object_type == form.object_type.data)
    if form.case.data:
        case_id = db.session.scalar(
            sa.select(Case.id).where(Case.reference == form.case.data.strip().upper())
        )
        statement = statement.where(AuditEntry.case_id == (case_id or -1))
    if form.date_from.data:
        start = datetime.combine(form.date_from.data, time.min, tzinfo=local_zone())
        statement = statement.where(AuditEntry.at >= start)
    if form.date_to.data:
        end = datetime.combine(dates.add_days(form.date_to.data, 1), time.min, tzinfo=local_zone())
        statement = statement.where(AuditEntry.at < end)
    return statement
