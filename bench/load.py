"""Load test: many simulated users doing mixed, realistic work against the app served by
gunicorn on loopback; every response counted, any error reported.

    python -m bench.load [--seconds 60] [--users 20] [--scale 10k] [--workers 3] [--threads 4]

The benchmark database of the scale (bench/databases.py) is copied first, so that the
cases, sessions, alerts and activities the users record never change it. The users sign in
with accounts of every role (mediators, coordinators, police focal points, analysts, one
administrator), each in an area, and loop without pause over a weighted mix of operations
of their role. An error is a 5xx, a connection failure or any status other than the one
the operation expects. Writes bench/load.json and the "Load test" section of
docs/performance.md (between ``<!-- load:start -->`` and ``<!-- load:end -->``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import databases
from bench.measure import registration_form
from bench.run import git_commit, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "load.json"
DOCS = ROOT / "docs" / "performance.md"
START = "<!-- load:start -->"
END = "<!-- load:end -->"
PASSWORD = "throwaway-password-for-a-copy"  # noqa: S105 - throwaway accounts of a copied database
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# What a refused form says: the message of each field, and the form's own messages.
ERROR_RE = re.compile(r'class="error"[^>]*>([^<]+)<|class="form-errors"[^>]*>\s*<p>([^<]+)<')
# Who the simulated users are: role, area, and how many of each in a 20-user run.
ROSTER = [
    ("mediator", "GAO-GAO"),
    ("mediator", "TBK-TOMBOUCTOU"),
    ("mediator", "GAO-ANSONGO"),
    ("mediator", "MNK-MENAKA"),
    ("coordinator", "GAO"),
    ("police", "GAO"),
    ("analyst", None),
    ("mediator", "KDL-KIDAL"),
    ("coordinator", "TBK"),
    ("police", "TBK"),
    ("mediator", "MPT-MOPTI"),
    ("coordinator", "MNK"),
    ("police", "MNK"),
    ("analyst", None),
    ("admin", None),
    ("mediator", "GAO-GAO"),
    ("coordinator", "KDL"),
    ("police", "GAO"),
    ("mediator", "TBK-DIRE"),
    ("analyst", None),
]


# --- the database ---------------------------------------------------------------------------


@dataclass
class Area:
    """What a user works on, chosen from the data."""

    communes: list[int] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    mediation_ids: list[int] = field(default_factory=list)  # cases in mediation
    police_unit_ids: list[int] = field(default_factory=list)
    region_code: str = ""


def prepare_database(scale: str) -> tuple[str, Path]:
    """A fresh copy of the bench database, with the load test's accounts."""
    source = databases.sqlite_database(scale)
    path = Path(source.url.removeprefix("sqlite:///"))
    copy = path.with_name(f"load-{path.name}")
    for leftover in copy.parent.glob(copy.name + "*"):
        leftover.unlink()
    shutil.copyfile(path, copy)
    return f"sqlite:///{copy}", copy


def create_accounts(url: str, users: int) -> list[dict]:
    from casework import create_app
    from casework.auth import services as accounts
    from casework.extensions import db
    from casework.geo.services import get_unit_by_code

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    roster = [ROSTER[i % len(ROSTER)] for i in range(users)]
    people = []
    with app.app_context():
        for index, (role, area) in enumerate(roster):
            username = f"load.{role}.{index}"
            user = accounts.create_user(
                username=username, full_name=f"Load {role} {index}", role=role, password=PASSWORD
            )
            if area:
                user.area_id = get_unit_by_code(area).id
            people.append({"username": username, "role": role, "area": area})
        db.session.commit()
        db.engine.dispose()
    return people


def choose_work(url: str, area_code: str | None) -> Area:
    """Places, cases and police units inside an area (everything for no area)."""
    from casework.cases.models import Case
    from casework.geo.models import AdminUnit
    from casework.policing.models import PoliceUnit

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        path = "/"
        if area_code:
            path = connection.scalar(sa.select(AdminUnit.path).where(AdminUnit.code == area_code))
        within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(path))
        area = Area(region_code=(area_code or "GAO").split("-")[0])
        area.communes = list(
            connection.scalars(
                sa.select(AdminUnit.id).where(AdminUnit.kind == "commune", AdminUnit.id.in_(within))
            )
        )
        cases = sa.select(Case.id).where(Case.unit_id.in_(within)).order_by(Case.id)
        area.case_ids = list(connection.scalars(cases.limit(500)))
        area.mediation_ids = list(
            connection.scalars(cases.where(Case.status == "EN_MEDIATION").limit(200))
        )
        area.police_unit_ids = list(
            connection.scalars(
                sa.select(PoliceUnit.id).where(
                    PoliceUnit.is_active.is_(True), PoliceUnit.unit_id.in_(within)
                )
            )
        )
    engine.dispose()
    return area


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, CASEWORK_CONFIG="production")
    env.setdefault("SECRET_KEY", "bench-only-secret")
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            "bench.app:create_bench_app()",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


