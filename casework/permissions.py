"""Who may do what: roles as grants of actions on resources, each with a scope.

The grants table (``GRANTS``) is the one source of the rules, and each route declares what
it needs next to its definition: ``@requires(Resource.CASE, Action.EDIT)``, or ``@public``
for the few pages reached without signing in. Everything reads those declarations: the
before-request check (``check_endpoint``: a request reaches a view only when the user's role
holds the grants its endpoint needs; an undeclared endpoint is refused to everyone, and a
test fails), the menus (``may(endpoint)`` in templates), the completeness test and
``docs/permissions.md`` (``casework permissions``). The access helpers of each domain
(cases.access, policing.access, reports.access) read the same table for the role and for
the scope, and apply the scope to objects and to every query: ``area`` means the user's area
and everything below it, ``all`` every place.

A leaf: it knows the roles (``casework.roles``) and no domain, so that every domain's views
can declare their needs with it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from flask import Flask, abort, current_app, request
from flask_login import current_user

from casework.roles import Role


class Action(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    TRANSITION = "transition"
    APPROVE = "approve"  # approving a case's early closure (issue 14)
    EXPORT = "export"
    REPORT = "report"
    ADMINISTER = "administer"


class Resource(enum.StrEnum):
    CASE = "case"  # mediation cases and their parties, sessions, agreements, referrals...
    # The details of restricted cases and the whole of secret ones (issue 12); administer is
    # lowering a case's level.
    CONFIDENTIAL_CASE = "confidential_case"
    ACTOR = "actor"  # the registry of elders, chiefs, cadis and facilitators
    FRACTION = "fraction"  # the registry of nomadic fractions (issue 15)
    SECURITY_REFERRAL = "security_referral"  # cases referred to the security forces
    POLICING = "policing"  # police units, committees, activities, alerts
    THRESHOLD = "threshold"  # early-warning thresholds
    SMS_RELAY = "sms_relay"  # relays who send alerts by SMS, and the gateway's counts
    REPORT = "report"  # periodic reports with exact figures; edit: their highlights
    ANONYMISED_REPORT = "anonymised_report"  # periodic reports with small counts hidden
    GEOGRAPHY = "geography"
    VOCABULARY = "vocabulary"
    USER = "user"
    PURGE = "purge"  # removing an archived case for good (entered in error, legal order)
    AUDIT = "audit"  # the audit trail viewer
    ACCOUNT = "account"  # one's own account and the dashboard


class Scope(enum.StrEnum):
    ASSIGNED = "assigned"  # the cases assigned to the user, within their area
    AREA = "area"
    ALL = "all"


AREA, ALL = Scope.AREA, Scope.ALL
V, C, E, T, X, R, A = (
    Action.VIEW,
    Action.CREATE,
    Action.EDIT,
    Action.TRANSITION,
    Action.EXPORT,
    Action.REPORT,
    Action.ADMINISTER,
)


def _grants(scope: Scope, *actions: Action) -> dict[Action, Scope]:
    return dict.fromkeys(actions, scope)


GRANTS: dict[Role, dict[Resource, dict[Action, Scope]]] = {
    Role.ADMIN: {
        Resource.CASE: _grants(ALL, V, C, E, T, Action.APPROVE, X, A),
        Resource.CONFIDENTIAL_CASE: _grants(ALL, V, A),
        Resource.ACTOR: _grants(ALL, V, C, E),
        Resource.FRACTION: _grants(ALL, V, C, E),
        Resource.SECURITY_REFERRAL: _grants(ALL, V, E),
        Resource.POLICING: _grants(ALL, V, C, E, X),
        Resource.THRESHOLD: _grants(ALL, V, A),
        Resource.SMS_RELAY: _grants(ALL, V, A),
        Resource.REPORT: _grants(ALL, R, E),
        Resource.ANONYMISED_REPORT: _grants(ALL, R),
        Resource.GEOGRAPHY: _grants(ALL, V, A),
        Resource.VOCABULARY: _grants(ALL, V, A),
        Resource.USER: _grants(ALL, V, A),
        Resource.PURGE: _grants(ALL, A),
        Resource.AUDIT: _grants(ALL, V),
        Resource.ACCOUNT: _grants(ALL, V, E),
    },
    Role.COORDINATOR: {
        Resource.CASE: _grants(AREA, V, C, E, T, Action.APPROVE, X, A),
        Resource.CONFIDENTIAL_CASE: _grants(AREA, V, A),
        Resource.ACTOR: _grants(AREA, V, C, E),
        # Every fraction is listed (they move across areas); one is added or corrected by a
        # coordinator of its home commune's area.
        Resource.FRACTION: {V: ALL, C: AREA, E: AREA},
        Resource.SECURITY_REFERRAL: _grants(AREA, V, E),
        Resource.POLICING: _grants(AREA, V, C, E, X),
        Resource.THRESHOLD: _grants(AREA, V),
        Resource.SMS_RELAY: _grants(AREA, V, A),
        Resource.REPORT: _grants(AREA, R, E),  # E: the highlights of their area's reports
        Resource.ANONYMISED_REPORT: _grants(AREA, R),
        Resource.GEOGRAPHY: _grants(ALL, V),
        Resource.ACCOUNT: _grants(ALL, V, E),
    },
    Role.MEDIATOR: {
        Resource.CASE: _grants(AREA, V, C, E, T, X),
        Resource.CONFIDENTIAL_CASE: _grants(Scope.ASSIGNED, V),
        Resource.ACTOR: _grants(AREA, V, C, E),
        Resource.GEOGRAPHY: _grants(ALL, V),
        Resource.ACCOUNT: _grants(ALL, V, E),
    },
    Role.POLICE: {
        Resource.SECURITY_REFERRAL: _grants(AREA, V, E),
        Resource.POLICING: _grants(AREA, V, C, E, X),
        Resource.THRESHOLD: _grants(AREA, V),
        Resource.GEOGRAPHY: _grants(ALL, V),
        Resource.ACCOUNT: _grants(ALL, V, E),
    },
    Role.ANALYST: {
        Resource.ANONYMISED_REPORT: _grants(ALL, R),
        Resource.GEOGRAPHY: _grants(ALL, V),
        Resource.ACCOUNT: _grants(ALL, V, E),
    },
}

# What an endpoint needs, declared on its view: alternatives (any one will do), each a group
# of (resource, action) pairs that must all be granted.
Need = tuple[Resource, Action]
Alternatives = tuple[tuple[Need, ...], ...]


def requires(
    resource: Resource,
    action: Action,
    *,
    and_: Iterable[Need] = (),
    or_: Iterable[Need] = (),
) -> Callable:
    """Declare what a route needs: ``@requires(Resource.CASE, Action.EDIT)``. ``and_``: more
    grants needed with it (a route that touches two resources); ``or_``: other grants that
    open the route as well. Put it under ``@bp.route``."""
    first = ((Resource(resource), Action(action)), *((Resource(r), Action(a)) for r, a in and_))
    alternatives: Alternatives = (first, *(((Resource(r), Action(a)),) for r, a in or_))

    def declare(view):
        view.needs = alternatives
        return view

    return declare


def public(view):
    """Mark a view as reachable without signing in. Everything else requires sign-in and
    declares its grants with ``@requires``."""
    view.is_public = True
    return view


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None:  # no route matched: let the 404/405 handlers answer
        return True
    if endpoint == "static":
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def alternatives(endpoint: str, app: Flask | None = None) -> Alternatives:
    """What the endpoint's view declares it needs (nothing for an undeclared one)."""
    view = (app or current_app).view_functions.get(endpoint)
    return getattr(view, "needs", ())


