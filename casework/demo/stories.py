"""The demo's words and numbers, read from the JSON files in ``data/``.

Each file says what it holds in its ``_about`` lines. A text someone reads in a case or a
policing record (a title, a narrative, a clause, a reason, an agenda) is an object by
language, ``{"fr": …, "en": …}``; most exist in French only for now and the demo writes
them in French, stories in the language drawn for the case. Names of people, places, bodies
and functions are plain strings.

The constants below keep the shapes the planners draw from (tuples, pairs, dictionaries in
the order of the files): the order of a list or of a weighted table is part of what a seed
gives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from casework.policing.enums import Force
from casework.roles import Role

DATA = Path(__file__).parent / "data"


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _frozen(value):
    """Lists become tuples, all the way down (the data is read, never changed)."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _fr(text: dict) -> str:
    """The French of a text given by language (the programme's working language)."""
    return text["fr"]


def _pairs(weights: dict) -> tuple[tuple, ...]:
    return tuple(weights.items())


# --- users, actors, places ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    area_code: str
    gbv_trained: bool = False  # may open gender-based violence cases (issue 15)


@dataclass(frozen=True)
class DemoActor:
    actor_type: str
    name: str
    function: str
    organisation: str | None
    sex: str
    unit_code: str
    region: str
    trained: bool


@dataclass(frozen=True)
class DemoPlace:
    code: str
    region: str
    name: str
    weight: float


@dataclass(frozen=True)
class Story:
    """A kind of dispute told in both languages. Placeholders: {place}, {a} (complainant),
    {b} (respondent), {village}, {deceased}, {heads}, {fcfa}, {ha}."""

    parties: tuple[str, str]  # profiles of the complainant and the respondent
    fr: tuple[str, str]  # title, narrative
    en: tuple[str, str]


@dataclass(frozen=True)
class DemoPoliceUnit:
    name: str
    force: str
    commune: str  # the code of a commune among PLACES
    focal_point: str | None = None  # the username of a demo community-police user


_people = _load("people.json")
DEMO_USERS = tuple(
    DemoUser(
        u["username"],
        u["full_name"],
        Role(u["role"]).value,
        u["area_code"],
        bool(u.get("gbv_trained", False)),
    )
    for u in _people["users"]
)
DEMO_ACTORS = tuple(
    DemoActor(
        a["actor_type"],
        a["name"],
        a["function"],
        a["organisation"],
        a["sex"],
        a["unit_code"],
        a["unit_code"][:3],
        a["trained"],
    )
    for a in _people["actors"]
)

_places = _load("places.json")
PLACES = tuple(DemoPlace(p["code"], p["region"], p["name"], p["weight"]) for p in _places["places"])
VILLAGES = _frozen(_places["villages"])

# --- names ----------------------------------------------------------------------------------

_names = _load("names.json")
GIVEN = _frozen(_names["given"])
SURNAMES = _frozen(_names["surnames"])
# (community label, French adjective, English adjective)
ETHNIC_LABEL = {
    group: (c["label"], c["adjective"]["fr"], c["adjective"]["en"])
    for group, c in _names["communities"].items()
}
REGION_ETHNIC = _names["region_mix"]
ETHNIC_BIAS = _names["livelihood_bias"]  # how a livelihood shifts the mix
FRACTIONS = _frozen(_names["fractions"])
# The name of a party that is not a person, and how narratives mention it: {"name": …,
# "mention": {"fr": …, "en": …}}.
PARTY_WORDS = _names["parties"]

# --- conflict types and their stories -------------------------------------------------------

_conflicts = _load("conflicts.json")
_types = _conflicts["types"]
CONFLICT_WEIGHTS = {code: t["weight"] for code, t in _types.items()}
REGION_CONFLICT_FACTOR = _conflicts["region_factors"]
SCOPES = {code: _pairs(t["scopes"]) for code, t in _types.items()}
# The chance that a mediable dispute came with a death or a serious injury (then referred).
HARM_CHANCE = {code: t["harm_chance"] for code, t in _types.items() if "harm_chance" in t}
# The sentence added to a narrative when people died or were seriously injured.
HARM_WORDS = _conflicts["harm"]
DAMAGE_TEXT = {
    code: (t["damage"]["fr"], t["damage"]["en"]) for code, t in _types.items() if "damage" in t
}
STORIES: dict[str, tuple[Story, ...]] = {
    code: tuple(
        Story(
            tuple(s["parties"]),
            (s["title"]["fr"], s["narrative"]["fr"]),
            (s["title"]["en"], s["narrative"]["en"]),
        )
        for s in stories
    )
    for code, stories in _load("stories.json")["stories"].items()
}

