"""Roles are code: each has a stable value stored in the database (auth) and a translated
title; the grants of each role are in casework.permissions. A leaf: it knows no domain."""

from __future__ import annotations

import enum

from casework.i18n import _l


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MEDIATOR = "mediator"
    POLICE = "police"
    ANALYST = "analyst"

    @property
    def title(self) -> str:
        return str(ROLE_TITLES[self])

    @property
    def description(self) -> str:
        return str(ROLE_DESCRIPTIONS[self])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(role.value, role.title) for role in cls]


ROLE_TITLES = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.MEDIATOR: _l("Mediator"),
    Role.POLICE: _l("Community-police focal point"),
    Role.ANALYST: _l("Analyst"),
}

ROLE_DESCRIPTIONS = {
    Role.ADMIN: _l("Manages users, roles, geography and vocabularies."),
    Role.COORDINATOR: _l("Supervises cases in an area, assigns them and approves closures."),
    Role.MEDIATOR: _l("Records cases, sessions, agreements and follow-ups."),
    Role.POLICE: _l("Records community-police activities and alerts."),
    Role.ANALYST: _l("Reads aggregate and anonymised figures."),
}
