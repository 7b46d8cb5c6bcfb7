"""The planners' base: a random stream, a date, places, and the people of a case drawn from
them (parties named as people of the region are, and how narratives mention them)."""

from __future__ import annotations

from dataclasses import dataclass

from casework.cases.enums import AgeBand, PartyKind, Sex
from casework.demo.common import DEFAULT_FOLLOW_UP_DAYS, french, weighted
from casework.demo.stories import (
    ETHNIC_BIAS,
    ETHNIC_LABEL,
    FRACTIONS,
    GIVEN,
    PARTY_WORDS,
    REGION_ETHNIC,
    SURNAMES,
    VILLAGES,
    DemoPlace,
)


@dataclass(frozen=True)
class PartyPlan:
    role: str
    name: str
    kind: str
    sex: str
    age_band: str
    livelihood: str | None
    community: str | None
    consent_to_share: bool
    mention_fr: str = ""  # how a narrative names the party ("la fraction Kel Essouk")
    mention_en: str = ""


def _named(kind: str, **values) -> tuple[str, tuple[str, str]]:
    """The name of a party that is not a person (in French), and its French and English
    mentions; a value given by language ({"fr": …, "en": …}) is put in that language."""

    def said(template: str, lang: str) -> str:
        return template.format(
            **{key: v[lang] if isinstance(v, dict) else v for key, v in values.items()}
        )

    words = PARTY_WORDS[kind]
    mention = words["mention"]
    return said(words["name"], "fr"), (said(mention["fr"], "fr"), said(mention["en"], "en"))


