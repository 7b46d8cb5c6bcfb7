"""The generator of one run and the story of each case it writes, its records consistent
with its state."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date, datetime, timedelta

from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseEvent,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    TermInstalment,
    session_actors,
)
from casework.cases.services import EDITABLE_FIELDS
from casework.cases.states import CaseStatus
from casework.generate.data import (
    CHANNELS,
    CIVIL_TARGETS,
    CONFLICT_WEIGHTS,
    CRIME_TARGETS,
    GIVEN_F,
    GIVEN_M,
    GROUPS,
    KIND_WEIGHTS,
    LIVELIHOODS,
    MECHANISMS,
    NARRATIVE_TAIL,
    PLACES_BY_LEVEL,
    REGION_WEIGHTS,
    SCOPES,
    STAR_TYPES,
    SURNAMES,
    TERM_SPECIES,
    TRANSLATION_TAIL,
    TYPE_TEXTS,
    S,
    _weighted,
)
from casework.generate.writer import _at, _Place, _Writer
from casework.text import fold


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
        title = f"{heading} à {place.name}\u00a0: {first}" + (f" contre {second}" if second else "")
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
            "title_lang": "fr",
            "title_translation": None,
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
        self.terms: list[dict] = []  # the agreement's obligations
        self.instalments: list[dict] = []
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
            "breached_on": None,
            "breach_reason": None,
        }
        self.event("agreement", to_level=self.level, reason=self.agreement["outcome"])
        self.move(S.ACCORD)
        concluded = self.day
        self.plan_terms(concluded)
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
                self.breach_terms()
                self.move(S.CLOTURE_NON_RESOLU, reason="Accord non respecté.", outcome="ECHEC")
                return
            # Paid as the visits find it: part at the first, the rest when respected.
            share = (
                0.5 if compliance == "partial" else (rng.choice((0.5, 1.0)) if index == 0 else 1.0)
            )
            self.pay_terms(share, actions_done=compliance == "respected")
        # Closed resolved: every term is fulfilled (the closure rule of issue 14).
        self.pay_terms(1.0, actions_done=True)
        self.move(S.CLOTURE_RESOLU, reason="Accord respecté aux visites de suivi.",
                  outcome=self.agreement["outcome"])  # fmt: skip

    def plan_terms(self, concluded: date) -> None:
        """The agreement's obligations: its compensation in FCFA and its livestock as terms
        with an amount (paid in instalments), and the actions the parties promised."""
        rng, agreement = self.rng, self.agreement
        due = concluded + timedelta(days=rng.choice((15, 30, 30, 60)))
        if agreement["compensation_fcfa"]:
            self.add_term("cash", "Payer la compensation", due, agreement["compensation_fcfa"])
        if agreement["livestock_heads"]:
            species = rng.choice(TERM_SPECIES)
            heads = agreement["livestock_heads"]
            self.add_term("livestock", "Remettre le bétail convenu", due, heads, species)
        if rng.random() < 0.2:
            self.add_term("restitution", "Restituer les animaux", due)
        if rng.random() < 0.6 or not self.terms:
            self.add_term("action", "Respecter la limite du champ", due)

    def add_term(self, kind: str, description: str, due: date, amount: int | None = None,
                 species: str | None = None) -> None:  # fmt: skip
        self.terms.append(
            {"id": self.gen.ids.take("agreement_terms"), "agreement_id": self.agreement["id"],
             "description": description, "obliged_party_id": None, "due_on": due, "kind": kind,
             "species": species, "amount": amount, "status": "pending", "status_on": None,
             "status_note": None, "paid": 0}
        )  # fmt: skip

    def pay_terms(self, share: float, *, actions_done: bool) -> None:
        """An instalment towards each term that owes an amount (``share`` of what is left);
        the actions and restitutions are done when ``actions_done``."""
        for term in self.terms:
            if term["status"] in ("done", "breached"):
                continue
            if term["amount"] is None:
                if actions_done:
                    term.update(status="done", status_on=self.day)
                continue
            left = term["amount"] - term["paid"]
            paid = left if share >= 1 else max(1, round(left * share))
            term["paid"] += paid
            self.instalments.append(
                {"term_id": term["id"], "amount_due": left, "amount_paid": paid,
                 "paid_on": self.day, "received_by": "Le chef de village",
                 "recorded_by_id": self.by, "created_at": _at(self.day, self.rng)}
            )  # fmt: skip
            done = term["paid"] >= term["amount"]
            term.update(status="done" if done else "partly_done",
                        status_on=self.day if done else None)  # fmt: skip

    def breach_terms(self) -> None:
        """A visit found the agreement not respected: its first open term is breached."""
        reason = "Non exécuté à la visite de suivi."
        for term in self.terms:
            if term["status"] not in ("done", "breached"):
                term.update(status="breached", status_on=self.day, status_note=reason)
                break
        self.agreement.update(breached_on=self.day, breach_reason=reason)
        self.event("breach", reason=reason)

    def result(self):
        suspended_from = getattr(self, "suspended_from", None)
        if self.status != S.SUSPENDU:
            suspended_from = None
        return self.status.value, self.outcome, self.closed_on, self.level, suspended_from

    def write_records(self, parties: list[dict]) -> None:
        writer, rng = self.writer, self.rng
        actors = self.gen.actors_by_region.get(self.place.region, [])
        unit = {"unit_id": self.place.id}  # the case's unit, on each of its records
        for session in self.sessions:
            writer.add(MediationSession.__table__, {**session, **unit})
            for actor_id in sorted(set(rng.sample(actors, min(len(actors), rng.randint(1, 2))))):
                writer.add(session_actors, {"session_id": session["id"], "actor_id": actor_id})
        if self.agreement:
            writer.add(Agreement.__table__, {**self.agreement, **unit})
            for term in self.terms:
                row = {key: value for key, value in term.items() if key != "paid"} | unit
                row["obliged_party_id"] = parties[-1]["id"]
                # What is left to pay, as AgreementTerm.count_unpaid keeps it.
                row["unpaid"] = None if term["amount"] is None else term["amount"] - term["paid"]
                writer.add(AgreementTerm.__table__, row)
            for instalment in self.instalments:
                writer.add(TermInstalment.__table__, instalment)
            for visit in self.follow_ups:
                row = dict(visit) | unit
                del row["id"]
                writer.add(FollowUp.__table__, row)
        if self.referral:
            writer.add(Referral.__table__, {**self.referral, **unit})
        for event in self.events:
            writer.add(CaseEvent.__table__, event)
