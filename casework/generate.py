"""A fast generator of large, realistic caseloads for benchmarks: ``casework demo generate``.

Unlike ``casework demo seed`` (a few hundred cases written through the services, with
their full stories), this writes straight into the tables with SQLAlchemy Core bulk
inserts, computing every derived column as the services do (references and their
counters, ``search_text``, ``name_search``, ``topic_search``, ``description_search``, the
version counter) and keeping each case's records consistent with its state: an agreement
and follow-up visits behind ACCORD, SUIVI and a resolved closure, a referral behind
RENVOYE, ``suspended_from`` behind SUSPENDU. The check constraints hold (they would refuse
the insert otherwise).

The same seed and the same ``today`` give the same database, row for row.
"""

from __future__ import annotations

import itertools
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from casework.auth.models import User
from casework.auth.services import hash_password
from casework.cases.models import (
    Actor,
    Agreement,
    AgreementTerm,
    Case,
    CaseCounter,
    CaseEvent,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    session_actors,
)
from casework.cases.services import EDITABLE_FIELDS
from casework.cases.states import CaseStatus
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.geo.services import seed_units
from casework.policing.models import Activity, Alert, PoliceUnit, activity_cases
from casework.roles import Role
from casework.text import fold
from casework.vocab.services import seed_vocabularies

# Bump when the data produced for a seed changes: bench databases are keyed by it.
GENERATOR_VERSION = 1
DEFAULT_SEED = 2026
CHUNK = 5_000
S = CaseStatus

# --- vocabularies of the generated data -----------------------------------------------------

CONFLICT_WEIGHTS = {
    "FONCIER": 16, "EAU_PUITS": 8, "PATURAGE": 12, "TRANSHUMANCE": 7, "DEGATS_CHAMPETRES": 12,
    "VOL_BETAIL": 8, "SUCCESSION": 7, "MATRIMONIAL": 8, "CHEFFERIE": 3,
    "INTERCOMMUNAUTAIRE": 4, "DETTE_COMMERCE": 6, "RELIGIEUX": 1, "POLITIQUE": 1,
    "BANDITISME": 3, "TRAFIC": 1.5, "GROUPE_ARME": 1, "VBG": 2.5,
}  # fmt: skip
STAR_TYPES = frozenset({"BANDITISME", "TRAFIC", "GROUPE_ARME", "VBG"})
REGION_WEIGHTS = {"GAO": 30, "TBK": 28, "MNK": 14, "KDL": 10, "MPT": 18}
KIND_WEIGHTS = {"commune": 6, "quartier": 2, "village": 2, "cercle": 0.3}
CHANNELS = {
    "PLAINTE_DIRECTE": 40, "CHEF_VILLAGE": 25, "RELAIS_COMMUNAUTAIRE": 12,
    "POLICE_PROXIMITE": 8, "ALERTE": 5, "FDS": 5, "AUTRE": 5,
}  # fmt: skip
SCOPES = {
    "INTRA_FAMILIAL": 25, "INTRACOMMUNAUTAIRE": 45, "INTERCOMMUNAUTAIRE": 22,
    "COMMUNAUTE_ETAT": 5, "TRANSFRONTALIER": 3,
}  # fmt: skip
LIVELIHOODS = ("AGRICULTEUR", "ELEVEUR", "AGRO_PASTEUR", "PECHEUR", "COMMERCANT", "ARTISAN")
MECHANISMS = {
    0: ("AMIABLE",),
    1: ("PALABRE", "COUSINAGE_PLAISANTERIE", "MEDIATION_TIERCE"),
    2: ("CONCILIATION_CHEF", "ARBITRAGE_RELIGIEUX", "PALABRE"),
    3: ("COFO_CONCILIATION", "CCS_CONCERTATION"),
    4: ("ADMINISTRATIF",),
}
PLACES_BY_LEVEL = {
    0: ("SUR_LE_TERRAIN", "AUTRE"),
    1: ("ARBRE_PALABRE", "VESTIBULE_CHEF"),
    2: ("VESTIBULE_CHEF", "MOSQUEE", "ARBRE_PALABRE"),
    3: ("MAIRIE",),
    4: ("SOUS_PREFECTURE",),
}
ACTOR_TYPES_BY_LEVEL = {
    0: ("NOTABLE",),
    1: ("NOTABLE", "GRIOT", "PARENT_PLAISANTERIE"),
    2: ("CHEF_VILLAGE", "CHEF_FRACTION", "CADI", "IMAM"),
    3: ("MAIRE", "MEMBRE_COFO", "MEMBRE_CCS"),
    4: ("SOUS_PREFET", "PREFET"),
}
CRIME_TARGETS = ("GENDARMERIE", "POLICE", "PROCUREUR", "TPI", "GARDE_NATIONALE")
CIVIL_TARGETS = ("JPCE", "TPI", "CADI", "SOUS_PREFET", "COFO")
ACTIVITY_TYPES = (
    "PATROUILLE_PEDESTRE", "PATROUILLE_MOTORISEE", "PATROUILLE_MIXTE", "SENSIBILISATION",
    "REUNION_CCS", "TABLE_CONCERTATION", "DIAGNOSTIC_SECURITE", "VISITE_AUTORITES",
    "COLLECTE_RENSEIGNEMENT", "TRANSMISSION_ALERTE", "MEDIATION_PETIT_LITIGE",
    "ACTIVITE_COHESION",
)  # fmt: skip
ALERT_CATEGORIES = {
    "TENSION_INTERCOMMUNAUTAIRE": 20, "MOUVEMENT_ARME": 12, "TRAFIC": 8, "BANDITISME": 20,
    "ENLEVEMENT": 4, "ENGIN_EXPLOSIF": 4, "VOL_BETAIL": 18, "TRANSHUMANCE_CONFLICTUELLE": 10,
    "RUMEUR_INCITATION": 4,
}  # fmt: skip
ALERT_SOURCES = ("RELAIS_COMMUNAUTAIRE", "CHEF", "FDS", "AUTORITE_ADMINISTRATIVE", "PATROUILLE")
FORCES = ("police", "gendarmerie", "garde_nationale", "mixed")

