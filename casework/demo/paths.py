"""The path a planned case takes through the workflow: registration, sessions up the
ladder, an agreement and its follow-up visits, a referral and its feedback, a suspension,
a closure, each step dated in days after the report, then placed before today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from casework.cases.enums import AgreementForm, Compliance, SessionResult, Sex
from casework.cases.states import HIGHEST_MEDIATION_LEVEL
from casework.demo.common import (
    LAND_TYPES,
    MAX_AGE_DAYS,
    MAX_SESSIONS,
    STAR_TYPES,
    S,
    fcfa,
    french,
    round_to,
    sentences,
    weighted,
)
from casework.demo.people import PartyPlan, Planner
from casework.demo.stories import (
    BREACH_REASONS,
    CIVIL_CASE_TITLE,
    CRIME_FEEDBACK,
    CRIME_REASONS,
    CRIME_REFERRALS,
    DEFAULT_WITNESSES,
    DEMO_ACTORS,
    DIRECT_CLOSE_REASON,
    DROP_REASONS,
    ESCALATION_REASONS,
    FAILED_REASONS,
    FOLLOW_UP_NOTES,
    LAND_INSTITUTION,
    LAND_REFERRAL_REASON,
    LAND_RESTITUTION,
    LEVEL_ACTOR_TYPES,
    LEVEL_INSTITUTIONS,
    LEVEL_MECHANISMS,
    LEVEL_PLACES,
    LIVESTOCK_RESTITUTION,
    MEDIATION_FEEDBACK,
    MINUTES,
    PRIVATE_NOTES,
    RECURRENCE_REASON,
    REFERRAL_TO_ADMINISTRATION,
    REFERRAL_TO_JUDGE,
    RESOLVED_REASON,
    RESUME_REASON,
    SUSPEND_REASONS,
    TERMS,
    WITHDRAW_REASONS,
    DemoPlace,
)


@dataclass(frozen=True)
class Step:
    """One action on a case. ``on`` is the date of the record it creates, if any."""

    kind: str
    on: date | None = None
    data: dict = field(default_factory=dict, hash=False)


@dataclass
class CaseContext:
    """What the planner of a case's path needs to know about the case."""

    conflict_type: str
    place: DemoPlace
    parties: list[PartyPlan]
    lang: str
    harm: bool
    values: dict
    village: str
    level: int = 0
    last_session: Step | None = None
    entry_level: int = 0  # where the case enters the ladder (issue 15)

    @property
    def star(self) -> bool:
        return self.conflict_type in STAR_TYPES

    @property
    def women_involved(self) -> bool:
        return self.conflict_type in ("MATRIMONIAL", "SUCCESSION", "EAU_PUITS") or any(
            p.sex == Sex.FEMALE.value for p in self.parties
        )