# --- mediation: the ladder, agreements, minutes, reasons ------------------------------------

_mediation = _load("mediation.json")
_ladder = _mediation["ladder"]
# Who sits at each level of the ladder (DOMAIN.md §2), how, where; why a case climbs to it.
LEVEL_ACTOR_TYPES = {step["level"]: tuple(step["actor_types"]) for step in _ladder}
LEVEL_MECHANISMS = {step["level"]: _pairs(step["mechanisms"]) for step in _ladder}
LEVEL_PLACES = {step["level"]: _pairs(step["places"]) for step in _ladder}
# Who refers a case from each level ({place}, {village}); land disputes at level 3 go
# through the land commission.
LEVEL_INSTITUTIONS = {step["level"]: step["institution"] for step in _ladder}
LAND_INSTITUTION = next(s["land_institution"] for s in _ladder if "land_institution" in s)
ESCALATION_REASONS = {
    step["level"]: _fr(step["escalation_reason"]) for step in _ladder if "escalation_reason" in step
}
# (description, who is bound: "R" respondent, "C" complainant, None both, days to deadline)
TERMS: dict[str, tuple[tuple[str, str | None, int | None], ...]] = {
    code: tuple((_fr(t["text"]), t["bound"], t["days"]) for t in terms)
    for code, terms in _mediation["terms"].items()
}
MINUTES = _frozen(_mediation["minutes"])  # by language, then by session result
PRIVATE_NOTES = tuple(_fr(n) for n in _mediation["private_notes"])
SUSPEND_REASONS = tuple(_fr(r) for r in _mediation["suspend_reasons"])
RESUME_REASON = _fr(_mediation["resume_reason"])
DROP_REASONS = tuple((_fr(r["reason"]), r["outcome"]) for r in _mediation["drop_reasons"])
WITHDRAW_REASONS = tuple((_fr(r["reason"]), r["outcome"]) for r in _mediation["withdraw_reasons"])
FAILED_REASONS = tuple(_fr(r) for r in _mediation["failed_reasons"])
RESOLVED_REASON = _fr(_mediation["resolved_reason"])
DIRECT_CLOSE_REASON = _fr(_mediation["direct_close_reason"])
# Closure with approval, breaches and recurrences (issue 14).
RETURN_COMMENT = _fr(_mediation["closure_return_comment"])
BREACH_REASONS = {choice: _fr(text) for choice, text in _mediation["breach_reasons"].items()}
RECURRENCE_REASON = _fr(_mediation["recurrence_reason"])
LAND_REFERRAL_REASON = _fr(_mediation["referral_reasons"]["land"])
REFERRAL_TO_ADMINISTRATION = _fr(_mediation["referral_reasons"]["to_administration"])
REFERRAL_TO_JUDGE = _fr(_mediation["referral_reasons"]["to_judge"])
LIVESTOCK_RESTITUTION = _fr(_mediation["restitution"]["livestock"])
LAND_RESTITUTION = _fr(_mediation["restitution"]["land"])
DEFAULT_WITNESSES = _mediation["default_witnesses"]
CIVIL_CASE_TITLE = _fr(_mediation["civil_case_title"])
CIVIL_CASE_TITLE_EN = _mediation["civil_case_title"]["en"]
# Why a dispute between villages enters at the chiefs (level 2).
ENTRY_REASON = _fr(_mediation["entry_reason"])
FOLLOW_UP_NOTES = {
    compliance: tuple(_fr(n) for n in notes)
    for compliance, notes in _mediation["follow_up_notes"].items()
}
_crimes = _mediation["crime_referrals"]
CRIME_REFERRALS = {key: _pairs(c["targets"]) for key, c in _crimes.items()}
CRIME_REASONS = {key: _fr(c["reason"]) for key, c in _crimes.items()}
# How the parties of a crime are told of its referral (issue 15: told, not asked).
CRIME_NOTICE_MEANS = _mediation["crime_notice_means"]
CRIME_FEEDBACK = {
    result: tuple(_fr(t) for t in texts)
    for result, texts in _mediation["feedback"]["crime"].items()
}
MEDIATION_FEEDBACK = {
    result: tuple(_fr(t) for t in texts)
    for result, texts in _mediation["feedback"]["mediation"].items()
}