GIVEN_M = (
    "Alassane", "Boubacar", "Mahamane", "Ousmane", "Abdoulaye", "Issa", "Souleymane", "Hamidou",
    "Garba", "Mahamadou", "Yéhia", "Oumarou", "Moussa", "Hamadoun", "Amadou", "Sékou",
    "Mohamed", "Alhassane", "Attaher", "Bilal", "Ibrahim", "Intalla", "Elmoctar", "Sidi",
    "Moulaye", "Bakary", "Seydou", "Drissa", "Modibo", "Ogobara", "Yacouba", "Sory",
)  # fmt: skip
GIVEN_F = (
    "Aïssata", "Fatouma", "Mariam", "Haoua", "Kadidia", "Zeinabou", "Safiatou", "Ramata",
    "Fatimata", "Kadiatou", "Djénéba", "Hawa", "Oumou", "Fadimata", "Tina", "Takiya",
    "Aminatou", "Lalla", "Khadija", "Aïcha", "Assitan", "Bintou", "Nana", "Yabarou",
)  # fmt: skip
SURNAMES = (
    "Maïga", "Touré", "Cissé", "Haïdara", "Djitteye", "Arby", "Yattara", "Baby", "Koïna",
    "Diallo", "Barry", "Sow", "Dicko", "Bah", "Sidibé", "Sangaré", "Tamboura", "Boly",
    "Ag Intalla", "Ag Alhassane", "Ag Attaher", "Walet Mohamed", "Ould Sidi", "Ould Bady",
    "Traoré", "Coulibaly", "Keïta", "Diarra", "Konaté", "Guindo", "Dolo", "Togo", "Kanta",
    "Djénépo", "Nientao", "Ag Akly", "Ag Bibi", "Walet Intahmadou", "Ould Hamma", "Dembélé",
)  # fmt: skip
GROUPS = (
    "famille {s}", "fraction Kel Essouk", "fraction Imghad", "fraction Daoussahak",
    "fraction Kel Ansar", "village de {p}", "quartier {p}", "association des éleveurs de {p}",
    "coopérative des femmes de {p}", "famille {s}",
)  # fmt: skip
TYPE_TEXTS = {
    "FONCIER": ("Litige foncier", "la limite d'un champ"),
    "EAU_PUITS": ("Accès au puits", "l'accès au puits pastoral"),
    "PATURAGE": ("Pâturage", "l'accès à la bourgoutière"),
    "TRANSHUMANCE": ("Couloir de transhumance", "le passage des troupeaux"),
    "DEGATS_CHAMPETRES": ("Dégâts champêtres", "des dégâts causés par des animaux"),
    "VOL_BETAIL": ("Vol de bétail", "la disparition de plusieurs têtes de bétail"),
    "SUCCESSION": ("Succession", "le partage d'un héritage"),
    "MATRIMONIAL": ("Litige familial", "une séparation et la garde des enfants"),
    "CHEFFERIE": ("Chefferie", "la succession à la chefferie"),
    "INTERCOMMUNAUTAIRE": ("Tension intercommunautaire", "des accrochages entre communautés"),
    "DETTE_COMMERCE": ("Dette commerciale", "une dette non remboursée au marché"),
    "RELIGIEUX": ("Conflit religieux", "la gestion de la mosquée"),
    "POLITIQUE": ("Conflit politique", "la désignation des conseillers"),
    "BANDITISME": ("Braquage", "un braquage sur la route"),
    "TRAFIC": ("Trafic", "un trafic de marchandises"),
    "GROUPE_ARME": ("Groupe armé", "des menaces d'hommes armés"),
    "VBG": ("Violence basée sur le genre", "des violences contre une femme"),
}
NARRATIVE_TAIL = (
    "Les deux parties ont été entendues séparément.",
    "Le chef de village a demandé l'intervention des notables.",
    "La situation reste tendue depuis la dernière saison des pluies.",
    "Des témoins confirment les faits rapportés.",
    "Les familles souhaitent un règlement à l'amiable.",
    "Le relais communautaire a signalé l'affaire le lendemain.",
)
TRANSLATION_TAIL = (
    "Both parties were heard separately.",
    "The village chief asked the elders to step in.",
    "Tension has remained high since the last rainy season.",
    "Witnesses confirm the facts reported.",
)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


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