def undeclared_endpoints(app: Flask) -> list[str]:
    """Endpoints that are neither public nor declare their grants: each is refused to
    everyone, and the completeness test names it."""
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if not is_public_endpoint(app, rule.endpoint) and not alternatives(rule.endpoint, app)
        }
    )


def scope(role: str | Role | None, resource: Resource, action: Action = Action.VIEW):
    """The scope the role holds for the action, or None."""
    try:
        granted = GRANTS[Role(role)]
    except (KeyError, ValueError):
        return None
    return granted.get(resource, {}).get(action)


def can(user, resource: Resource, action: Action = Action.VIEW) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        scope(user.role, resource, action) is not None
    )


def sees_everywhere(user, resource: Resource, action: Action = Action.VIEW) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        scope(user.role, resource, action) == Scope.ALL
    )


def roles_with(resource: Resource, action: Action = Action.VIEW) -> frozenset[Role]:
    return frozenset(role for role in Role if scope(role, resource, action) is not None)


def endpoint_scope(role, endpoint: str, app: Flask | None = None):
    """The widest scope with which the role reaches the endpoint, or None. An alternative's
    scope is the narrowest of its needs."""
    found = None
    for needs in alternatives(endpoint, app):
        scopes = [scope(role, resource, action) for resource, action in needs]
        if None in scopes:
            continue
        narrowest = Scope.AREA if Scope.AREA in scopes else Scope.ALL
        if found is None or narrowest == Scope.ALL:
            found = narrowest
    return found