# --- a simulated user -----------------------------------------------------------------------


class Browser:
    """One keep-alive connection and a cookie jar: what a browser tab does."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: a browser reconnects.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
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


# --- results --------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarise(stats: Stats, seconds: float) -> dict:
    operations = {}
    for name in sorted(stats.latencies):
        samples = stats.latencies[name]
        operations[name] = {
            "requests": len(samples),
            "errors": len(stats.errors.get(name, [])),
            "rps": len(samples) / seconds,
            "p50_ms": percentile(samples, 0.50) * 1000,
            "p95_ms": percentile(samples, 0.95) * 1000,
            "max_ms": max(samples) * 1000,
        }
    every = [s for samples in stats.latencies.values() for s in samples]
    return {
        "requests": len(every),
        "errors": sum(len(e) for e in stats.errors.values()),
        "rps": len(every) / seconds,
        "p50_ms": percentile(every, 0.50) * 1000 if every else None,
        "p95_ms": percentile(every, 0.95) * 1000 if every else None,
        "max_ms": max(every) * 1000 if every else None,
        "operations": operations,
        "error_samples": {k: v[:5] for k, v in stats.errors.items()},
    }


def section(results: dict) -> str:
    m = results["machine"]
    s = results["summary"]
    config = results["config"]
    lines = [
        START,
        "## Load test (`python -m bench.load`)",
        "",
        f"Last run: {results['generated_at']} (commit {results['commit'] or 'n/a'}), on "
        f"{m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}, "
        f"SQLite {m['sqlite']}. **{config['users']} simulated users** for "
        f"**{config['seconds']} s** against gunicorn ({config['workers']} gthread workers × "
        f"{config['threads']} threads, production settings) on 127.0.0.1, on a copy of the "
        f"{config['scale']} benchmark database ({config['cases']:,} cases), the load generator "
        "on the same machine.",
        "",
        "Users: " + ", ".join(f"{n} {role}" for role, n in sorted(config["roles"].items())) + ", "
        "each signed in with an account of their role and area. Each loops without pause "
        "over a weighted mix of its role's work: case list with filters and pages, search, "
        "case page, registering a case and recording a mediation session (each after "
        "fetching its form, with the CSRF token), dashboard, follow-ups due, police "
        "activities and alerts (lists and new ones), the periodic report as JSON, the user "
        "list. An error is a 5xx, a connection failure or any status but the expected one.",
        "",
        f"**{s['requests']:,} requests, {s['errors']} errors; {s['rps']:.1f} requests/s "
        f"overall; p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, max "
        f"{s['max_ms']:.0f} ms.**",
        "",
        "| operation | requests | errors | req/s | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, o in s["operations"].items():
        lines.append(
            f"| {name} | {o['requests']:,} | {o['errors']} | {o['rps']:.2f} | "
            f"{o['p50_ms']:.0f} | {o['p95_ms']:.0f} | {o['max_ms']:.0f} |"
        )
    if results.get("note"):
        lines += ["", results["note"]]
    lines.append(END)
    return "\n".join(lines)


def update_docs(results: dict, path: Path = DOCS) -> None:
    """Replace the load-test section; the rest of the file belongs to others."""
    text = path.read_text() if path.exists() else "# Performance\n"
    if START not in text:
        text = text.rstrip("\n") + "\n\n" + START + "\n" + END + "\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    path.write_text(pattern.sub(lambda _m: section(results), text, count=1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--scale", default="10k", choices=sorted(databases.SCALES))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--note", default="", help="a sentence written beside the figures")
    args = parser.parse_args()

    url, copy = prepare_database(args.scale)
    people = create_accounts(url, args.users)
    areas = {p["area"]: choose_work(url, p["area"]) for p in people}
    port = free_port()
    server = start_server(url, port, args.workers, args.threads)
    stats = Stats()
    try:
        users = [
            User(i, person, areas[person["area"]], port, stats) for i, person in enumerate(people)
        ]
        started = time.perf_counter()
        stop_at = started + args.seconds
        threads = [threading.Thread(target=u.run, args=(stop_at,)) for u in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    roles: dict[str, int] = defaultdict(int)
    for person in people:
        roles[person["role"]] += 1
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "config": {
            "users": args.users,
            "seconds": args.seconds,
            "elapsed": elapsed,
            "scale": args.scale,
            "cases": databases.SCALES[args.scale],
            "workers": args.workers,
            "threads": args.threads,
            "roles": dict(roles),
        },
        "summary": summarise(stats, elapsed),
        "note": args.note,
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    update_docs(results)
    s = results["summary"]
    print(section(results).replace(START, "").replace(END, "").strip())
    if s["errors"]:
        print("\nErrors (first of each operation):")
        for operation, samples in s["error_samples"].items():
            print(f"  {operation}: {samples[0]}")
    for leftover in copy.parent.glob(copy.name + "*"):
        leftover.unlink()
    return 1 if s["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