class _Generator:
    def __init__(self, rng: random.Random, today: date, places, staff, actors_by_region, ids,
                 by_status: Counter):  # fmt: skip
        self.rng = rng
        self.by_status = by_status
        self.today = today
        self.staff = staff
        self.actors_by_region = actors_by_region
        self.ids = ids
        self.counters: dict[tuple[str, int], int] = {}
        case_places = [p for p in places if p.kind in KIND_WEIGHTS]
        self.place_list = case_places
        self.place_cum_weights = list(
            itertools.accumulate(
                REGION_WEIGHTS.get(p.region, 5) * KIND_WEIGHTS[p.kind] for p in case_places
            )
        )
        self.by_region: dict[str, list[_Place]] = {}
        for place in case_places:
            self.by_region.setdefault(place.region, []).append(place)
        self.within: dict[int, list[_Place]] = {
            cercle.id: [p for p in case_places if p.path.startswith(cercle.path)] or [cercle]
            for cercle in places
            if cercle.kind == "cercle"
        }

    # -- one case --

    def person(self) -> tuple[str, str]:
        sex = "F" if self.rng.random() < 0.3 else "M"
        given = self.rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        return f"{given} {self.rng.choice(SURNAMES)}", sex

    def parties(self, place: _Place, case_id: int, at: datetime) -> list[dict]:
        count = self.rng.choices((1, 2, 3, 4), weights=(12, 55, 23, 10))[0]
        rows = []
        for index in range(count):
            role = ("complainant", "respondent")[index] if index < 2 else "third"
            if self.rng.random() < 0.15:
                name = self.rng.choice(GROUPS).format(s=self.rng.choice(SURNAMES), p=place.name)
                kind, sex = self.rng.choice(("family", "fraction", "village", "community")), "U"
                age_band = "unknown"
            else:
                name, sex = self.person()
                kind = "individual"
                age_band = self.rng.choice(("18-34", "35-59", "35-59", "60plus", "unknown"))
            rows.append(
                {
                    "id": self.ids.take("parties"),
                    "case_id": case_id,
                    "role": role,
                    "kind": kind,
                    "name": name,
                    "name_search": fold(name),
                    "sex": sex,
                    "age_band": age_band,
                    "livelihood": self.rng.choice(LIVELIHOODS),
                    "community": None,
                    "consent_to_share": self.rng.random() < 0.5,
                    "created_at": at,
                }
            )
        return rows

    def reference(self, region: str, year: int) -> str:
        number = self.counters.get((region, year), 0) + 1
        self.counters[(region, year)] = number
        return f"{region}-{year}-{number:04d}"

    def case(self, writer: _Writer, reported_on: date) -> None:
        rng = self.rng
        place = rng.choices(self.place_list, cum_weights=self.place_cum_weights)[0]
        conflict_type = _weighted(rng, CONFLICT_WEIGHTS)
        event_date = reported_on - timedelta(days=min(rng.randrange(21), rng.randrange(21)))
        deaths = 1 if conflict_type in STAR_TYPES and rng.random() < 0.1 else 0
        injuries_serious = 1 if rng.random() < 0.03 else 0
        must_refer = conflict_type in STAR_TYPES or deaths or injuries_serious
        case_id = self.ids.take("cases")
        created_at = _at(reported_on, rng)
        staff = self.staff.by_region.get(place.region) or [self.staff.admin_id]
        recorder = rng.choice(staff)
        assigned = rng.random() < 0.8 and place.region in self.staff.by_region
        mediator = rng.choice(staff) if assigned else None
        parties = self.parties(place, case_id, created_at)
        first = parties[0]["name"]
        second = parties[1]["name"] if len(parties) > 1 else None
        heading, subject = TYPE_TEXTS[conflict_type]
        title = f"{heading} à {place.name} : {first}" + (f" contre {second}" if second else "")
        title = title[:200]
        narrative = (
            f"Le {event_date.strftime('%d/%m/%Y')}, {first} a signalé {subject} à {place.name}"
            + (f", mettant en cause {second}" if second else "")
            + ". "
            + " ".join(rng.sample(NARRATIVE_TAIL, 2))
        )
        translation = None
        if rng.random() < 0.2:
            translation = (
                f"On {event_date.isoformat()}, {first} reported a dispute in {place.name}. "
                + rng.choice(TRANSLATION_TAIL)
            )
        reference = self.reference(place.region, reported_on.year)
        search_text = fold(
            " ".join([reference, title, narrative, translation or "", *place.names,
                      *(p["name"] for p in parties)])
        )  # fmt: skip

        story = _Story(self, writer, case_id, place, recorder, reported_on, must_refer)
        status, outcome, closed_on, level, suspended_from = story.run()

        row = {
            "id": case_id,
            "reference": reference,
            "unit_id": place.id,
            "site_id": None,
            "event_date": event_date,
            "reported_on": reported_on,
            "channel": _weighted(rng, CHANNELS),
            "conflict_type": conflict_type,
            "scope": _weighted(rng, SCOPES),
            "title": title,
            "narrative": narrative,
            "narrative_lang": "fr",
            "narrative_translation": translation,
            "translated_by_id": recorder if translation else None,
            "translated_at": created_at if translation else None,
            "persons_affected": rng.choice((None, 2, 3, 5, 8, 12, 20, 40)),
            "deaths": deaths,
            "injuries_serious": injuries_serious,
            "injuries_minor": rng.choice((0, 0, 0, 0, 1, 2)),
            "damage_text": None,
            "damage_fcfa": rng.choice((None, None, 25_000, 75_000, 150_000, 500_000)),
            "livestock_heads": rng.choice((None, None, None, 3, 10, 25)),
            "ladder_level": level,
            "status": status,
            "suspended_from": suspended_from,
            "confidentiality": "secret" if conflict_type == "VBG" else "standard",
            "outcome": outcome,
            "closed_on": closed_on,
            "assigned_mediator_id": mediator,
            "recurrence_of_id": None,
            "civil_case_of_id": None,
            "search_text": search_text,
            "created_by_id": recorder,
            "created_at": created_at,
            "updated_at": created_at,
            "version": 1,
        }
        writer.add(Case.__table__, row)
        for party in parties:
            writer.add(Party.__table__, party)
        snapshot = {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name in EDITABLE_FIELDS
            for value in (row.get(name),)  # a field the generator leaves empty: None
        }
        writer.add(
            CaseRevision.__table__,
            {"case_id": case_id, "version": 1, "kind": "saved", "data": snapshot,
             "by_id": recorder, "at": created_at},
        )  # fmt: skip
        story.write_records(parties)
        self.by_status[status] += 1


