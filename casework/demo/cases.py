"""One planned case: its place, conflict type, parties and narrative in both languages,
drawn from the stories, then the path it takes (``PathPlanner``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from casework.cases import services as case_services
from casework.cases.enums import Confidentiality, PartyKind, PartyRole
from casework.cases.states import CaseStatus
from casework.demo.common import (
    STAR_TYPES,
    S,
    fcfa,
    french,
    harm_sentence,
    round_to,
    sentences,
    weighted,
)
from casework.demo.paths import CaseContext, PathPlanner, Step
from casework.demo.people import PartyPlan
from casework.demo.stories import (
    CONFLICT_WEIGHTS,
    DAMAGE_TEXT,
    ENTRY_REASON,
    HARM_CHANCE,
    REGION_CONFLICT_FACTOR,
    SCOPES,
    STORIES,
    VILLAGES,
    DemoPlace,
)

# The paths a mediable case can take, with their weights; each ends in a known state.
SCENARIO_WEIGHTS = {
    "reported": 5,
    "dropped_early": 2,
    "registered": 6,
    "suspended_registered": 1.5,
    "in_mediation": 10,
    "suspended_mediation": 1.5,
    "resumed": 1,
    "withdrawn": 3,
    "agreement_pending": 7,
    "follow_up": 8,
    "resolved": 24,
    "resolved_direct": 2,
    "breach": 4,
    "failed_closed": 7,
    "failed_referred": 10,
}
# One mediable case of each of these guarantees that every state appears (from 10 cases).
COVERAGE_SCENARIOS = (
    "reported",  # SIGNALE
    "registered",  # ENREGISTRE
    "in_mediation",  # EN_MEDIATION
    "agreement_pending",  # ACCORD
    "follow_up",  # SUIVI
    "resolved",  # CLOTURE_RESOLU
    "referred_pending",  # RENVOYE
    "failed_closed",  # CLOTURE_NON_RESOLU
    "withdrawn",  # CLASSE
    "suspended_registered",  # SUSPENDU
    # And a closure returned then approved, and a breach (issue 14).
    "resolved_direct",
    "breach",
)


@dataclass(frozen=True)
class CasePlan:
    number: int
    scenario: str
    place: DemoPlace
    event_date: date
    reported_on: date
    channel: str
    conflict_type: str
    scope: str
    title: str
    narrative: str
    narrative_lang: str
    translation: str | None
    title_translation: str
    persons_affected: int | None
    deaths: int
    injuries_serious: int
    injuries_minor: int
    damage_text: str | None
    damage_fcfa: int | None
    livestock_heads: int | None
    confidentiality: str
    parties: tuple[PartyPlan, ...]
    steps: tuple[Step, ...]
    entry_level: int = 0
    entry_level_reason: str | None = None

    @property
    def expected_status(self) -> CaseStatus:
        """The state the case ends in once its steps are applied."""
        status = S.SIGNALE
        before_suspension = None
        for step in self.steps:
            if step.kind == "register":
                status = S.ENREGISTRE
            elif step.kind == "mediate":
                status = S.EN_MEDIATION
            elif step.kind == "agreement":
                status = S.ACCORD
            elif step.kind == "visit":
                status = S.SUIVI
            elif step.kind == "breach":
                renegotiate = step.data["choice"] == "renegotiate"
                status = S.EN_MEDIATION if renegotiate else S.CLOTURE_NON_RESOLU
            elif step.kind == "refer":
                status = S.RENVOYE
            elif step.kind == "feedback":
                status = {
                    case_services.FeedbackResult.SENT_BACK: S.EN_MEDIATION,
                    case_services.FeedbackResult.SETTLED: S.CLOTURE_RESOLU,
                    case_services.FeedbackResult.NOT_SETTLED: S.CLOTURE_NON_RESOLU,
                }[step.data["result"]]
            elif step.kind == "suspend":
                before_suspension, status = status, S.SUSPENDU
            elif step.kind == "resume":
                status = before_suspension
            elif step.kind in ("close", "drop"):
                status = CaseStatus(step.data["status"])
        return status

    def dates(self) -> list[date]:
        return [self.event_date, self.reported_on] + [s.on for s in self.steps if s.on]


class CasePlanner(PathPlanner):
    """Plans the caseload of a seed, case by case, from one random stream."""

    def plan(self, count: int) -> list[CasePlan]:
        rng = self.rng
        forced: dict[int, str] = {}
        if count >= len(COVERAGE_SCENARIOS):
            positions = rng.sample(range(count), len(COVERAGE_SCENARIOS))
            forced = dict(zip(positions, COVERAGE_SCENARIOS, strict=True))
        return [self.case(number, forced.get(number)) for number in range(count)]

    # --- one case

    def case(self, number: int, forced: str | None) -> CasePlan:
        rng = self.rng
        place = weighted(rng, [(p, p.weight) for p in self.places])
        factors = REGION_CONFLICT_FACTOR.get(place.region, {})
        weights = {t: w * factors.get(t, 1) for t, w in CONFLICT_WEIGHTS.items()}
        if forced:
            weights = {t: w for t, w in weights.items() if t not in STAR_TYPES}
        conflict_type = weighted(rng, weights)
        star = conflict_type in STAR_TYPES
        deaths = injuries_serious = injuries_minor = 0
        if not forced and not star and rng.random() < HARM_CHANCE.get(conflict_type, 0):
            deaths = rng.choice((0, 0, 1, 1, 2, 3))
            injuries_serious = rng.randint(0 if deaths else 1, 4)
            injuries_minor = rng.randint(0, 8)
        elif conflict_type in ("INTERCOMMUNAUTAIRE", "TRANSHUMANCE") or (
            conflict_type == "BANDITISME" and rng.random() < 0.5
        ):
            injuries_minor = rng.randint(0, 4)
        if conflict_type == "BANDITISME" and rng.random() < 0.2:
            injuries_serious = 1
        harm = deaths > 0 or injuries_serious > 0

        story = rng.choice(STORIES[conflict_type])
        lang = rng.choice(("fr", "en"))
        village = rng.choice(VILLAGES[place.region])
        values = self.values(conflict_type)
        deceased = ""
        names: tuple[str | None, str | None] = (None, None)
        kin_ethnic = None
        if conflict_type == "SUCCESSION":
            kin_ethnic = self.ethnic(place.region)
            deceased, *kin = self.kin(kin_ethnic, daughter=story.parties[0] == "woman")
            names = (kin[0], kin[1])
        complainant = self.party(
            story.parties[0], PartyRole.COMPLAINANT.value, place, village,
            ethnic=kin_ethnic, name=names[0],
        )  # fmt: skip
        respondent = self.party(
            story.parties[1], PartyRole.RESPONDENT.value, place, village,
            ethnic=kin_ethnic, name=names[1],
        )  # fmt: skip
        parties = [complainant, respondent]
        if story.parties[1] in ("unknown", "unknown_armed") and rng.random() < 0.5:
            parties = [complainant]  # the authors are unknown: only the victim is recorded
        elif rng.random() < 0.2 and not star:
            parties.append(self.party("third", PartyRole.THIRD.value, place, village))
        texts = {}
        for language in ("fr", "en"):
            fmt = dict(
                place=place.name,
                village=village,
                a=getattr(complainant, f"mention_{language}"),
                b=getattr(respondent, f"mention_{language}"),
                deceased=deceased,
                heads=values["heads"],
                fcfa=fcfa(values["fcfa"], language),
                ha=values["ha"].replace(".", ",") if language == "fr" else values["ha"],
            )
            title, narrative = (part.format(**fmt) for part in getattr(story, language))
            if harm and not star:
                narrative += harm_sentence(language, deaths, injuries_serious)
            if language == "fr":
                title, narrative = french(title), french(narrative)
            texts[language] = (sentences(title), sentences(narrative))
        other = "en" if lang == "fr" else "fr"
        translation = texts[other][1] if rng.random() < 1 / 3 else None
        damage = DAMAGE_TEXT.get(conflict_type)
        damage_text = None
        if damage:
            ha = values["ha"].replace(".", ",") if lang == "fr" else values["ha"]
            damage_text = damage[0 if lang == "fr" else 1].format(ha=ha, heads=values["heads"])

        scenario = forced or weighted(rng, SCENARIO_WEIGHTS)
        if star or harm:
            scenario = "crime_referral"  # crimes, deaths and serious injuries are referred
        ctx = CaseContext(conflict_type, place, parties, lang, harm, values, village)
        scope = weighted(rng, SCOPES[conflict_type])
        if scope == "INTERCOMMUNAUTAIRE" and scenario != "crime_referral":
            # Two villages: the chiefs hear it from the start (issue 15).
            ctx.entry_level = 2 if rng.random() < 0.35 else 0
        delay = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 9, 12, 15, 20))
        steps, reported_on = self.timeline(scenario, ctx, delay)
        event_date = reported_on - timedelta(days=delay)

        collective = any(p.kind != PartyKind.INDIVIDUAL.value for p in parties)
        persons = rng.randint(20, 400) if collective else rng.randint(1, 12)
        return CasePlan(
            number=number,
            scenario=scenario,
            place=place,
            event_date=event_date,
            reported_on=reported_on,
            channel=self.channel(conflict_type),
            conflict_type=conflict_type,
            scope=scope,
            title=texts[lang][0],
            narrative=texts[lang][1],
            narrative_lang=lang,
            translation=translation,
            # Titles are short: every demo title is translated, so that a reader meets the
            # list in their own language (a narrative is translated one time in three).
            title_translation=texts[other][0],
            persons_affected=persons if rng.random() < 0.85 else None,
            deaths=deaths,
            injuries_serious=injuries_serious,
            injuries_minor=injuries_minor,
            damage_text=damage_text,
            damage_fcfa=values["damage"],
            livestock_heads=values["livestock"],
            confidentiality=self.confidentiality(conflict_type, harm),
            parties=tuple(parties),
            steps=tuple(steps),
            entry_level=ctx.entry_level,
            entry_level_reason=ENTRY_REASON if ctx.entry_level else None,
        )

    def values(self, conflict_type: str) -> dict:
        rng = self.rng
        heads = rng.choice((2, 3, 4, 5, 6, 8, 12, 15, 25, 30, 40))
        fcfa = round_to(rng.uniform(40_000, 600_000))
        damage = livestock = None
        if conflict_type == "DEGATS_CHAMPETRES":
            heads = rng.randint(8, 60)
            damage, livestock = fcfa, heads
        elif conflict_type == "VOL_BETAIL":
            heads = rng.randint(2, 15)
            damage, livestock = round_to(heads * rng.uniform(60_000, 250_000)), heads
        elif conflict_type in ("TRANSHUMANCE", "PATURAGE", "EAU_PUITS"):
            livestock = rng.randint(50, 600)
        elif conflict_type == "BANDITISME":
            fcfa = round_to(rng.uniform(150_000, 3_000_000), 25_000)
            damage = fcfa
        elif conflict_type == "GROUPE_ARME":
            heads = rng.randint(10, 120)
            livestock = heads
        elif conflict_type == "DETTE_COMMERCE":
            fcfa = round_to(rng.uniform(100_000, 2_500_000), 25_000)
        elif conflict_type == "MATRIMONIAL":
            fcfa = round_to(rng.uniform(50_000, 400_000), 25_000)
        return {
            "heads": heads,
            "fcfa": fcfa,
            "ha": rng.choice(("0.5", "1", "1.5", "2", "3", "4")),
            "damage": damage,
            "livestock": livestock,
        }

    def channel(self, conflict_type: str) -> str:
        if conflict_type in STAR_TYPES:
            pairs = {"ALERTE": 2, "FDS": 2, "POLICE_PROXIMITE": 2, "RELAIS_COMMUNAUTAIRE": 2}
        else:
            pairs = {
                "PLAINTE_DIRECTE": 4,
                "CHEF_VILLAGE": 3,
                "RELAIS_COMMUNAUTAIRE": 2,
                "POLICE_PROXIMITE": 1,
                "AUTRE": 0.3,
            }
        return weighted(self.rng, pairs)

    def confidentiality(self, conflict_type: str, harm: bool) -> str:
        rng = self.rng
        secret, restricted = Confidentiality.SECRET.value, Confidentiality.RESTRICTED.value
        if conflict_type == "VBG":  # gender-based violence is always secret (issue 12)
            rng.random()  # the draw is kept: the rest of the demo stays as it was
            return secret
        if conflict_type == "GROUPE_ARME":
            return secret if rng.random() < 0.7 else restricted
        if conflict_type in ("TRAFIC", "BANDITISME") or harm:
            return restricted if rng.random() < 0.7 else secret
        if conflict_type in ("CHEFFERIE", "POLITIQUE") and rng.random() < 0.3:
            return restricted
        return restricted if rng.random() < 0.05 else Confidentiality.STANDARD.value