def may_enter(user, endpoint: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        endpoint_scope(user.role, endpoint) is not None
    )


def may(endpoint: str) -> bool:
    """For templates (a Jinja global): may the signed-in user open this endpoint? A menu
    shows a link only when its route's declaration lets the user in."""
    if is_public_endpoint(current_app, endpoint):
        return True
    return may_enter(current_user, endpoint)


def check_endpoint():
    """before_request: refuse (403) a signed-in user whose role lacks the endpoint's grant."""
    if is_public_endpoint(current_app, request.endpoint) or not current_user.is_authenticated:
        return None
    if not may_enter(current_user, request.endpoint):
        abort(403)
    return None


# --- the document -----------------------------------------------------------------------------

RESOURCE_NOTES = {
    Resource.CASE: "mediation cases and everything recorded on them: parties, sessions and "
    "their private notes, agreements, referrals, follow-ups, history, case summaries; "
    "administer is archive and restore",
    Resource.CONFIDENTIAL_CASE: "the sensitive parts of a restricted case and the whole of a "
    "secret one (see Confidentiality levels); **assigned** is the cases whose assigned "
    "mediator is the user, in their area; administer is lowering a case's level",
    Resource.ACTOR: "the registry of elders, chiefs, cadis, facilitators",
    Resource.FRACTION: "the registry of nomadic fractions (group, home commune, seasonal "
    "range); create and edit are by the home commune's area; parties choose from every active "
    "fraction",
    Resource.SECURITY_REFERRAL: "cases referred to the security forces: reference, date, "
    "target and reason only, never the parties or the mediation",
    Resource.POLICING: "police units, security committees, activities, alerts (with the "
    "relay code of the source)",
    Resource.THRESHOLD: "early-warning thresholds",
    Resource.SMS_RELAY: "SMS relays and the gateway's counts",
    Resource.REPORT: "periodic reports with exact figures",
    Resource.ANONYMISED_REPORT: "periodic reports with counts under 5 hidden",
    Resource.GEOGRAPHY: "regions, cercles, communes, villages and fractions",
    Resource.VOCABULARY: "the controlled vocabularies",
    Resource.USER: "user accounts",
    Resource.PURGE: "removing an archived case and its records for good, with a reason "
    "(data entered in error, a legal order); the audit entry stays",
    Resource.AUDIT: "the audit trail of every user (a case's own history is part of the case)",
    Resource.ACCOUNT: "one's own account, the dashboard and the language",
}