EVENT_BLANK = dict.fromkeys(
    ("from_status", "to_status", "from_level", "to_level", "reason", "linked_case_id")
)


class _Story:
    """The path one case took: its records and events, cut at today."""

    def __init__(self, gen: _Generator, writer, case_id, place, recorder, reported_on, refer):
        self.gen = gen
        self.rng = gen.rng
        self.writer = writer
        self.case_id = case_id
        self.place = place
        self.by = recorder
        self.day = reported_on
        self.must_refer = refer
        self.status = S.SIGNALE
        self.level = 0
        self.events: list[dict] = []
        self.sessions: list[dict] = []
        self.agreement: dict | None = None
        self.follow_ups: list[dict] = []
        self.referral: dict | None = None
        self.outcome: str | None = None
        self.closed_on: date | None = None
        self.event("created", to_status=S.SIGNALE.value, to_level=0)

    def event(self, kind: str, **values) -> None:
        # Events of one day keep their order: each is at least a minute after the last.
        at = _at(self.day, self.rng)
        if self.events and at <= self.events[-1]["at"]:
            at = self.events[-1]["at"] + timedelta(minutes=1)
        self.events.append({**EVENT_BLANK, "case_id": self.case_id, "kind": kind, "at": at,
                            "by_id": self.by, **values})  # fmt: skip

    def advance(self, low: int, high: int) -> bool:
        """Move the story's date on; False when that would pass today (the story stops)."""
        day = self.day + timedelta(days=self.rng.randint(low, high))
        if day > self.gen.today:
            return False
        self.day = day
        return True

    def move(self, target: CaseStatus, *, reason: str | None = None, outcome=None) -> None:
        self.event("transition", from_status=self.status.value, to_status=target.value,
                   reason=reason)  # fmt: skip
        self.status = target
        if target.is_closed:
            self.outcome = outcome
            self.closed_on = self.day

    def run(self):
        rng = self.rng
        path = rng.random()
        if path < 0.06:  # dropped before registration
            if self.advance(1, 15):
                self.move(S.CLASSE, reason="Plainte retirée.", outcome="RETRAIT_PLAINTE")
            return self.result()
        if not self.advance(0, 5):
            return self.result()
        self.move(S.ENREGISTRE)
        if self.must_refer or path < 0.18:
            self.refer_story()
            return self.result()
        if path < 0.22:
            if self.advance(3, 30):
                self.move(S.CLASSE, reason="Parties injoignables.", outcome="CLASSE_SANS_SUITE")
            return self.result()
        if not self.advance(1, 10):
            return self.result()
        self.move(S.EN_MEDIATION)
        self.level = rng.choices((0, 1, 2, 3), weights=(10, 40, 40, 10))[0]
        self.mediation_story(path)
        return self.result()

    def refer_story(self) -> None:
        rng = self.rng
        if not self.advance(1, 10):
            return
        target = rng.choice(CRIME_TARGETS if self.must_refer else CIVIL_TARGETS)
        self.referral = {
            "case_id": self.case_id, "referred_on": self.day, "from_level": self.level,
            "from_institution": None, "target": target,
            "reason": "Infraction pénale : compétence des forces de sécurité et de la justice."
            if self.must_refer else "Les parties demandent une décision de justice.",
            "is_reverse": False, "acknowledged_on": None, "feedback_on": None,
            "feedback": None, "recorded_by_id": self.by,
            "created_at": _at(self.day, rng),
        }  # fmt: skip
        self.event("referral", from_level=self.level, reason=target)
        self.move(S.RENVOYE, reason=self.referral["reason"])
        if rng.random() < 0.5 and self.advance(5, 60):
            self.referral["acknowledged_on"] = self.day
            settled = rng.random() < 0.6
            self.referral["feedback_on"] = self.day
            self.referral["feedback"] = "Affaire jugée." if settled else "Classée au parquet."
            if settled:
                self.move(S.CLOTURE_RESOLU, reason="Affaire jugée.",
                          outcome="REGLE_AUTRE_INSTANCE")  # fmt: skip
            else:
                self.move(S.CLOTURE_NON_RESOLU, reason="Classée.", outcome="RENVOYE")

    def session(self, result: str) -> None:
        rng = self.rng
        level = self.level
        women = rng.randrange(0, 6)
        men = rng.randrange(2, 15)
        self.sessions.append(
            {
                "id": self.gen.ids.take("mediation_sessions"),
                "case_id": self.case_id,
                "held_on": self.day,
                "place": rng.choice(PLACES_BY_LEVEL[level]),
                "mechanism": rng.choice(MECHANISMS[level]),
                "ladder_level": level,
                "women": women,
                "men": men,
                "youth": rng.randrange(0, women + men + 1),
                "minutes": "Les parties ont exposé leurs positions devant les médiateurs.",
                "minutes_lang": "fr",
                "minutes_translation": None,
                "translated_by_id": None,
                "translated_at": None,
                "result": result,
                "recorded_by_id": self.by,
                "created_at": _at(self.day, rng),
            }
        )
        self.event("session", to_level=level, reason=result)

    def mediation_story(self, path: float) -> None:
        rng = self.rng
        planned = rng.choices((1, 2, 3, 4, 5), weights=(30, 30, 20, 12, 8))[0]
        # 0.22..1: agreement 65 %, failure 12 %, suspension 5 %, still going otherwise.
        ending = rng.choices(
            ("agreement", "failure", "suspend", "ongoing"), weights=(65, 12, 5, 18)
        )[0]
        for index in range(planned):
            if not self.advance(2, 20):
                return
            last = index == planned - 1
            if not last:
                result = "failure" if rng.random() < 0.2 else "continue"
                self.session(result)
                if result == "failure" and self.level < 4 and rng.random() < 0.5:
                    self.event("escalation", from_level=self.level, to_level=self.level + 1,
                               reason="Échec de la séance.")  # fmt: skip
                    self.level += 1
                continue
            if ending == "agreement":
                self.session("agreement")
                self.agree()
            elif ending == "failure":
                self.session("failure")
                self.move(S.CLOTURE_NON_RESOLU, reason="Échec de la médiation.", outcome="ECHEC")
            elif ending == "suspend":
                self.session("continue")
                if self.advance(1, 10):
                    self.suspend()
            else:
                self.session("continue")

    def suspend(self) -> None:
        self.suspended_from = self.status.value
        self.move(S.SUSPENDU, reason="Insécurité sur la route : séances reportées.")

    def agree(self) -> None:
        rng = self.rng
        session = self.sessions[-1]
        self.agreement = {
            "id": self.gen.ids.take("agreements"),
            "case_id": self.case_id,
            "session_id": session["id"],
            "concluded_on": self.day,
            "form": rng.choice(("verbal", "written", "written", "homologated")),
            "outcome": "ACCORD_TOTAL" if rng.random() < 0.8 else "ACCORD_PARTIEL",
            "compensation_fcfa": rng.choice((None, 50_000, 100_000, 250_000)),
            "livestock_heads": rng.choice((None, None, 2, 5)),
            "diya": False,
            "restitution": None,
            "signatories": "Les parties et le chef de village",
            "witnesses": "Deux notables",
            "recorded_by_id": self.by,
            "created_at": _at(self.day, rng),
        }
        self.event("agreement", to_level=self.level, reason=self.agreement["outcome"])
        self.move(S.ACCORD)
        concluded = self.day
        for days in (30, 90):
            self.follow_ups.append(
                {"id": None, "case_id": self.case_id, "agreement_id": self.agreement["id"],
                 "due_on": concluded + timedelta(days=days), "done_on": None,
                 "compliance": None, "recurrence": False, "notes": None,
                 "recorded_by_id": None}
            )  # fmt: skip
        if rng.random() < 0.04:  # suspended while the agreement is carried out
            if self.advance(3, 20):
                self.suspend()
            return
        breach = rng.random() < 0.07
        for index, visit in enumerate(self.follow_ups):
            self.day = max(self.day, visit["due_on"] - timedelta(days=3))
            if not self.advance(0, 10):
                return
            compliance = "not_respected" if breach and index == 0 else (
                "respected" if rng.random() < 0.85 else "partial")  # fmt: skip
            visit.update(done_on=self.day, compliance=compliance, recorded_by_id=self.by,
                         notes="Visite effectuée avec le relais.")  # fmt: skip
            self.event("follow_up", reason=compliance)
            if self.status == S.ACCORD:
                self.move(S.SUIVI)
            if compliance == "not_respected":
                self.move(S.CLOTURE_NON_RESOLU, reason="Accord non respecté.", outcome="ECHEC")
                return
        self.move(S.CLOTURE_RESOLU, reason="Accord respecté aux visites de suivi.",
                  outcome=self.agreement["outcome"])  # fmt: skip

    def result(self):
        suspended_from = getattr(self, "suspended_from", None)
        if self.status != S.SUSPENDU:
            suspended_from = None
        return self.status.value, self.outcome, self.closed_on, self.level, suspended_from

    def write_records(self, parties: list[dict]) -> None:
        writer, rng = self.writer, self.rng
        actors = self.gen.actors_by_region.get(self.place.region, [])
        for session in self.sessions:
            writer.add(MediationSession.__table__, session)
            for actor_id in sorted(set(rng.sample(actors, min(len(actors), rng.randint(1, 2))))):
                writer.add(session_actors, {"session_id": session["id"], "actor_id": actor_id})
        if self.agreement:
            writer.add(Agreement.__table__, self.agreement)
            for index in range(rng.randint(1, 3)):
                writer.add(
                    AgreementTerm.__table__,
                    {"agreement_id": self.agreement["id"],
                     "description": ("Restituer les animaux", "Payer la compensation",
                                     "Respecter la limite du champ")[index],
                     "obliged_party_id": parties[-1]["id"],
                     "due_on": self.agreement["concluded_on"] + timedelta(days=30)},
                )  # fmt: skip
            for visit in self.follow_ups:
                row = dict(visit)
                del row["id"]
                writer.add(FollowUp.__table__, row)
        if self.referral:
            writer.add(Referral.__table__, self.referral)
        for event in self.events:
            writer.add(CaseEvent.__table__, event)