class Planner:
    """Draws from one random stream; the case and policing planners build on it."""

    def __init__(self, rng, today, follow_up_days, places):
        self.rng = rng
        self.today = today
        self.fu_days = follow_up_days or DEFAULT_FOLLOW_UP_DAYS
        self.places = tuple(places)

    def ethnic(self, region: str, bias: str | None = None) -> str:
        weights = dict(REGION_ETHNIC[region])
        for group, factor in ETHNIC_BIAS.get(bias, {}).items():
            if group in weights:
                weights[group] *= factor
        return weighted(self.rng, weights)

    def person(self, ethnic: str, sex: str) -> tuple[str, str]:
        """A full name and a surname-like family name."""
        rng = self.rng
        given = rng.choice(GIVEN[ethnic][sex])
        if ethnic == "tamasheq":
            father = rng.choice(GIVEN[ethnic]["M"])
            link = "Ag" if sex == "M" else "Walet"
            return f"{given} {link} {father}", f"Ag {father}"
        if ethnic == "arabe":
            father = rng.choice(GIVEN[ethnic]["M"])
            link = "Ould" if sex == "M" else "Mint"
            return f"{given} {link} {father}", f"Ould {father}"
        surname = rng.choice(SURNAMES[ethnic])
        return f"{given} {surname}", surname

    def party(
        self,
        profile: str,
        role: str,
        place: DemoPlace,
        village: str,
        *,
        ethnic: str | None = None,
        name: str | None = None,
    ) -> PartyPlan:
        """A party of a profile (farmer, herder_group, women_assoc…), named as people of the
        region are, with how narratives mention it in French and in English."""
        rng = self.rng
        region = place.region
        kind = PartyKind.INDIVIDUAL.value
        sex = Sex.MALE.value
        age = weighted(
            rng,
            {AgeBand.ADULT.value: 6, AgeBand.YOUTH.value: 3, AgeBand.ELDER.value: 2,
             AgeBand.UNKNOWN.value: 1},
        )  # fmt: skip
        livelihood = None
        bias = {"herder": "herder", "herder_group": "herder", "farmer": "farmer",
                "village": "farmer", "trader": "trader"}.get(profile)  # fmt: skip
        ethnic = ethnic or self.ethnic(region, bias)
        label, adjective, english = ETHNIC_LABEL[ethnic]
        group = {"adjective": {"fr": adjective, "en": english}, "place": place.name}
        community = label if rng.random() < 0.6 else None
        mention = None
        if profile in ("farmer", "herder", "man", "trader", "official", "youth", "elder"):
            livelihood = {
                "farmer": rng.choice(("AGRICULTEUR", "AGRICULTEUR", "AGRO_PASTEUR")),
                "herder": rng.choice(("ELEVEUR", "ELEVEUR", "AGRO_PASTEUR")),
                "trader": "COMMERCANT",
                "official": "FONCTIONNAIRE",
                "youth": rng.choice(("SANS_EMPLOI", "ELEVEUR", "ARTISAN")),
            }.get(profile) or rng.choice(
                ("AGRICULTEUR", "ELEVEUR", "COMMERCANT", "ARTISAN", "PECHEUR", "AUTRE")
            )
            if profile in ("farmer", "trader") and rng.random() < 0.25:
                sex = Sex.FEMALE.value
            if profile == "youth" or (profile == "herder" and rng.random() < 0.4):
                age = AgeBand.YOUTH.value
            if profile == "elder":
                age = AgeBand.ELDER.value
            full = self.person(ethnic, sex)[0]
        elif profile in ("woman", "girl"):
            sex = Sex.FEMALE.value
            full = self.person(ethnic, sex)[0]
            livelihood = rng.choice(("AGRICULTEUR", "COMMERCANT", "ARTISAN", "AUTRE", None))
            if profile == "girl":
                age, livelihood = AgeBand.UNDER_18.value, None
        elif profile == "family":
            kind, sex = PartyKind.FAMILY.value, Sex.UNKNOWN.value
            elder, surname = self.person(ethnic, "M")
            if ethnic in ("tamasheq", "arabe"):
                full, mention = _named("family_of_the_late", elder=elder)
            else:
                full, mention = _named("family", surname=surname, village=village)
            livelihood = rng.choice(("AGRICULTEUR", "AGRO_PASTEUR", "COMMERCANT"))
        elif profile == "herder_group":
            sex, livelihood, community = Sex.UNKNOWN.value, "ELEVEUR", label
            kind = PartyKind.FRACTION.value
            if ethnic in FRACTIONS:
                fraction = rng.choice(FRACTIONS[ethnic])
                words = "fraction" if ethnic == "tamasheq" else "arab_fraction"
                full, mention = _named(words, fraction=fraction)
            elif ethnic == "peul":
                camp = rng.choice(VILLAGES[region])
                full, mention = _named("peul_camp", camp=camp)
            else:
                kind = PartyKind.COMMUNITY.value
                full, mention = _named("herders", **group)
        elif profile == "village":
            kind, sex, livelihood = PartyKind.VILLAGE.value, Sex.UNKNOWN.value, "AGRICULTEUR"
            full, mention = _named("village", village=village)
        elif profile == "community":
            kind, sex, community = PartyKind.COMMUNITY.value, Sex.UNKNOWN.value, label
            full, mention = _named("community", **group)
        elif profile == "women_assoc":
            kind, sex, livelihood = PartyKind.ASSOCIATION.value, Sex.FEMALE.value, "AGRICULTEUR"
            community = None
            full, mention = _named("women_assoc", place=place.name)
        elif profile == "youth_assoc":
            kind, sex, community = PartyKind.ASSOCIATION.value, Sex.UNKNOWN.value, None
            full, mention = _named("youth_assoc", place=place.name)
        elif profile in ("unknown", "unknown_armed"):
            sex, age, community = Sex.UNKNOWN.value, AgeBand.UNKNOWN.value, None
            full, mention = _named(profile)
        else:  # a third party: a witness, a neighbour, an elder
            sex = Sex.FEMALE.value if rng.random() < 0.35 else Sex.MALE.value
            full = self.person(ethnic, sex)[0]
            livelihood = rng.choice(("AGRICULTEUR", "ELEVEUR", "COMMERCANT", "AUTRE"))
        if kind == PartyKind.ASSOCIATION.value and profile == "youth_assoc":
            age = AgeBand.YOUTH.value
        elif kind != PartyKind.INDIVIDUAL.value:
            age = AgeBand.UNKNOWN.value
        full = french(name or full)
        mention = mention or (full, full)
        return PartyPlan(
            role=role,
            name=full,
            kind=kind,
            sex=sex,
            age_band=age,
            livelihood=livelihood,
            community=community,
            consent_to_share=rng.random() < 0.6,
            mention_fr=french(mention[0]),
            mention_en=mention[1],
        )

    def kin(self, ethnic: str, daughter: bool) -> tuple[str, str, str]:
        """For an inheritance: the deceased, then the complainant and the respondent (his
        daughter and his brother, or two of his sons), named as kin are in the group."""
        rng = self.rng

        def given(sex: str, *taken: str) -> str:
            names = [n for n in GIVEN[ethnic][sex] if n not in taken] or list(GIVEN[ethnic][sex])
            return rng.choice(names)

        dead = given("M")
        if ethnic in ("tamasheq", "arabe"):
            son, girl = ("Ag", "Walet") if ethnic == "tamasheq" else ("Ould", "Mint")
            grandfather = given("M", dead)
            deceased = f"{dead} {son} {grandfather}"
            brother = f"{given('M', dead, grandfather)} {son} {grandfather}"
            first_son = given("M", dead)
            sons = (f"{first_son} {son} {dead}", f"{given('M', dead, first_son)} {son} {dead}")
            child = f"{given('F')} {girl} {dead}"
        else:
            surname = rng.choice(SURNAMES[ethnic])
            deceased = f"{dead} {surname}"
            brother = f"{given('M', dead)} {surname}"
            first_son = given("M", dead)
            sons = (f"{first_son} {surname}", f"{given('M', dead, first_son)} {surname}")
            child = f"{given('F')} {surname}"
        if daughter:
            return deceased, child, brother
        return deceased, *sons