# The rule of the confidentiality levels (issue 12), applied by cases.access
# (``confidentiality_clause``, ``details_hidden_clause``, ``may_see_confidential``).
CONFIDENTIALITY_RULES = (
    (
        "standard",
        "as the grants above: role and area.",
    ),
    (
        "restricted",
        "party names and communities, the title, the narrative and its translation, session"
        " minutes and private notes, agreement terms, restitution, signatories and witnesses,"
        " referral reasons and feedback, follow-up notes and the damage described in words"
        " are shown only to the holders of **confidential_case: view**. Every other user who"
        " may see the case sees its reference, status, type, place, dates and figures, with a"
        ' translated "restricted" notice in place of the rest, in the case page and its'
        " sub-pages, the list, the case summary and the case-level exports; they cannot edit"
        " the case (every page that records on it answers 403), and a free-text search finds"
        " the case only by its reference.",
    ),
    (
        "secret",
        "the whole case exists only for the holders of **confidential_case: view**. For"
        " everyone else its pages and sub-pages answer 404, and it is left out of the list,"
        " the search, the follow-ups due, the case-level exports, the linked cases, the case"
        " references typed on a community-police activity (as if the reference did not"
        " exist), the case shown on an alert, and the duplicate warnings at registration. A"
        " referral of a secret case to the security forces is listed to the focal points"
        " without its reference, place, type or reason, so that it can still be"
        " acknowledged.",
    ),
)
CONFIDENTIALITY_NOTES = (
    "The assigned mediator is the case's `assigned_mediator`. A mediator who registers a"
    " restricted or secret case with nobody assigned is assigned to it.",
    "Gender-based violence cases (type `VBG`) are registered as secret, whoever registers"
    " them and whatever level was chosen; an edit that changes a case's type to `VBG` raises"
    " it to secret too.",
    "Only users marked as trained for gender-based violence cases (a flag an administrator"
    " sets on the user's page; the change is in the audit trail) and administrators register"
    " or open a `VBG` case, whatever its level: for anyone else, coordinators included, it"
    " does not exist (404, left out of every list), as a secret case. Referring it needs the"
    " survivor's consent; without it, only **case: administer** (a coordinator or an"
    " administrator) refers under an emergency override with its reason.",
    "Anyone who may edit a case may raise its level. Lowering it (secret to restricted or"
    " standard, restricted to standard) needs **confidential_case: administer** and a reason"
    " of a few words; the change and its reason are in the audit trail.",
    "When a case the user may not see in full may be a duplicate of the one being"
    ' registered, the warning says "A confidential case may match: ask your coordinator."'
    " without naming it.",
    "Every view of a restricted or secret case (its pages, its summary in any format) and"
    " every export whose rows include one is in the audit trail with the case's level.",
    "Aggregated figures (the periodic report, the dashboard's counts) count every case;"
    " their small-count suppression is unchanged.",
)


def confidentiality_markdown() -> list[str]:
    lines = ["## Confidentiality levels", ""]
    lines += [f"- **{level}**: {rule}" for level, rule in CONFIDENTIALITY_RULES]
    lines += [""]
    lines += [f"- {note}" for note in CONFIDENTIALITY_NOTES]
    return lines


def permissions_markdown(app: Flask | None = None) -> str:
    """docs/permissions.md: the grant matrix, then what each endpoint declares it needs."""
    app = app or current_app
    roles = list(Role)
    lines = [
        "# Permissions",
        "",
        "Produced from `casework/permissions.py` (the grants) and the routes' `@requires`"
        " declarations by `casework permissions > docs/permissions.md`; a test fails when"
        " this file and the code differ.",
        "",
        "A cell gives the scope of the grant: **area** is the user's area and every place"
        " below it, **all** is every place, **assigned** is the cases assigned to the user"
        " within their area, `—` is no access. Every view checks the grant"
        " before it runs (403 otherwise), and every list, search, export, report and the"
        " dashboard filter their rows by the same scope.",
        "",
        "## Grants",
        "",
        "| resource | action | " + " | ".join(role.value for role in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for resource in Resource:
        for action in Action:
            cells = [scope(role, resource, action) for role in roles]
            if not any(cells):
                continue
            shown = " | ".join(cell.value if cell else "—" for cell in cells)
            lines.append(f"| {resource.value} | {action.value} | {shown} |")
    lines += ["", "## Resources", ""]
    lines += [f"- **{resource.value}**: {RESOURCE_NOTES[resource]}" for resource in Resource]
    lines += [
        "",
        "## Sensitive fields",
        "",
        "- Party names and community or fraction, agreement signatories and witnesses, private"
        " session notes, narratives and minutes belong to **case**: community police and"
        " analysts never see them, in any page, search, export or report. The anonymised"
        " report has no names at all.",
        "- Relay codes of alert sources belong to **policing**; no informant's name is stored"
        " anywhere.",
        "- The audit trail records that a restricted field changed, never its value.",
        "",
        *confidentiality_markdown(),
        "",
        "## Endpoints",
        "",
        "| endpoint | needs (any one) |",
        "|---|---|",
    ]
    # An undeclared endpoint is left out: it is refused to everyone, and a test fails.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    for endpoint in sorted(endpoints - set(undeclared_endpoints(app))):
        needs = ", ".join(
            " and ".join(f"{resource.value}: {action.value}" for resource, action in group)
            for group in alternatives(endpoint, app)
        )
        if is_public_endpoint(app, endpoint):
            needs = "nothing: public, no sign-in"
        lines.append(f"| `{endpoint}` | {needs} |")
    lines.append("")
    return "\n".join(lines)