# --- policing -------------------------------------------------------------------------------


def _police_units(writer: _Writer, places: list[_Place], ids: _Ids, rng) -> dict[str, list]:
    """One community-police unit per cercle."""
    units: dict[str, list[tuple[int, _Place]]] = {}
    for place in places:
        if place.kind != "cercle":
            continue
        unit_id = ids.take("police_units")
        writer.add(
            PoliceUnit.__table__,
            {"id": unit_id, "name": f"Police de proximité de {place.name}",
             "force": rng.choice(FORCES), "unit_id": place.id, "focal_point_id": None,
             "is_active": True, "created_at": datetime(2020, 1, 1, tzinfo=UTC)},
        )  # fmt: skip
        units.setdefault(place.region, []).append((unit_id, place))
    return units


def _actors(writer: _Writer, places: list[_Place], ids: _Ids, rng) -> dict[str, list[int]]:
    """A registry of chiefs, cadis, elders and officials: a few per commune."""
    by_region: dict[str, list[int]] = {}
    for place in places:
        if place.kind != "commune":
            continue
        for level in range(5):
            actor_type = rng.choice(ACTOR_TYPES_BY_LEVEL[level])
            name = f"{rng.choice(GIVEN_M)} {rng.choice(SURNAMES)}"
            actor_id = ids.take("actors")
            writer.add(
                Actor.__table__,
                {"id": actor_id, "actor_type": actor_type, "name": name,
                 "name_search": fold(name), "function": None, "organisation": None,
                 "sex": "M", "unit_id": place.id, "trained": rng.random() < 0.5,
                 "is_active": True, "created_at": datetime(2020, 1, 1, tzinfo=UTC)},
            )  # fmt: skip
            by_region.setdefault(place.region, []).append(actor_id)
    return by_region


