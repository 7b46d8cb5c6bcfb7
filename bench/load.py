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
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench import databases
from bench.load_users import PASSWORD, Area, Stats, User
from bench.run import git_commit, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "load.json"
DOCS = ROOT / "docs" / "performance.md"
START = "<!-- load:start -->"
END = "<!-- load:end -->"
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
