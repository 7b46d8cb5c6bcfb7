"""Timings over real HTTP, as users feel them: Casework served by gunicorn (1 worker, gthread,
keep-alive) on loopback, one client on one keep-alive connection per signed-in user, signed
in through the sign-in form, asking for compressed responses as a browser does; in the same
run, the generic admin list (bench/generic_admin.py) under the same gunicorn settings, and
two bare endpoints (Casework's, through its hooks; Flask's alone).

Each row's time runs from the request's first byte sent to the response's last byte read
(the body decompressed for parsing only, after the clock stops); its bytes are those on the
wire (the body as sent, compressed or not).
"""

from __future__ import annotations

import gzip
import http.client
import os
import random
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import sqlalchemy as sa

from bench import generic_admin, keepalive
from bench.app import BARE_PATH, PID_PATH
from bench.measure import (
    ADMIN,
    COORDINATOR,
    CSRF_RE,
    FILTER_STATUS,
    FILTER_TYPE,
    MEDIATOR,
    NEXT_RE,
    PASSWORD,
    Timing,
    registration_form,
)

ROOT = Path(__file__).resolve().parent.parent
ACCEPT_ENCODING = "br, gzip"  # what a browser sends (over HTTPS; gzip alone over HTTP)
THREADS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_missing() -> str | None:
    if not Path(sys.executable).with_name("gunicorn").exists():
        return "gunicorn is not installed (pip install -e '.[bench]'): HTTP rows skipped."
    try:
        import flask_admin  # noqa: F401
    except ImportError:
        return "Flask-Admin is not installed (pip install -e '.[bench]'): HTTP rows skipped."
    return None


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int, health: str):
    """Serve ``app_spec`` on a free port of 127.0.0.1; yields the port."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
            app_spec,
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        for _ in range(600):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn {app_spec} stopped at start")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", health)
                ok = connection.getresponse().status == 200
                connection.close()
                if ok:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn {app_spec} did not answer {health} within 60 s")
        _every_worker_ready(port, workers, app_spec)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _every_worker_ready(port: int, workers: int, app_spec: str) -> None:
    """Wait until each worker has loaded the app and answers: keep-alive connections stay
    with the worker that accepted them, so connections opened while one worker is still
    loading (Casework takes a few seconds) would all be served by the other, and a second
    worker would seem to add nothing."""
    seen: set[str] = set()
    for _ in range(600):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", PID_PATH, headers={"Connection": "close"})
        reply = connection.getresponse()
        if reply.status == 200:
            seen.add(reply.read().decode())
        connection.close()
        if len(seen) >= workers:
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn {app_spec}: {len(seen)} of {workers} workers answered")


def casework_env(url: str) -> dict:
    return {
        "DATABASE_URL": url,
        "CASEWORK_CONFIG": "production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret"),
    }


@dataclass
class Reply:
    status: int
    body: bytes  # as sent (compressed or not)
    encoding: str
    location: str

    @property
    def text(self) -> str:
        if self.encoding == "br":
            import brotli

            return brotli.decompress(self.body).decode()
        if self.encoding == "gzip":
            return gzip.decompress(self.body).decode()
        return self.body.decode()


class Client:
    """One keep-alive connection and its cookies: a browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = keepalive.connect(port, 120)

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        headers = {"Accept": "text/html", "Accept-Encoding": ACCEPT_ENCODING}
        self.connection, response, data = keepalive.exchange(
            self.connection, self.port, 120, method, path,
            form=form, headers=headers, cookies=self.cookies,
        )  # fmt: skip
        if response.getheader("Connection", "").lower() == "close":
            raise RuntimeError(f"the server closed the connection after {path}")
        return Reply(
            response.status,
            data,
            response.getheader("Content-Encoding", ""),
            response.getheader("Location", ""),
        )

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def sign_in(self, username: str) -> None:
        token = CSRF_RE.search(self.get("/login").text).group(1)
        reply = self.request(
            "POST", "/login", {"username": username, "password": PASSWORD, "csrf_token": token}
        )
        assert reply.status == 302, f"sign-in of {username} over HTTP: {reply.status}"
        self.get(reply.location or "/")  # the welcome page, as a browser follows it

    def close(self) -> None:
        self.connection.close()


def time_requests(call, iterations: int, warmup: int) -> tuple[list[float], Reply]:
    reply = None
    for _ in range(warmup):
        reply = call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        reply = call()
        samples.append(time.perf_counter() - started)
    return samples, reply


def http_row(samples: list[float], reply: Reply, expected: int) -> dict:
    if reply.status != expected:
        raise RuntimeError(f"status {reply.status}, expected {expected}")
    return {**Timing.summary(samples), "bytes": len(reply.body), "encoding": reply.encoding}


def pager_link(client: Client, path: str, page: int) -> str:
    if page < 1:
        return path
    separator = "&" if "?" in path and not path.endswith("?") else ""
    html = client.get(f"{path}{separator}page={page}").text
    found = NEXT_RE.search(html)
    assert found, f"no Next link on page {page} of {path}"
    return unescape(found.group(1))