def _activity(gen: _Generator, writer: _Writer, units, day: date, case_ids: list[int]) -> None:
    rng = gen.rng
    region = _weighted(rng, REGION_WEIGHTS)
    if region not in units:
        return
    police_unit_id, cercle = rng.choice(units[region])
    place = rng.choice(gen.within[cercle.id])
    activity_type = rng.choice(ACTIVITY_TYPES)
    topic = f"{activity_type.replace('_', ' ').capitalize()} à {place.name}"
    women = rng.randrange(0, 15)
    men = rng.randrange(0, 30)
    activity_id = gen.ids.take("police_activities")
    at = _at(day, rng)
    writer.add(
        Activity.__table__,
        {"id": activity_id, "activity_type": activity_type, "held_on": day,
         "duration_minutes": rng.choice((30, 60, 90, 120, 180)),
         "police_unit_id": police_unit_id, "unit_id": place.id, "place": None,
         "topic": topic, "topic_search": fold(" ".join([topic, place.name])),
         "participants": women + men, "women": women, "men": men,
         "youth": rng.randrange(0, women + men + 1),
         "alerts_raised": rng.choice((0, 0, 0, 1)), "cases_created": 0,
         "cases_referred": 0, "notes": None, "recorded_by_id": gen.staff.admin_id,
         "created_at": at, "updated_at": at},
    )  # fmt: skip
    if case_ids and rng.random() < 0.1:
        writer.add(activity_cases, {"activity_id": activity_id, "case_id": rng.choice(case_ids)})


