"""The simulated users of the load test (bench/load.py): a browser that keeps its session
and CSRF token, the counts of a run, and each role's weighted mix of operations."""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bench import keepalive
from bench.measure import registration_form

PASSWORD = "throwaway-password-for-a-copy"  # noqa: S105 - throwaway accounts of a copied database
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# What a refused form says: the message of each field, and the form's own messages.
ERROR_RE = re.compile(r'class="error"[^>]*>([^<]+)<|class="form-errors"[^>]*>\s*<p>([^<]+)<')


@dataclass
class Area:
    """What a user works on, chosen from the data."""

    communes: list[int] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    mediation_ids: list[int] = field(default_factory=list)  # cases in mediation
    police_unit_ids: list[int] = field(default_factory=list)
    region_code: str = ""


class Browser:
    """One keep-alive connection and a cookie jar: what a browser tab does."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        self.connection, response, data = keepalive.exchange(
            self.connection, self.port, 60, method, path,
            form=form, headers={"Accept": "text/html"}, cookies=self.cookies,
        )  # fmt: skip
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, data.decode("utf-8", "replace")

    def close(self):
        if self.connection is not None:
            self.connection.close()


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[operation].append(seconds)
            if error:
                self.errors[operation].append(error)


class User:
    def __init__(self, index: int, person: dict, area: Area, port: int, stats: Stats):
        self.index = index
        self.person = person
        self.area = area
        self.browser = Browser(port)
        self.stats = stats
        self.rng = random.Random(1000 + index)  # noqa: S311 - a load mix, not a secret
        self.counter = 0

    # Each call is one request, timed and checked.
    def call(self, operation: str, method: str, path: str, form=None, expect=(200,)) -> str:
        started = time.perf_counter()
        error = None
        text = ""
        try:
            status, text = self.browser.request(method, path, form)
            if status not in expect:
                error = f"{method} {path}: {status}"
                if status < 500:
                    error += " " + " ".join("".join(m) for m in ERROR_RE.findall(text))[:300]
        except (OSError, http.client.HTTPException) as problem:
            error = f"{method} {path}: {type(problem).__name__} {problem}"
        self.stats.record(operation, time.perf_counter() - started, error)
        return text

    def token(self, operation: str, path: str) -> str | None:
        page = self.call(operation, "GET", path)
        match = CSRF_RE.search(page)
        return match.group(1) if match else None

    def sign_in(self) -> None:
        token = self.token("sign_in_page", "/login")
        self.call(
            "sign_in",
            "POST",
            "/login",
            {"username": self.person["username"], "password": PASSWORD, "csrf_token": token},
            expect=(302,),
        )

    # --- operations ---------------------------------------------------------------------

    def case_list(self):
        filters = self.rng.choice(
            [
                {},
                {"status": "EN_MEDIATION"},
                {"type": "FONCIER"},
                {"status": "CLOTURE_RESOLU", "type": "DEGATS_CHAMPETRES"},
                {"page": str(self.rng.randint(2, 5))},
            ]
        )
        self.call("case_list", "GET", "/cases?" + urllib.parse.urlencode(filters))

    def search(self):
        term = self.rng.choice(["Maïga", "Touré", "puits", "Ag", "champ", "troupeau", "Cissé"])
        self.call("search", "GET", "/cases?" + urllib.parse.urlencode({"q": term}))

    def open_case(self):
        if self.area.case_ids:
            self.call("open_case", "GET", f"/cases/{self.rng.choice(self.area.case_ids)}")

    def register_case(self):
        token = self.token("new_case_form", "/cases/new")
        self.counter += 1
        tag = f"{self.index}-{self.counter}-{self.rng.randint(0, 10**6)}"
        form = registration_form(
            self.rng.choice(self.area.communes),
            token,
            f"Champ de mil détruit ({tag})",
            (f"Amadou Maïga {tag}", f"Hama Ag Ahmed {tag}"),
        )
        self.call("register_case", "POST", "/cases/new", form, expect=(302,))

    def record_session(self):
        if not self.area.mediation_ids:
            return self.open_case()
        case_id = self.rng.choice(self.area.mediation_ids)
        path = f"/cases/{case_id}/sessions/new"
        token = self.token("session_form", path)
        form = {
            "csrf_token": token,
            "held_on": date.today().isoformat(),
            "place": "ARBRE_PALABRE",
            "mechanism": "CONCILIATION_CHEF",
            "women": "3",
            "men": "9",
            "youth": "4",
            "minutes": "Les deux parties ont été entendues; la médiation continue.",
            "minutes_lang": "fr",
            "result": "continue",
        }
        self.call("record_session", "POST", path, form, expect=(302,))

    def dashboard(self):
        self.call("dashboard", "GET", "/")

    def follow_ups(self):
        self.call("follow_ups_due", "GET", "/follow-ups")

    def activity_list(self):
        self.call("activity_list", "GET", "/policing/activities")

    def alert_list(self):
        self.call("alert_list", "GET", "/policing/alerts")

    def new_activity(self):
        if not self.area.police_unit_ids:
            return self.activity_list()
        token = self.token("activity_form", "/policing/activities/new")
        form = {
            "csrf_token": token,
            "activity_type": "PATROUILLE_PEDESTRE",
            "held_on": date.today().isoformat(),
            "duration_minutes": "90",
            "police_unit_id": str(self.rng.choice(self.area.police_unit_ids)),
            "unit_id": str(self.rng.choice(self.area.communes)),
            "place": "Marché central",
            "topic": "Patrouille du marché",
            "participants": "20",
            "women": "8",
            "men": "12",
            "youth": "6",
            "alerts_raised": "0",
            "cases_created": "0",
            "cases_referred": "0",
            "case_references": "",
            "notes": "",
        }
        self.call("new_activity", "POST", "/policing/activities/new", form, expect=(302,))

    def new_alert(self):
        token = self.token("alert_form", "/policing/alerts/new")
        occurred = datetime.now(UTC) - timedelta(hours=1)
        form = {
            "csrf_token": token,
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "unit_id": str(self.rng.choice(self.area.communes)),
            "place": "Près du puits",
            "category": "TENSION_INTERCOMMUNAUTAIRE",
            "urgency": "2",
            "source_type": "RELAIS_COMMUNAUTAIRE",
            "relay_code": f"{self.area.region_code}-R-0{self.index:02d}",
            "description": "Des jeunes se rassemblent près du puits.",
            "police_unit_id": "",
            "forwarded_to": "",
            "forwarded_at": "",
            "response": "",
            "responded_at": "",
        }
        self.call("new_alert", "POST", "/policing/alerts/new", form, expect=(302,))

    def policing_hub(self):
        self.call("policing_hub", "GET", "/policing/")

    def periodic_report(self):
        params = {"period": date.today().strftime("%Y-%m"), "lang": "fr", "format": "json"}
        if self.person["role"] == "coordinator":
            params["area"] = self.person["area"]
        self.call("report_json", "GET", "/reports/periodic?" + urllib.parse.urlencode(params))

    def users_list(self):
        self.call("users_list", "GET", "/admin/users")

    MIX = {
        "mediator": [
            ("case_list", 20),
            ("search", 10),
            ("open_case", 25),
            ("register_case", 6),
            ("record_session", 6),
            ("dashboard", 8),
            ("follow_ups", 5),
        ],
        "coordinator": [
            ("case_list", 20),
            ("search", 8),
            ("open_case", 20),
            ("register_case", 3),
            ("record_session", 3),
            ("dashboard", 10),
            ("periodic_report", 5),
            ("alert_list", 5),
            ("new_alert", 2),
        ],
        "police": [
            ("policing_hub", 10),
            ("activity_list", 20),
            ("alert_list", 20),
            ("new_activity", 8),
            ("new_alert", 6),
            ("dashboard", 5),
        ],
        "analyst": [("dashboard", 10), ("periodic_report", 10)],
        "admin": [
            ("case_list", 10),
            ("open_case", 10),
            ("users_list", 5),
            ("periodic_report", 5),
            ("dashboard", 5),
            ("alert_list", 5),
        ],
    }

    def run(self, stop_at: float) -> None:
        self.sign_in()
        names, weights = zip(*self.MIX[self.person["role"]], strict=True)
        while time.perf_counter() < stop_at:
            getattr(self, self.rng.choices(names, weights)[0])()
        self.browser.close()
