"""Community policing: early-warning alerts and activities (the policing grants and areas)."""

from __future__ import annotations

from flask_login import current_user

from casework.api.common import IDEMPOTENCY_HEADER, blp, idempotent_create, page_of
from casework.api.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPage,
    ActivityQuery,
    AlertIn,
    AlertOut,
    AlertPage,
    AlertQuery,
)
from casework.cases.access import knows_case
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import get_or_404
from casework.policing.models import Activity, Alert

ALERT_FIELDS = tuple(AlertOut().fields)
ACTIVITY_FIELDS = tuple(name for name in ActivityOut().fields if name != "case_references")


def dump_alert(alert: Alert) -> dict:
    return {name: getattr(alert, name) for name in ALERT_FIELDS}


def dump_activity(activity: Activity) -> dict:
    return {
        **{name: getattr(activity, name) for name in ACTIVITY_FIELDS},
        # A secret case the reader may not know of is not named (as on the page).
        "case_references": [c.reference for c in activity.cases if knows_case(current_user, c)],
    }


@blp.route("/alerts", methods=["GET"], endpoint="list_alerts")
@requires(Resource.POLICING, Action.VIEW)
@blp.arguments(AlertQuery, location="query", as_kwargs=False)
@blp.response(200, AlertPage)
def list_alerts(args):
    """The alerts of the user's area, newest first, with the alert list's filters."""
    filters = services.AlertFilters(
        category=args.get("category"),
        urgency=args.get("urgency"),
        area_id=args.get("area_id"),
        verified=args.get("verified"),
        occurred_from=args.get("occurred_from"),
        occurred_to=args.get("occurred_to"),
        text=args.get("q"),
    )
    return page_of(services.filtered_alerts(current_user, filters), Alert.id, args, dump_alert)


@blp.route("/alerts/<int:alert_id>", methods=["GET"], endpoint="get_alert")
@requires(Resource.POLICING, Action.VIEW)
@blp.response(200, AlertOut)
def get_alert(alert_id: int):
    return dump_alert(get_or_404(Alert, alert_id))


@blp.route("/alerts", methods=["POST"], endpoint="create_alert")
@requires(Resource.POLICING, Action.CREATE)
@blp.arguments(AlertIn)
@blp.response(201, AlertOut)
@blp.alt_response(200, schema=AlertOut, description="Made earlier with the same Idempotency-Key")
@blp.doc(parameters=[IDEMPOTENCY_HEADER])
def create_alert(body):
    """Record an early-warning alert (its source: a type and a relay code, never a name)."""
    data = services.AlertData(**body)
    alert, status = idempotent_create(
        "alert",
        lambda alert_id: get_or_404(Alert, alert_id),
        lambda: services.save_alert(data, current_user),
    )
    return dump_alert(alert), status


@blp.route("/activities", methods=["GET"], endpoint="list_activities")
@requires(Resource.POLICING, Action.VIEW)
@blp.arguments(ActivityQuery, location="query", as_kwargs=False)
@blp.response(200, ActivityPage)
def list_activities(args):
    """The community-police activities of the user's area, newest first."""
    filters = services.ActivityFilters(
        activity_type=args.get("activity_type"),
        area_id=args.get("area_id"),
        held_from=args.get("held_from"),
        held_to=args.get("held_to"),
    )
    statement = services.filtered_activities(current_user, filters)
    return page_of(statement, Activity.id, args, dump_activity)


@blp.route("/activities/<int:activity_id>", methods=["GET"], endpoint="get_activity")
@requires(Resource.POLICING, Action.VIEW)
@blp.response(200, ActivityOut)
def get_activity(activity_id: int):
    return dump_activity(get_or_404(Activity, activity_id))


@blp.route("/activities", methods=["POST"], endpoint="create_activity")
@requires(Resource.POLICING, Action.CREATE)
@blp.arguments(ActivityIn)
@blp.response(201, ActivityOut)
@blp.alt_response(200, schema=ActivityOut, description="Made earlier with the same key")
@blp.doc(parameters=[IDEMPOTENCY_HEADER])
def create_activity(body):
    """Record a patrol, meeting or awareness session, with the cases it names."""
    data = services.ActivityData(**body)
    activity, status = idempotent_create(
        "activity",
        lambda activity_id: get_or_404(Activity, activity_id),
        lambda: services.save_activity(data, current_user),
    )
    return dump_activity(activity), status