def _alert(gen: _Generator, writer: _Writer, units, day: date) -> None:
    rng = gen.rng
    region = _weighted(rng, REGION_WEIGHTS)
    place = rng.choice(gen.by_region[region])
    category = _weighted(rng, ALERT_CATEGORIES)
    occurred = _at(day, rng)
    description = (
        f"{category.replace('_', ' ').capitalize()} signalé près de {place.name} ; "
        "faits rapportés par le relais, à vérifier."
    )
    forwarded = rng.random() < 0.6
    responded = forwarded and rng.random() < 0.7
    police = units.get(region)
    writer.add(
        Alert.__table__,
        {"occurred_at": occurred, "unit_id": place.id, "place": None, "category": category,
         "urgency": rng.choice((1, 2, 2, 3)), "source_type": rng.choice(ALERT_SOURCES),
         "relay_code": f"{region}-R-{rng.randrange(1, 60):03d}", "description": description,
         "description_search": fold(" ".join([description, place.name])),
         "verified": rng.random() < 0.5,
         "forwarded_to": rng.choice(CRIME_TARGETS) if forwarded else None,
         "forwarded_at": occurred + timedelta(minutes=rng.randrange(5, 240)) if forwarded else None,
         "response": "Patrouille envoyée sur place." if responded else None,
         "responded_at": (occurred + timedelta(minutes=rng.randrange(30, 1440))
                          if responded else None),
         "police_unit_id": rng.choice(police)[0] if police else None, "case_id": None,
         "recorded_by_id": gen.staff.admin_id, "created_at": occurred, "updated_at": occurred},
    )  # fmt: skip