def measure_generic(url: str, iterations: int, warmup: int, workers: int = 1) -> dict:
    """The generic list's page 1 and the bare Flask endpoint, under gunicorn."""
    env = {"GENERIC_DATABASE_URL": url}
    spec = "bench.generic_admin:create_generic_app()"
    with gunicorn(spec, env, workers, generic_admin.BARE_PATH) as port:
        client = Client(port)
        rows = {}
        for name, path in (
            ("generic_list", generic_admin.LIST_PATH),
            ("bare_flask", generic_admin.BARE_PATH),
        ):
            samples, reply = time_requests(lambda p=path: client.get(p), iterations, warmup)
            rows[name] = {**http_row(samples, reply, 200), "path": path, "samples": samples}
        client.close()
    return rows


def measure_casework(app, targets, database_url: str, iterations: int, warmup: int) -> dict:
    """Every page row over HTTP (1 worker), as the coordinator, the admin and the mediator.
    Returns {operation: row}; the registrations are removed afterwards by the caller."""
    from casework.extensions import db
    from casework.geo.models import AdminUnit

    with app.app_context():
        mediator_unit = db.session.scalar(
            sa.select(AdminUnit.id).where(AdminUnit.code == "GAO-GAO-NTILLIT")
        )
    rows: dict[str, dict] = {}
    env = casework_env(database_url)
    with gunicorn("bench.app:create_bench_app()", env, 1, "/healthz") as port:
        clients = {}
        for username in (COORDINATOR, ADMIN, MEDIATOR):
            clients[username] = Client(port)
            clients[username].sign_in(username)
        coordinator = clients[COORDINATOR]
        filtered = f"/cases?area={targets.filter_area_id}&type={FILTER_TYPE}&status={FILTER_STATUS}"
        deep_area_page = max(1, int(targets.area_pages * 0.8))
        ids = targets.case_ids
        turn = {"i": 0}

        def next_case() -> int:
            turn["i"] = (turn["i"] + 1) % len(ids)
            return ids[turn["i"]]

        gets = [
            ("bare_endpoint", COORDINATOR, BARE_PATH),
            ("list_first", COORDINATOR, "/cases"),
            ("list_filtered_first", COORDINATOR, filtered),
            ("list_filtered_deep", COORDINATOR,
             pager_link(coordinator, filtered, targets.filtered_pages - 1)),
            ("list_area_deep", COORDINATOR, pager_link(coordinator, "/cases?", deep_area_page - 1)),
            ("list_area_typed_page", COORDINATOR, f"/cases?page={deep_area_page}"),
            ("search_party", COORDINATOR, "/cases?q=" + urllib.parse.quote_plus(targets.search)),
            ("case_page", COORDINATOR, None),
            ("list_first_admin", ADMIN, "/cases"),
            ("case_page_admin", ADMIN, None),
            ("list_first_mediator", MEDIATOR, "/cases"),
            ("dashboard", COORDINATOR, "/"),
        ]  # fmt: skip
        for operation, username, path in gets:
            client = clients[username]
            if path is None:
                samples, reply = time_requests(
                    lambda c=client: c.get(f"/cases/{next_case()}"), iterations, warmup
                )
                path = f"/cases/{ids[0]}"
            else:
                samples, reply = time_requests(
                    lambda c=client, p=path: c.get(p), iterations, warmup
                )
            rows[operation] = {**http_row(samples, reply, 200), "path": path, "as": username}

        from bench.reporting import last_quarter, report_path

        period = last_quarter(date.today())
        for fmt, operation, n in (
            ("json", "report_json", iterations),
            ("pdf", "report_pdf", max(5, iterations // 6)),
        ):
            path = report_path(period, fmt)
            samples, reply = time_requests(
                lambda p=path: coordinator.get(p), n, max(1, min(warmup, n // 3))
            )
            rows[operation] = {**http_row(samples, reply, 200), "path": path, "as": COORDINATOR}

        # Registration with the duplicate check running: the box "not a duplicate" is left
        # unticked and the parties' names are new, so the check reads the commune's recent
        # cases and their parties, finds none alike, and the case is saved (302).
        for operation, username, unit_id in (
            ("register_case", COORDINATOR, targets.unit_id),
            ("register_case_mediator", MEDIATOR, mediator_unit),
        ):
            client = clients[username]
            token = CSRF_RE.search(client.get("/cases/new").text).group(1)
            counter = {"n": 0}

            def register(c=client, t=token, u=unit_id, counter=counter, who=username):
                counter["n"] += 1
                n = counter["n"]
                form = registration_form(
                    u, t, f"Champ de mil détruit ({who} {n})", (_new_name(), _new_name())
                )
                form.pop("not_a_duplicate")
                return c.request("POST", "/cases/new", form)

            post_iterations = max(10, iterations // 2)
            samples, reply = time_requests(register, post_iterations, max(2, warmup // 2))
            rows[operation] = {
                **http_row(samples, reply, 302),
                "path": "/cases/new",
                "as": username,
                "iterations": post_iterations,
            }
        for client in clients.values():
            client.close()
    return rows


_NAMES = random.Random(2026)  # noqa: S311 - names for a benchmark, not a secret


def _new_name() -> str:
    """A name like nobody's (so the duplicate check finds no similar party)."""
    word = lambda: "".join(_NAMES.choices(string.ascii_lowercase, k=9)).title()  # noqa: E731
    return f"{word()} {word()}"


def print_row(label: str, row: dict) -> None:
    print(
        f"  HTTP {label:<53} median {row['median_ms']:7.2f} ms  p95 {row['p95_ms']:7.2f} ms  "
        f"{row['bytes']:>7,} B {row['encoding'] or 'plain'}",
        flush=True,
    )
