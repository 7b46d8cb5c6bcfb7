"""Community policing around a planned caseload: police units in the communes with cases,
security committees with their members and monthly meetings, activities (some dealing with
the planned cases) and alerts (some becoming cases), from a random stream of its own so
that the cases of a seed do not depend on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from casework.cases.enums import Confidentiality, PartyKind, Sex
from casework.demo.cases import CasePlan
from casework.demo.common import DEFAULT_FOLLOW_UP_DAYS, MAX_AGE_DAYS, STAR_TYPES, french, weighted
from casework.demo.people import Planner
from casework.demo.stories import (
    ACTIVITY_NOTES,
    ACTIVITY_PROFILES,
    ACTIVITY_SITES,
    ACTIVITY_TOPICS,
    ACTIVITY_WEIGHTS,
    ALERT_CASE_PARTY,
    ALERT_CASES,
    ALERT_CATEGORY_WEIGHTS,
    ALERT_REGIONS,
    ALERT_SITES,
    ALERT_SOURCES,
    ALERT_STAR_CASES,
    ALERT_TEXTS,
    ALERT_URGENCY,
    CCS_AGENDA,
    CCS_CHAIR,
    CCS_COMMUNES,
    CCS_FUNCTIONS,
    CCS_MAYOR,
    CCS_NAME,
    CCS_NOTES,
    CCS_RECOMMENDATIONS,
    CCS_STANDING_ITEM,
    CCS_WOMEN,
    DEMO_USERS,
    FORWARD_TARGETS,
    FRACTIONS,
    POLICE_UNITS,
    REGION_ALERT_FACTOR,
    RESPONSES,
    SCOPES,
    VILLAGES,
    WARNING_RUNS,
    DemoPlace,
    DemoPoliceUnit,
)
from casework.policing.enums import RecommendationStatus
from casework.roles import Role

# Which planned cases an activity of a type may deal with (cases of its commune).
SECRET = Confidentiality.SECRET.value


def links_activity(activity_type: str, case: CasePlan) -> bool:
    if case.confidentiality == SECRET:
        return False
    harm = case.deaths > 0 or case.injuries_serious > 0
    star = case.conflict_type in STAR_TYPES
    if activity_type == "MEDIATION_PETIT_LITIGE":
        return not star and not harm
    if activity_type == "ORIENTATION_FDS":
        return star or harm
    if activity_type == "ASSISTANCE_VICTIME":
        return case.conflict_type in ("BANDITISME", "VOL_BETAIL") or harm
    if activity_type == "TRANSMISSION_ALERTE":
        return star or case.conflict_type in ("INTERCOMMUNAUTAIRE", "VOL_BETAIL", "TRANSHUMANCE")
    if activity_type in ("TABLE_CONCERTATION", "VISITE_AUTORITES"):
        return case.conflict_type in (
            "INTERCOMMUNAUTAIRE", "TRANSHUMANCE", "PATURAGE", "EAU_PUITS", "CHEFFERIE", "FONCIER"
        )  # fmt: skip
    return False


LINKING_ACTIVITIES = (
    "MEDIATION_PETIT_LITIGE",
    "ORIENTATION_FDS",
    "ASSISTANCE_VICTIME",
    "TRANSMISSION_ALERTE",
    "TABLE_CONCERTATION",
    "VISITE_AUTORITES",
)

# (hours of the day, weight): alerts come in day and night, more often in daytime.
ALERT_HOURS = ((range(0, 6), 1), (range(6, 12), 3), (range(12, 18), 3), (range(18, 24), 2))
# Regions where a demo coordinator can turn an alert into a case.
COORDINATED_REGIONS = frozenset(
    u.area_code[:3] for u in DEMO_USERS if u.role == Role.COORDINATOR.value
)


@dataclass(frozen=True)
class MemberPlan:
    name: str
    function: str
    sex: str


@dataclass(frozen=True)
class RecommendationPlan:
    text: str
    responsible: str
    status: str  # where its follow-up stands today (recorded as pending at the meeting)


@dataclass(frozen=True)
class MeetingPlan:
    held_on: date
    agenda: str
    women: int
    men: int
    notes: str | None
    recommendations: tuple[RecommendationPlan, ...]


@dataclass(frozen=True)
class CommitteePlan:
    commune: DemoPlace
    name: str
    chair: str
    members: tuple[MemberPlan, ...]
    months: int  # how many months back its meetings were expected
    meetings: tuple[MeetingPlan, ...]


@dataclass(frozen=True)
class ActivityPlan:
    activity_type: str
    held_on: date
    police_unit: int  # index in PolicingPlan.units
    place: DemoPlace  # the unit's commune or a place in it
    site: str | None
    topic: str
    duration_minutes: int
    participants: int
    women: int
    men: int
    youth: int
    alerts_raised: int
    cases_created: int
    cases_referred: int
    notes: str | None
    case_numbers: tuple[int, ...]  # planned cases (CasePlan.number) it dealt with


@dataclass(frozen=True)
class AlertCasePlan:
    conflict_type: str
    scope: str
    title: str
    title_en: str
    party_name: str
    party_kind: str


@dataclass(frozen=True)
class AlertPlan:
    occurred_at: datetime  # wall-clock time in Bamako, naive
    place: DemoPlace
    site: str | None
    category: str
    urgency: int
    source_type: str
    relay_code: str | None
    description: str
    verified: bool
    forwarded_to: str | None
    forwarded_at: datetime | None
    response: str | None
    responded_at: datetime | None
    police_unit: int | None  # index in PolicingPlan.units
    warning_run: bool = False
    to_case: AlertCasePlan | None = None


@dataclass(frozen=True)
class PolicingPlan:
    units: tuple[DemoPoliceUnit, ...]
    committees: tuple[CommitteePlan, ...]
    activities: tuple[ActivityPlan, ...]
    alerts: tuple[AlertPlan, ...]


def within_commune(place: DemoPlace, commune: str) -> bool:
    return place.code == commune or place.code.startswith(commune + "-")


def months_back(today: date, count: int) -> list[tuple[int, int]]:
    """The current month and the ``count - 1`` before it, most recent first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class PolicingPlanner(Planner):
    """Community policing around a planned caseload, from its own random stream (so that the
    cases of a seed stay what they were)."""

    def __init__(self, rng, today, places, cases: Sequence[CasePlan]):
        super().__init__(rng, today, DEFAULT_FOLLOW_UP_DAYS, places)
        self.cases = tuple(cases)
        self.by_code = {p.code: p for p in self.places}
        # Nothing happens at or after the start of today: every time stays in the past.
        self.horizon = datetime.combine(today, time.min)

    def build(self) -> PolicingPlan:
        units = tuple(u for u in POLICE_UNITS if u.commune in self.by_code)
        committees = tuple(
            self.committee(self.by_code[code]) for code in CCS_COMMUNES if code in self.by_code
        )
        activities = self.activities(units, 3 * len(self.cases)) if units else ()
        alerts = self.alerts(units, round(len(self.cases) / 2))
        return PolicingPlan(units, committees, activities, alerts)

    def village(self, region: str) -> str:
        return self.rng.choice(VILLAGES[region])

    def words(self, place: DemoPlace, commune: DemoPlace | None = None) -> dict:
        others = [
            p.name
            for p in self.places
            if p.region == place.region
            and not p.code.startswith(place.code)
            and not place.code.startswith(p.code)
        ]
        return {
            "place": place.name,
            "commune": (commune or place).name,
            "village": self.village(place.region),
            "other": self.rng.choice(others) if others else place.name,
        }

    # --- security committees

    def committee(self, commune: DemoPlace) -> CommitteePlan:
        rng = self.rng
        region = commune.region
        village = self.village(region)
        size = rng.randint(4, 8)
        chosen = [
            (CCS_MAYOR, Sex.MALE.value if rng.random() < 0.8 else Sex.FEMALE.value, None),
            (CCS_WOMEN, Sex.FEMALE.value, None),
            *rng.sample(CCS_FUNCTIONS, size - 2),
        ]
        members = []
        for function, sex, community in chosen:
            sex = sex or rng.choice((Sex.MALE.value, Sex.FEMALE.value))
            ethnic = community or self.ethnic(region)
            name, _family = self.person(ethnic, sex)
            text = french(function.format(commune=commune.name, village=village))
            members.append(MemberPlan(name, text, sex))
        months = rng.randint(6, 9)
        meetings = self.meetings(commune, members, months)
        return CommitteePlan(
            commune,
            french(CCS_NAME.format(commune=commune.name)),
            french(CCS_CHAIR.format(commune=commune.name)),
            tuple(members),
            months,
            meetings,
        )

    def meetings(self, commune: DemoPlace, members: list[MemberPlan], months: int):
        rng = self.rng
        slots = []
        for year, month in months_back(self.today, months):
            last = self.today.day if (year, month) == (self.today.year, self.today.month) else 28
            if last >= 2:
                slots.append(date(year, month, rng.randint(2, max(2, min(last, 26)))))
        held = [day for day in slots if rng.random() < 0.72]
        if len(held) == len(slots) and len(held) > 3:
            held.remove(rng.choice(held[1:]))  # a month was missed
        while len(held) < min(3, len(slots)):
            held.append(rng.choice([day for day in slots if day not in held]))
        women = sum(m.sex == Sex.FEMALE.value for m in members)
        men = len(members) - women
        plans = []
        for day in sorted(held):
            village = self.village(commune.region)
            agenda = " ; ".join((CCS_STANDING_ITEM, *rng.sample(CCS_AGENDA, rng.randint(1, 2))))
            age = (self.today - day).days
            if age > 120:
                statuses = {"done": 16, "in_progress": 3, "pending": 1}
            elif age > 45:
                statuses = {"done": 9, "in_progress": 7, "pending": 4}
            else:
                statuses = {"done": 1, "in_progress": 4, "pending": 5}
            recommendations = tuple(
                RecommendationPlan(
                    french(text.format(commune=commune.name, village=village)),
                    french(responsible.format(commune=commune.name, village=village)),
                    RecommendationStatus(weighted(rng, statuses)).value,
                )
                for text, responsible in rng.sample(CCS_RECOMMENDATIONS, rng.randint(1, 3))
            )
            plans.append(
                MeetingPlan(
                    held_on=day,
                    agenda=agenda,
                    women=rng.randint(1, women + 2),
                    men=rng.randint(max(2, men - 1), men + 5),
                    notes=rng.choice(CCS_NOTES) if rng.random() < 0.4 else None,
                    recommendations=recommendations,
                )
            )
        return tuple(plans)

    # --- activities

    def activities(self, units: Sequence[DemoPoliceUnit], count: int) -> tuple:
        rng = self.rng
        kinds = list(ACTIVITY_PROFILES) if count >= len(ACTIVITY_PROFILES) else []
        kinds += [weighted(rng, ACTIVITY_WEIGHTS) for _ in range(count - len(kinds))]
        rng.shuffle(kinds)
        weights = [
            sum(p.weight for p in self.places if within_commune(p, u.commune)) for u in units
        ]
        plans = [
            self.activity(kind, rng.choices(range(len(units)), weights=weights)[0], units)
            for kind in kinds
        ]
        return tuple(sorted(plans, key=lambda a: a.held_on))

    def activity(self, kind: str, index: int, units) -> ActivityPlan:
        rng = self.rng
        unit = units[index]
        commune = self.by_code[unit.commune]
        inside = [p for p in self.places if within_commune(p, unit.commune)]
        held_on = self.today - timedelta(days=rng.randint(0, MAX_AGE_DAYS))
        linked: list[CasePlan] = []
        if kind in LINKING_ACTIVITIES and rng.random() < 0.6:
            candidates = [
                c
                for c in self.cases
                if within_commune(c.place, unit.commune) and links_activity(kind, c)
            ]
            if candidates:
                wanted = 2 if rng.random() < 0.2 else 1
                linked = rng.sample(candidates, min(len(candidates), wanted))
                start = max(c.event_date for c in linked)
                held_on = min(self.today, start + timedelta(days=rng.randint(0, 30)))
        place = linked[0].place if linked else rng.choice(inside)
        words = self.words(place, commune)
        (low, high), women_share, youth_share, duration = ACTIVITY_PROFILES[kind]
        participants = rng.randint(low, high)
        women = round(participants * rng.uniform(*women_share))
        youth = round(participants * rng.uniform(*youth_share))
        alerts = 0
        if kind == "TRANSMISSION_ALERTE":
            alerts = rng.randint(1, 2)
        elif kind == "COLLECTE_RENSEIGNEMENT":
            alerts = rng.randint(0, 2)
        elif kind.startswith("PATROUILLE") and rng.random() < 0.15:
            alerts = rng.randint(1, 2)
        elif rng.random() < 0.04:
            alerts = 1
        created = len(linked) if kind == "MEDIATION_PETIT_LITIGE" else 0
        referred = len(linked) if kind in ("ORIENTATION_FDS", "ASSISTANCE_VICTIME") else 0
        return ActivityPlan(
            activity_type=kind,
            held_on=held_on,
            police_unit=index,
            place=place,
            site=french(rng.choice(ACTIVITY_SITES[kind]).format(**words)),
            topic=french(rng.choice(ACTIVITY_TOPICS[kind]).format(**words)),
            duration_minutes=rng.randint(*duration) // 15 * 15,
            participants=participants,
            women=women,
            men=participants - women,
            youth=min(youth, participants),
            alerts_raised=alerts,
            cases_created=created,
            cases_referred=referred,
            notes=rng.choice(ACTIVITY_NOTES) if rng.random() < 0.25 else None,
            case_numbers=tuple(sorted(c.number for c in linked)),
        )

    # --- alerts

    def alerts(self, units: Sequence[DemoPoliceUnit], count: int) -> tuple:
        rng = self.rng
        places = [p for p in self.places if p.region in ALERT_REGIONS]
        if not places or count <= 0:
            return ()
        plans = []
        if count >= 10:
            for commune, category, days in WARNING_RUNS:
                inside = [p for p in places if within_commune(p, commune)]
                if not inside:
                    continue
                for day in days:
                    plans.append(
                        self.alert(rng.choice(inside), units, category, day, warning_run=True)
                    )
        categories = list(ALERT_CATEGORY_WEIGHTS) if count - len(plans) >= 9 else []
        while len(plans) < count:
            place = weighted(rng, [(p, p.weight * ALERT_REGIONS[p.region]) for p in places])
            if categories:
                category = categories.pop()
            else:
                factors = REGION_ALERT_FACTOR.get(place.region, {})
                category = weighted(
                    rng, {c: w * factors.get(c, 1) for c, w in ALERT_CATEGORY_WEIGHTS.items()}
                )
            plans.append(self.alert(place, units, category, rng.randint(1, MAX_AGE_DAYS)))
        plans = self.to_cases(plans, round(count / 10))
        return tuple(sorted(plans, key=lambda a: (a.occurred_at, a.place.code)))

    def alert(self, place, units, category: str, days: int, *, warning_run=False) -> AlertPlan:
        rng = self.rng
        hours = weighted(rng, ALERT_HOURS)
        occurred = datetime.combine(
            self.today - timedelta(days=days), time(rng.choice(hours), rng.randint(0, 59))
        )
        urgency = weighted(rng, ALERT_URGENCY.get(category, {1: 4, 2: 4, 3: 1}))
        source = weighted(rng, {s: weight for s, (weight, _p, _n) in ALERT_SOURCES.items()})
        _weight, prefix, relays = ALERT_SOURCES[source]
        relay = f"{place.region}-{prefix}-{rng.randint(1, relays):03d}" if prefix else None
        words = self.words(place)
        words["n"] = rng.randint(3, 40)
        verified = rng.random() < (0.85 if urgency == 3 else 0.78) or warning_run
        forwarded_to = forwarded_at = response = responded_at = None
        if rng.random() < (0.75 if verified else 0.2):
            forwarded_to = weighted(rng, FORWARD_TARGETS[category])
            delay = {3: (5, 60), 2: (15, 240), 1: (30, 720)}[urgency]
            forwarded_at = occurred + timedelta(minutes=rng.randint(*delay))
            answer = {3: (20, 360), 2: (60, 1440), 1: (240, 3 * 24 * 60)}[urgency]
            minutes = max(rng.randint(*answer), int((forwarded_at - occurred).seconds / 60) + 10)
            moment = occurred + timedelta(minutes=min(minutes, 3 * 24 * 60))
            if rng.random() < 0.78 and moment < self.horizon:
                response = french(rng.choice(RESPONSES[forwarded_to]).format(**words))
                responded_at = moment
            if forwarded_at >= self.horizon:
                forwarded_to = forwarded_at = None
        near = [i for i, u in enumerate(units) if within_commune(place, u.commune)]
        region = [i for i, u in enumerate(units) if u.commune[:3] == place.region]
        police_unit = None
        if near and rng.random() < 0.7:
            police_unit = near[0]
        elif region and rng.random() < 0.3:
            police_unit = rng.choice(region)
        return AlertPlan(
            occurred_at=occurred,
            place=place,
            site=french(rng.choice(ALERT_SITES[category]).format(**words)),
            category=category,
            urgency=urgency,
            source_type=source,
            relay_code=relay,
            description=french(rng.choice(ALERT_TEXTS[category]).format(**words)),
            verified=verified,
            forwarded_to=forwarded_to,
            forwarded_at=forwarded_at,
            response=response,
            responded_at=responded_at,
            police_unit=police_unit,
            warning_run=warning_run,
        )

    def to_cases(self, plans: list[AlertPlan], count: int) -> list[AlertPlan]:
        """About one alert in ten becomes a case (mostly mediable disputes, one or two ★),
        preferably a recent one: the case is reported on the day it is opened."""
        rng = self.rng
        usable = [
            i
            for i, a in enumerate(plans)
            if a.place.region in COORDINATED_REGIONS and a.verified and not a.warning_run
        ]
        usable.sort(key=lambda i: plans[i].occurred_at, reverse=True)
        stars = [i for i in usable if plans[i].category in ALERT_STAR_CASES]
        mediable = [i for i in usable if plans[i].category in ALERT_CASES]
        star_count = 0 if count < 2 else (1 if count < 8 else 2)
        chosen = rng.sample(stars[: 2 * star_count], min(star_count, len(stars)))
        wanted = count - len(chosen)
        chosen += rng.sample(mediable[: 2 * wanted], min(wanted, len(mediable)))
        for i in chosen:
            alert = plans[i]
            conflict_type, title = {**ALERT_CASES, **ALERT_STAR_CASES}[alert.category]
            ethnic = self.ethnic(alert.place.region)
            if ethnic in FRACTIONS:
                fraction = rng.choice(FRACTIONS[ethnic])
                name = ALERT_CASE_PARTY["fraction"].format(fraction=fraction)
                kind = PartyKind.FRACTION
            else:
                village = self.village(alert.place.region)
                name = french(ALERT_CASE_PARTY["community"].format(village=village))
                kind = PartyKind.COMMUNITY
            plans[i] = replace(
                alert,
                to_case=AlertCasePlan(
                    conflict_type=conflict_type,
                    scope=weighted(rng, SCOPES[conflict_type]),
                    title=title["fr"].format(place=alert.place.name),
                    title_en=title["en"].format(place=alert.place.name),
                    party_name=name,
                    party_kind=kind.value,
                ),
            )
        return plans