# --- the whole run --------------------------------------------------------------------------

ID_TABLES = (
    "cases", "parties", "mediation_sessions", "agreements", "actors", "police_units",
    "police_activities",
)  # fmt: skip


def _next_ids(connection: sa.Connection) -> _Ids:
    values = {}
    for name in ID_TABLES:
        table = db.metadata.tables[name]
        values[name] = (connection.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
    return _Ids(values)


def _reset_sequences(connection: sa.Connection) -> None:
    """PostgreSQL: rows were given explicit ids, so move each id sequence past them."""
    if connection.dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our names
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
            )
        )


def generate(
    *, cases: int, seed: int = DEFAULT_SEED, today: date | None = None, years: float = 3.0
) -> GenerateResult:
    """Fill the database with ``cases`` cases (and about three activities and half an alert
    per case) spread over the ``years`` before ``today``. Flushes, never commits. Does
    nothing when the database already holds a case."""
    result = GenerateResult()
    started = time.perf_counter()
    if db.session.scalar(sa.select(Case.id).limit(1)) is not None:
        result.skipped = True
        return result
    today = today or utcnow().date()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    seed_units()
    seed_vocabularies()
    staff = _create_staff()
    db.session.flush()
    places = _places()
    connection = db.session.connection()
    ids = _next_ids(connection)
    writer = _Writer(connection, result)
    police = _police_units(writer, places, ids, rng)
    actors = _actors(writer, places, ids, rng)
    writer.flush()

    gen = _Generator(rng, today, places, staff, actors, ids, result.by_status)
    span = max(1, int(365 * years))
    start = today - timedelta(days=span)
    # Report dates in order, so that reference numbers grow with time as they do in use.
    days = sorted(start + timedelta(days=rng.randrange(span + 1)) for _ in range(cases))
    case_ids: list[int] = []
    for index, day in enumerate(days):
        case_ids.append(ids.next["cases"])
        gen.case(writer, day)
        # About three activities and half an alert per case, on nearby dates.
        for _ in range(3):
            _activity(gen, writer, police, day, case_ids[-500:])
        if index % 2 == 0:
            _alert(gen, writer, police, day)
        writer.flush_if_full()
    writer.flush()

    counter_table = CaseCounter.__table__
    existing = {
        (row.region_code, row.year): row.last_number
        for row in connection.execute(sa.select(counter_table))
    }
    for (region, year), number in sorted(gen.counters.items()):
        if (region, year) in existing:
            connection.execute(
                counter_table.update()
                .where(counter_table.c.region_code == region, counter_table.c.year == year)
                .values(last_number=max(number, existing[(region, year)]))
            )
        else:
            connection.execute(
                counter_table.insert(), {"region_code": region, "year": year, "last_number": number}
            )
    _reset_sequences(connection)
    result.seconds = time.perf_counter() - started
    return result


@click.command("generate")
@click.option("--cases", default=10_000, show_default=True, help="How many cases.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The last day of the data (default: today); with --seed it fixes every row.",
)
@with_appcontext
def generate_command(cases: int, seed: int, today):
    """Fill an empty database with a large realistic caseload, fast (bulk inserts)."""
    result = generate(cases=cases, seed=seed, today=today.date() if today else None)
    if result.skipped:
        click.echo("The database already has cases: nothing was generated.")
        return
    started = time.perf_counter()
    db.session.commit()
    seconds = result.seconds + time.perf_counter() - started
    counts = ", ".join(f"{name} {n}" for name, n in sorted(result.counts.items()))
    click.echo(f"Generated {result.by_status.total()} cases in {seconds:.1f} s ({counts}).")
    click.echo("By status: " + ", ".join(f"{s} {n}" for s, n in sorted(result.by_status.items())))