# --- community policing ---------------------------------------------------------------------

_policing = _load("policing.json")
POLICE_UNITS = tuple(
    DemoPoliceUnit(u["name"], Force(u["force"]).value, u["commune"], u["focal_point"])
    for u in _policing["units"]
)
# Communes with a security committee (CCS), chaired by the mayor; the mayor and the women's
# representative always sit, the others are drawn: (function, sex or None for either,
# community or None for any of the region).
_ccs = _policing["committees"]
CCS_COMMUNES = tuple(_ccs["communes"])
CCS_NAME = _ccs["name"]
CCS_CHAIR = _ccs["chair"]
CCS_MAYOR = _ccs["mayor"]
CCS_WOMEN = _ccs["women"]
CCS_FUNCTIONS = tuple((f["function"], f["sex"], f.get("community")) for f in _ccs["functions"])
CCS_STANDING_ITEM = _fr(_ccs["standing_item"])  # opens every agenda
CCS_AGENDA = tuple(_fr(a) for a in _ccs["agenda"])
CCS_NOTES = tuple(_fr(n) for n in _ccs["notes"])
CCS_RECOMMENDATIONS = tuple((_fr(r["text"]), r["responsible"]) for r in _ccs["recommendations"])

# Activities: (community participants low, high), share of women, share of young people,
# duration in minutes; topics and places ({place}, {commune}, {village}, {other}).
_activities = _policing["activities"]
ACTIVITY_PROFILES = {
    kind: _frozen([a["participants"], a["women_share"], a["youth_share"], a["minutes"]])
    for kind, a in _activities.items()
}
ACTIVITY_WEIGHTS = {kind: a["weight"] for kind, a in _activities.items()}
ACTIVITY_TOPICS = {kind: tuple(_fr(t) for t in a["topics"]) for kind, a in _activities.items()}
ACTIVITY_SITES = {kind: tuple(a["sites"]) for kind, a in _activities.items()}
ACTIVITY_NOTES = tuple(_fr(n) for n in _policing["activity_notes"])

# Alerts: where (regions where someone may record them), what, how urgent, from whom.
_alerts = _policing["alerts"]
_categories = _alerts["categories"]
ALERT_REGIONS = _alerts["regions"]
ALERT_CATEGORY_WEIGHTS = {category: c["weight"] for category, c in _categories.items()}
REGION_ALERT_FACTOR = _alerts["region_factors"]
ALERT_URGENCY = {
    category: {int(urgency): weight for urgency, weight in c["urgency"].items()}
    for category, c in _categories.items()
    if "urgency" in c
}
# source type: (weight, prefix of its relay codes, how many relays of the kind)
ALERT_SOURCES = {
    source: (s["weight"], s["relay_prefix"], s["relays"])
    for source, s in _alerts["sources"].items()
}
ALERT_TEXTS = {category: tuple(_fr(t) for t in c["texts"]) for category, c in _categories.items()}
ALERT_SITES = {category: tuple(c["sites"]) for category, c in _categories.items()}
FORWARD_TARGETS = {category: c["forward_to"] for category, c in _categories.items()}
RESPONSES = {target: tuple(_fr(t) for t in texts) for target, texts in _alerts["responses"].items()}
# When an alert becomes a case: its conflict type (the one casework.policing.services
# suggests) and a title; mediable disputes and ★ ones (DOMAIN.md §5) apart.
ALERT_CASES = {
    category: (c["case"]["conflict_type"], c["case"]["title"])
    for category, c in _categories.items()
    if "case" in c and not c["case"]["crime"]
}
ALERT_STAR_CASES = {
    category: (c["case"]["conflict_type"], c["case"]["title"])
    for category, c in _categories.items()
    if "case" in c and c["case"]["crime"]
}
# The party of a case opened from an alert ({fraction}, {village}).
ALERT_CASE_PARTY = _alerts["case_party"]
# Runs of recent alerts that reach the default early-warning threshold (3 alerts of one
# category in one commune within 7 days): (commune, category, days before today).
WARNING_RUNS = tuple(
    (run["commune"], run["category"], tuple(run["days_ago"])) for run in _alerts["warning_runs"]
)
