"""Places and staff, the ids of a run, and the bulk writer the generator fills."""

from __future__ import annotations

import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa

from casework.auth.models import User
from casework.auth.services import hash_password
from casework.extensions import db
from casework.generate.data import CHUNK
from casework.geo.models import AdminUnit
from casework.roles import Role

# --- places and staff -----------------------------------------------------------------------


@dataclass
class _Place:
    id: int
    code: str
    name: str
    kind: str
    path: str
    region: str
    names: list[str]  # the ancestry's names, region first


def _places() -> list[_Place]:
    units = {u.id: u for u in db.session.scalars(sa.select(AdminUnit))}
    places = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        chain = unit.ancestry
        places.append(
            _Place(unit.id, unit.code, unit.name, unit.kind, unit.path, chain[0].code,
                   [u.name for u in chain])
        )  # fmt: skip
    return places


@dataclass
class _Staff:
    by_region: dict[str, list[int]] = field(default_factory=dict)  # mediators and coordinators
    admin_id: int = 0


STAFF = (
    # username, full name, role, area code
    ("gen.admin", "Administrateur génération", Role.ADMIN.value, None),
    ("gen.coord.gao", "Aminata Maïga", Role.COORDINATOR.value, "GAO"),
    ("gen.med.gao", "Moussa Ag Intalla", Role.MEDIATOR.value, "GAO-GAO"),
    ("gen.med.ansongo", "Issa Touré", Role.MEDIATOR.value, "GAO-ANSONGO"),
    ("gen.coord.tbk", "Fatoumata Touré", Role.COORDINATOR.value, "TBK"),
    ("gen.med.tbk", "Alhassane Haïdara", Role.MEDIATOR.value, "TBK-TOMBOUCTOU"),
    ("gen.med.dire", "Mariam Yattara", Role.MEDIATOR.value, "TBK-DIRE"),
    ("gen.coord.mnk", "Oumar Cissé", Role.COORDINATOR.value, "MNK"),
    ("gen.med.mnk", "Fadimata Walet Mohamed", Role.MEDIATOR.value, "MNK-MENAKA"),
    ("gen.coord.kdl", "Mohamed Ag Alhassane", Role.COORDINATOR.value, "KDL"),
    ("gen.med.kdl", "Takiya Walet Intahmadou", Role.MEDIATOR.value, "KDL-KIDAL"),
    ("gen.coord.mpt", "Hawa Diallo", Role.COORDINATOR.value, "MPT"),
    ("gen.med.mpt", "Hamadoun Dicko", Role.MEDIATOR.value, "MPT-MOPTI"),
)


def _create_staff() -> _Staff:
    """The generated caseload's mediators and coordinators (their password is random and
    never shown: reset one with ``casework users reset-password`` to sign in as them)."""
    codes = {u.code: u for u in db.session.scalars(sa.select(AdminUnit))}
    password_hash = hash_password(secrets.token_urlsafe(24))
    staff = _Staff()
    for username, full_name, role, area in STAFF:
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                password_hash=password_hash,
                area_id=codes[area].id if area else None,
            )
            db.session.add(user)
            db.session.flush()
        if area is None:
            staff.admin_id = user.id
        else:
            staff.by_region.setdefault(area.split("-")[0], []).append(user.id)
    return staff


# --- the plan of one case -------------------------------------------------------------------


@dataclass
class _Ids:
    """Next id per table: rows get explicit ids so that children can point at them."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class GenerateResult:
    counts: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    skipped: bool = False


class _Writer:
    """Buffers rows per table and inserts them in chunks (executemany)."""

    def __init__(self, connection: sa.Connection, result: GenerateResult):
        self.connection = connection
        self.result = result
        self.rows: dict[sa.Table, list[dict]] = {}
        self.order: list[sa.Table] = []

    def add(self, table: sa.Table, row: dict) -> None:
        if table not in self.rows:
            self.rows[table] = []
            self.order.append(table)
        self.rows[table].append(row)

    def flush_if_full(self) -> None:
        if any(len(rows) >= CHUNK for rows in self.rows.values()):
            self.flush()

    def flush(self) -> None:
        # Parents before children: tables are flushed in the order they were first seen.
        for table in self.order:
            rows = self.rows[table]
            if rows:
                self.connection.execute(table.insert(), rows)
                self.result.counts[table.name] += len(rows)
                self.rows[table] = []


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 7 + rng.randrange(11), rng.randrange(60),
                    tzinfo=UTC)  # fmt: skip
