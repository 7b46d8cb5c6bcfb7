"""The audit trail on screen: the administrators' viewer (a case's own history is a page of
the case, in casework.cases.views)."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from flask import Blueprint, render_template

from casework.audit.fields import rows_for
from casework.audit.forms import AuditFilterForm
from casework.audit.models import AuditEntry
from casework.core import dates
from casework.core.pagination import paginate
from casework.extensions import db
from casework.i18n import local_zone
from casework.permissions import Action, Resource, requires

bp = Blueprint("audit", __name__)

# The trail names what it records by table (casework.audit.fields), below the domains: a case
# reference typed in the filter is looked up in the cases table by name, not through the
# cases domain's model.
CASES = sa.table("cases", sa.column("id", sa.Integer), sa.column("reference", sa.String))


@bp.route("/admin/audit")
@requires(Resource.AUDIT, Action.VIEW)
def list_entries():
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
            sa.select(CASES.c.id).where(CASES.c.reference == form.case.data.strip().upper())
        )
        statement = statement.where(AuditEntry.case_id == (case_id or -1))
    if form.date_from.data:
        start = datetime.combine(form.date_from.data, time.min, tzinfo=local_zone())
        statement = statement.where(AuditEntry.at >= start)
    if form.date_to.data:
        end = datetime.combine(dates.add_days(form.date_to.data, 1), time.min, tzinfo=local_zone())
        statement = statement.where(AuditEntry.at < end)
    return statement