class PathPlanner(Planner):
    """Plans the steps of a case once its story is drawn (``CasePlanner`` draws the story)."""

    def timeline(self, scenario: str, ctx: CaseContext, delay: int) -> tuple[list[Step], date]:
        """The steps with their dates, and the date of the report."""
        rng = self.rng
        d1 = self.fu_days[0]
        d2 = self.fu_days[1] if len(self.fu_days) > 1 else None
        # Each builder gives steps dated in days after the report, the step whose date
        # anchors the case, and the window (days before today) where that date falls.
        steps: list[Step] = []
        anchor = 0
        window = (0, 480)
        tail = None  # after an agreement: (compliance at each visit, close when all done)
        mediation_gap = rng.randint(0, 6)

        def register(offset=0):
            steps.append(Step("register", offset))

        def mediate(offset):
            steps.append(Step("mediate", offset))

        if scenario == "reported":
            window = (0, 10)
        elif scenario == "dropped_early":
            reason, outcome = rng.choice(DROP_REASONS)
            steps.append(Step("drop", None, {"status": S.CLASSE, "reason": reason,
                                             "outcome": outcome}))  # fmt: skip
            window = (5, 480)
        elif scenario == "registered":
            register(rng.randint(0, 3))
            anchor, window = steps[-1].on, (0, 25)
        elif scenario == "suspended_registered":
            register(rng.randint(0, 3))
            steps.append(Step("suspend", None, {"reason": rng.choice(SUSPEND_REASONS)}))
            anchor, window = steps[0].on, (3, 300)
        elif scenario in ("in_mediation", "suspended_mediation", "resumed", "withdrawn"):
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            final = "continue" if rng.random() < 0.7 else "escalated"
            count = rng.choice((0, 1, 1, 2, 2, 3)) if scenario == "in_mediation" else None
            end = self.sessions(steps, ctx, steps[-1].on, final, count=count, max_count=3)
            if scenario == "suspended_mediation":
                steps.append(Step("suspend", None, {"reason": rng.choice(SUSPEND_REASONS)}))
                window = (5, 300)
            elif scenario == "resumed":
                steps.append(Step("suspend", None, {"reason": rng.choice(SUSPEND_REASONS)}))
                steps.append(Step("resume", None, {"reason": RESUME_REASON}))
                resumed_on = end + rng.randint(20, 60)
                end = self.sessions(
                    steps, ctx, resumed_on, "continue", start_level=ctx.level, count=1
                )
                window = (0, 40)
            elif scenario == "withdrawn":
                reason, outcome = rng.choice(WITHDRAW_REASONS)
                steps.append(
                    Step("drop", None, {"status": S.CLASSE, "reason": reason, "outcome": outcome})
                )
                window = (3, 420)
            else:
                window = (0, 35)
            anchor = end
        elif scenario in (
            "agreement_pending",
            "follow_up",
            "resolved",
            "resolved_direct",
            "breach",
        ):
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            anchor = self.sessions(steps, ctx, steps[-1].on, "agreement")
            anchor = self.agreement(steps, ctx, anchor)
            if scenario == "agreement_pending":
                window = (0, d1 - 1)
                tail = ([], False)
            elif scenario == "follow_up":
                window = (d1, d2 - 1) if d2 else (d1, 300)
                tail = ([self.compliance(0.7)], False)
            elif scenario == "resolved":
                window = (d2 or d1) + 8, 420
                tail = ([self.compliance(0.8) for _ in self.fu_days], True)
            elif scenario == "breach":
                breach_at = rng.randrange(len(self.fu_days))
                window = (self.fu_days[breach_at] + 3, 400)
                compliances = [self.compliance(0.7) for _ in range(breach_at)]
                tail = (compliances + [Compliance.NOT_RESPECTED.value], False)
            else:
                steps.append(
                    Step("close", None, {"status": S.CLOTURE_RESOLU, "reason": DIRECT_CLOSE_REASON,
                                         "outcome": steps[-1].data["outcome"],
                                         # The coordinator first asks to wait for a visit.
                                         "return_first": True})
                )  # fmt: skip
                window = (1, 450)
        elif scenario == "failed_closed":
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            anchor = self.sessions(steps, ctx, steps[-1].on, "failure")
            steps.append(
                Step("close", None, {"status": S.CLOTURE_NON_RESOLU,
                                     "reason": rng.choice(FAILED_REASONS), "outcome": "ECHEC"})
            )  # fmt: skip
            window = (2, 420)
        elif scenario in ("failed_referred", "referred_pending"):
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            end = self.sessions(steps, ctx, steps[-1].on, "referral", max_count=4)
            end = self.referral(steps, ctx, end + rng.randint(0, 7))
            if scenario == "referred_pending":
                feedback = None
            else:
                feedback = weighted(
                    rng, {None: 3, "sent_back": 2.5 if ctx.place.region == "KDL" else 1.5,
                          "settled": 2, "not_settled": 1.5}
                )  # fmt: skip
            anchor, window = end, (0, 300)
            if feedback:
                end = self.feedback(steps, ctx, end, feedback, crime=False)
                anchor, window = end, (0, 360)
                if feedback == "sent_back":
                    ctx.level = 2
                    final = rng.choice(("agreement", "agreement", "continue"))
                    held = sum(step.kind == "session" for step in steps)
                    room = max(1, MAX_SESSIONS - held)
                    end = self.sessions(steps, ctx, end, final, start_level=2, max_count=room)
                    anchor = end
                    if final == "agreement":
                        anchor = self.agreement(steps, ctx, end)
                        tail = ([self.compliance(0.8) for _ in self.fu_days], True)
                        window = (0, 300)
                    else:
                        window = (0, 45)
        elif scenario == "crime_referral":
            register(rng.randint(0, 2))
            end = self.referral(steps, ctx, steps[-1].on + rng.randint(0, 4), crime=True)
            anchor, window = end, (0, 480)
            if ctx.harm and not ctx.star and rng.random() < 0.6:
                if rng.random() < 0.5:
                    # The penal side on a formal track, while the families settle the
                    # compensation before the chief in the same case (issue 15).
                    steps[-1].data["parallel"] = True
                    mediate(end + rng.randint(1, 5))
                    held = self.sessions(
                        steps, ctx, steps[-1].on, "agreement", start_level=2, max_count=2
                    )
                    anchor = self.agreement(steps, ctx, held)
                    window = (0, d1 - 1)
                    tail = ([], False)
                else:
                    steps.append(Step("civil_case", None, self.civil(ctx)))
            feedback = weighted(rng, {None: 2, "settled": 1, "not_settled": 1})
            if feedback:
                gap = rng.randint(15, 150)
                self.feedback(steps, ctx, end + gap, feedback, crime=True)
                if tail is None:
                    anchor, window = end + gap, (0, 400)
                else:  # the formal track's feedback, beside a pending agreement
                    anchor = max(anchor, end + gap)
        else:  # pragma: no cover - a scenario without a builder is a programming error
            raise ValueError(scenario)

        # Place the anchor in its window, keeping the event within the last 18 months.
        low, high = window
        high = min(high, MAX_AGE_DAYS - delay - anchor)
        low = min(low, high)
        anchor_date = self.today - timedelta(days=rng.randint(max(0, low), max(0, high)))
        reported_on = anchor_date - timedelta(days=anchor)
        dated = [
            Step(s.kind, reported_on + timedelta(days=s.on) if s.on is not None else None, s.data)
            for s in steps
        ]
        if tail is not None:
            dated += self.after_agreement(dated, *tail)
        return dated, reported_on

    def compliance(self, respected: float) -> str:
        if self.rng.random() < respected:
            return Compliance.RESPECTED.value
        return Compliance.PARTIAL.value

    def sessions(
        self,
        steps: list[Step],
        ctx: CaseContext,
        start: int,
        final: str,
        *,
        start_level: int | None = None,
        count: int | None = None,
        max_count: int = MAX_SESSIONS,
    ) -> int:
        """Sessions from ``start`` (days after the report), ending in ``final``: agreement,
        failure, referral, continue, or escalated (a failure and the climb, no session yet).
        Returns the day of the last session (``start`` when there is none)."""
        rng = self.rng
        if start_level is None:
            start_level = ctx.entry_level
        if final == "agreement":
            top = weighted(rng, {0: 1, 1: 3, 2: 4, 3: 1.5, 4: 0.5})
        elif final in ("failure", "referral"):
            top = weighted(rng, {1: 1, 2: 3, 3: 3, 4: 2})
        else:
            top = weighted(rng, {0: 2, 1: 3, 2: 2, 3: 1})
        if ctx.conflict_type == "FONCIER" and final == "referral":
            top = 3  # the land commission's record of non-conciliation opens the courts
        top = min(max(top, start_level), start_level + max_count - 1, HIGHEST_MEDIATION_LEVEL)
        path = [(level, SessionResult.FAILURE.value) for level in range(start_level, top)]
        if final in ("agreement", "failure", "referral", "continue"):
            room = max(0, max_count - len(path) - 1)
            path += [(top, SessionResult.CONTINUE.value)] * min(rng.randint(0, 2), room)
            result = {
                "agreement": SessionResult.AGREEMENT.value,
                "failure": SessionResult.FAILURE.value,
                "referral": weighted(
                    rng, {SessionResult.REFERRAL.value: 2, SessionResult.FAILURE.value: 1}
                ),
                "continue": SessionResult.CONTINUE.value,
            }[final]
            path.append((top, result))
        else:  # escalated: the last failure climbed, the next level has not met yet
            path.append((top, SessionResult.FAILURE.value))
        if count is not None:
            path = path[:count]
        path = path[:max_count]
        day = start
        ctx.level = start_level
        for index, (level, result) in enumerate(path):
            day += rng.randint(2, 12) if index == 0 else rng.randint(4, 21)
            session = Step("session", day, self.session(ctx, level, result))
            steps.append(session)
            ctx.last_session = session
            escalates = result == SessionResult.FAILURE.value and level < HIGHEST_MEDIATION_LEVEL
            if escalates and (index < len(path) - 1 or final == "escalated"):
                steps.append(Step("escalate", None, {"reason": ESCALATION_REASONS[level + 1]}))
                ctx.level = level + 1
        return day

    def session(self, ctx: CaseContext, level: int, result: str) -> dict:
        rng = self.rng
        mechanisms = LEVEL_MECHANISMS[level]
        places = LEVEL_PLACES[level]
        if level == 3 and ctx.conflict_type in LAND_TYPES:
            mechanisms = (("COFO_CONCILIATION", 1),)
        if result == SessionResult.AGREEMENT.value and level > 0:
            if ctx.conflict_type == "DEGATS_CHAMPETRES" and rng.random() < 0.5:
                mechanisms = (("COMPENSATION", 1),)
            elif ctx.conflict_type == "VOL_BETAIL" and rng.random() < 0.5:
                mechanisms = (("RESTITUTION", 1),)
        actors = [i for i, a in enumerate(DEMO_ACTORS) if a.region == ctx.place.region]
        fitting = [i for i in actors if DEMO_ACTORS[i].actor_type in LEVEL_ACTOR_TYPES[level]]
        # Only people of the session's level: who sits sets its level (casework.cases.levels).
        pool = fitting
        chosen = []
        if pool and (level > 0 or rng.random() < 0.3):
            chosen = sorted(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        women = rng.randint(0, 3) + (rng.randint(1, 5) if ctx.women_involved else 0)
        men = rng.randint(2, 7) + 2 * level
        youth = rng.randint(0, min(women + men, 2 + level))
        lang = ctx.lang if rng.random() < 0.6 else "fr"
        minutes = rng.choice(MINUTES[lang][result])
        notes = {}
        if rng.random() < 0.2:
            notes[rng.randrange(len(ctx.parties))] = rng.choice(PRIVATE_NOTES)
        return {
            "level": level,
            "result": result,
            "place": weighted(rng, places),
            "mechanism": weighted(rng, mechanisms),
            "women": women,
            "men": men,
            "youth": youth,
            "minutes": minutes,
            "minutes_lang": lang,
            "actors": tuple(chosen),
            "notes": notes,
        }

    def agreement(self, steps: list[Step], ctx: CaseContext, day: int) -> int:
        rng = self.rng
        day += rng.choice((0, 0, 0, 1, 2))
        full = rng.random() < 0.8
        templates = list(TERMS[ctx.conflict_type])
        if not full and len(templates) > 1:
            templates = templates[:-1]
        values = ctx.values
        compensation = None
        if ctx.conflict_type == "DEGATS_CHAMPETRES":
            compensation = round_to(values["fcfa"] * rng.uniform(0.4, 0.9))
        elif ctx.conflict_type in ("VOL_BETAIL", "DETTE_COMMERCE"):
            compensation = round_to(values["fcfa"] * rng.uniform(0.3, 1.0))
        elif ctx.conflict_type == "MATRIMONIAL":
            compensation = round_to(rng.uniform(10_000, 30_000), 2_500)
        elif ctx.conflict_type == "PATURAGE":
            compensation = round_to(rng.uniform(10_000, 60_000), 2_500)
        elif ctx.conflict_type == "EAU_PUITS":
            compensation = round_to(rng.uniform(2_500, 10_000), 2_500)
        heads = None
        restitution = None
        if ctx.conflict_type == "VOL_BETAIL":
            heads = max(1, values["heads"] - rng.randint(0, 2))
            restitution = LIVESTOCK_RESTITUTION.format(heads=heads)
        elif ctx.conflict_type == "DEGATS_CHAMPETRES" and rng.random() < 0.3:
            heads = rng.randint(1, 2)
        elif ctx.conflict_type == "FONCIER" and rng.random() < 0.5:
            restitution = LAND_RESTITUTION
        fmt = {
            "a": ctx.parties[0].mention_fr,
            "b": ctx.parties[1].mention_fr if len(ctx.parties) > 1 else ctx.parties[0].mention_fr,
            "fcfa": fcfa(compensation or values["fcfa"], "fr"),
            "heads": heads or values["heads"],
        }
        terms = []
        for description, bound, days in templates:
            obliged = {"R": 1, "C": 0}.get(bound)
            if obliged is not None and obliged >= len(ctx.parties):
                obliged = None
            terms.append((sentences(french(description.format(**fmt))), obliged, days))
        form = weighted(
            rng,
            {AgreementForm.VERBAL.value: 4, AgreementForm.WRITTEN.value: 5,
             AgreementForm.HOMOLOGATED.value: 3 if ctx.conflict_type in LAND_TYPES else 0.5},
        )  # fmt: skip
        last = ctx.last_session.data if ctx.last_session else {}
        witnesses = "; ".join(DEMO_ACTORS[i].name for i in last.get("actors", ()))
        steps.append(
            Step(
                "agreement",
                day,
                {
                    "form": form,
                    "outcome": "ACCORD_TOTAL" if full else "ACCORD_PARTIEL",
                    "compensation_fcfa": compensation,
                    "livestock_heads": heads,
                    "restitution": restitution,
                    "signatories": "; ".join(p.name for p in ctx.parties[:2]),
                    "witnesses": witnesses or french(DEFAULT_WITNESSES.format(village=ctx.village)),
                    "terms": tuple(terms),
                },
            )
        )
        return day

    def after_agreement(self, dated: list[Step], compliances: list[str], close: bool):
        """The follow-up visits due by today, then the closure when every visit is done."""
        agreement = next(s for s in reversed(dated) if s.kind == "agreement")
        steps = []
        for index, days in enumerate(self.fu_days):
            due = agreement.on + timedelta(days=days)
            if due > self.today or index >= len(compliances):
                break
            done = min(due + timedelta(days=self.rng.randint(0, 7)), self.today)
            compliance = compliances[index]
            breach = compliance == Compliance.NOT_RESPECTED.value
            data = {
                "index": index,
                "compliance": compliance,
                "notes": self.rng.choice(FOLLOW_UP_NOTES[compliance]),
                "register_recurrence": breach and self.rng.random() < 0.6,
            }
            steps.append(Step("visit", done, data))
            if breach:
                # The mediator chooses (issue 14): most close and open a recurrence.
                renegotiate = self.rng.random() < 0.3
                choice = "renegotiate" if renegotiate else "close_and_recur"
                reason = BREACH_REASONS[choice]
                steps.append(Step("breach", done, {"choice": choice, "reason": reason}))
                return steps
        if close and len(steps) == len(self.fu_days):
            outcome = agreement.data["outcome"]
            steps.append(
                Step(
                    "close",
                    None,
                    {"status": S.CLOTURE_RESOLU, "reason": RESOLVED_REASON, "outcome": outcome,
                     # A closure that needs approval is sometimes returned once first.
                     "return_first": self.rng.random() < 0.3},
                )
            )  # fmt: skip
            if self.rng.random() < 0.15:  # the dispute came back after its resolution
                steps.append(Step("recur", None, {"reason": RECURRENCE_REASON}))
        return steps

    def referral(self, steps: list[Step], ctx: CaseContext, day: int, crime=False) -> int:
        rng = self.rng
        level = 0  # crimes are referred by the community mediators who heard of them
        if crime:
            key = ctx.conflict_type if ctx.star else "HARM"
            target = weighted(rng, CRIME_REFERRALS[key])
            reason = CRIME_REASONS[key]
        else:
            level = ctx.level
            if ctx.conflict_type == "FONCIER":
                target = rng.choice(("TPI", "JPCE"))
                reason = LAND_REFERRAL_REASON
            else:
                target = "PREFET" if level >= 4 else rng.choice(("JPCE", "SOUS_PREFET", "TPI"))
                administration = target in ("PREFET", "SOUS_PREFET")
                reason = REFERRAL_TO_ADMINISTRATION if administration else REFERRAL_TO_JUDGE
        source = LEVEL_INSTITUTIONS[level]
        if level == 3 and ctx.conflict_type in LAND_TYPES:
            source = LAND_INSTITUTION
        data = {
            "target": target,
            "reason": reason,
            "from_institution": french(source.format(place=ctx.place.name, village=ctx.village)),
            "crime": crime,
        }
        steps.append(Step("refer", day, data))
        return day

    def feedback(self, steps, ctx, day: int, result: str, *, crime: bool) -> int:
        texts = (CRIME_FEEDBACK if crime else MEDIATION_FEEDBACK)[result]
        gap = 0 if crime else self.rng.randint(10, 90)
        steps.append(
            Step(
                "feedback",
                day + gap,
                {"result": result, "feedback": self.rng.choice(texts), "back_to_level": 2},
            )
        )
        return day + gap

    def civil(self, ctx: CaseContext) -> dict:
        return {
            "conflict_type": ctx.conflict_type,
            "title": CIVIL_CASE_TITLE,
            "register": self.rng.random() < 0.7,
            "mediate": self.rng.random() < 0.4,
        }
