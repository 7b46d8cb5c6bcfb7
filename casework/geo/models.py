"""Administrative units (région → cercle → commune → village / fraction / quartier) and sites.

Units are data, never logic: editable, dated, importable from CSV. Each unit keeps its
materialised path (``/3/17/52/``) so that "this area and below" is one indexed prefix test.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core import versions
from casework.db import UTCDateTime, utcnow
from casework.extensions import db
from casework.i18n import _l


class UnitKind(enum.StrEnum):
    REGION = "region"
    CERCLE = "cercle"
    COMMUNE = "commune"
    VILLAGE = "village"
    FRACTION = "fraction"
    QUARTIER = "quartier"

    @property
    def title(self) -> str:
        return str(UNIT_KIND_TITLES[self])

    @property
    def depth(self) -> int:
        return UNIT_KIND_DEPTH[self]


UNIT_KIND_TITLES = {
    UnitKind.REGION: _l("Region"),
    UnitKind.CERCLE: _l("Cercle"),
    UnitKind.COMMUNE: _l("Commune"),
    UnitKind.VILLAGE: _l("Village"),
    UnitKind.FRACTION: _l("Fraction"),
    UnitKind.QUARTIER: _l("Quarter"),
}
UNIT_KIND_DEPTH = {
    UnitKind.REGION: 0,
    UnitKind.CERCLE: 1,
    UnitKind.COMMUNE: 2,
    UnitKind.VILLAGE: 3,
    UnitKind.FRACTION: 3,
    UnitKind.QUARTIER: 3,
}
# Which kind of unit may sit under which.
ALLOWED_PARENT = {
    UnitKind.REGION: None,
    UnitKind.CERCLE: UnitKind.REGION,
    UnitKind.COMMUNE: UnitKind.CERCLE,
    UnitKind.VILLAGE: UnitKind.COMMUNE,
    UnitKind.FRACTION: UnitKind.COMMUNE,
    UnitKind.QUARTIER: UnitKind.COMMUNE,
}


class SiteKind(enum.StrEnum):
    WELL = "well"
    CORRIDOR = "corridor"
    MARKET = "market"
    PASTURE = "pasture"
    OTHER = "other"

    @property
    def title(self) -> str:
        return str(SITE_KIND_TITLES[self])


SITE_KIND_TITLES = {
    SiteKind.WELL: _l("Well"),
    SiteKind.CORRIDOR: _l("Livestock corridor"),
    SiteKind.MARKET: _l("Market"),
    SiteKind.PASTURE: _l("Pasture"),
    SiteKind.OTHER: _l("Other site"),
}


class AdminUnit(db.Model):
    __tablename__ = "admin_units"
    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_([k.value for k in UnitKind]), name="kind_known"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
        sa.Index("ix_admin_units_path", "path"),
        sa.Index("ix_admin_units_parent_id", "parent_id"),
        sa.Index("ix_admin_units_name_search", "name_search"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable code: the region's is the prefix of case references (GAO-2026-0042).
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    name: Mapped[str] = mapped_column(sa.String(120))
    name_search: Mapped[str] = mapped_column(sa.String(120))  # fold(name)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("admin_units.id"))
    path: Mapped[str] = mapped_column(sa.String(255), default="")
    valid_from: Mapped[date] = mapped_column(sa.Date, default=lambda: date(2012, 1, 1))
    valid_to: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    parent: Mapped[AdminUnit | None] = relationship(remote_side=[id], lazy="joined", join_depth=3)

    def __repr__(self) -> str:
        return f"<AdminUnit {self.code} {self.name}>"

    @property
    def kind_enum(self) -> UnitKind:
        return UnitKind(self.kind)

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def contains(self, other: AdminUnit) -> bool:
        """Whether ``other`` is this unit or lies below it."""
        return other.path.startswith(self.path)

    @property
    def ancestry(self) -> list[AdminUnit]:
        """From the region down to this unit."""
        chain: list[AdminUnit] = []
        unit: AdminUnit | None = self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))

    @property
    def region(self) -> AdminUnit:
        return self.ancestry[0]

    @property
    def label(self) -> str:
        """e.g. "N'Tillit (Gao, Gao)": the name and its ancestors, for lists and choices."""
        above = [unit.name for unit in reversed(self.ancestry[:-1])]
        return f"{self.name} ({', '.join(above)})" if above else self.name


class Site(db.Model):
    """An optional precise place: a well, a corridor, a market, with coordinates."""

    __tablename__ = "sites"
    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_([k.value for k in SiteKind]), name="kind_known"),
        sa.CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude"),
        sa.CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    name: Mapped[str] = mapped_column(sa.String(120))
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())

    unit: Mapped[AdminUnit] = relationship()


# Processes cache the place choices (geo.services.unit_choice_list) by this version.
versions.track(AdminUnit.__tablename__, "geo")
