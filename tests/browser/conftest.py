"""Real-browser tests: Playwright drives the system Chromium (/usr/bin/chromium) against the
app served on loopback by the real ``casework`` command, each server with its own instance
folder and SQLite database.

Without Chromium or the playwright package these tests are skipped, loudly (a line in the
report header and a banner at the end). With CASEWORK_REQUIRE_BROWSER=1 (CI) a missing
browser stops the run instead.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.browser.helpers import (
    ACCEPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SIZES,
    Server,
    User,
    is_local,
    missing_axe,
    missing_browser,
    sign_in,
)

REQUIRE = os.environ.get("CASEWORK_REQUIRE_BROWSER", "") not in ("", "0")
# CASEWORK_BROWSER_NO_JS=1: the pages without JavaScript, as before the offline layer
# (issue 17): `CASEWORK_BROWSER_NO_JS=1 pytest tests/browser/test_flows.py`.
NO_JS = os.environ.get("CASEWORK_BROWSER_NO_JS", "") not in ("", "0")
CASEWORK = Path(sys.executable).with_name("casework")


def pytest_configure(config):
    if REQUIRE:
        reason = missing_browser() or missing_axe()
        if reason:
            raise pytest.UsageError(f"CASEWORK_REQUIRE_BROWSER is set but {reason}.")


def pytest_report_header(config):
    reason = missing_browser()
    if reason:
        return f"browser tests: !!! SKIPPED: {reason} !!!"
    return f"browser tests: Chromium at {CHROMIUM}"


def pytest_terminal_summary(terminalreporter):
    reason = missing_browser()
    if reason:
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.line(f"The real-browser tests did not run: {reason}.", red=True, bold=True)


def pytest_collection_modifyitems(items):
    """Under pytest-xdist the browser tests stay together on one worker (`--dist loadgroup`):
    one set of servers and one browser, and one writer of docs/screenshots."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session", autouse=True)
def _browser_available():
    reason = missing_browser()
    if reason:
        pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")


# --- the app, served by the real command line ---------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# There is no --area option on `users create`: the area is set through the app itself.
SET_AREA = """
import sys
from casework import create_app
from casework.auth.services import get_user_by_username
from casework.extensions import db
from casework.geo.services import get_unit_by_code
app = create_app()
with app.app_context():
    area = get_unit_by_code(sys.argv[1])
    for name in sys.argv[2:]:
        get_user_by_username(name).area_id = area.id
    db.session.commit()
"""


def _run(args: list[str], env: dict, log: Path, stdin: str | None = None) -> None:
    with open(log, "a") as out:
        out.write(f"$ casework {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [str(CASEWORK), *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            text=True,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
    if done.returncode:
        pytest.fail(f"casework {' '.join(args)} failed:\n{log.read_text()[-4000:]}")


def serve(tmp: Path, users: list[User], demo_cases: int = 0):
    """Prepare an instance with the real commands, then `casework run` on a free port."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(CASEWORK_INSTANCE_PATH=str(tmp / "instance"), CASEWORK_CONFIG="development")
    env.pop("FLASK_DEBUG", None)
    log = tmp / "server.log"
    _run(["db", "upgrade"], env, log)
    _run(["geo", "seed"], env, log)
    _run(["vocab", "seed"], env, log)
    for user in users:
        command = ["users", "create", user.username, "--role", user.role]
        command += ["--full-name", user.full_name, "--password-stdin", "--no-password-change"]
        _run(command, env, log, stdin=user.password + "\n")
    for area in {u.area for u in users if u.area}:
        names = [u.username for u in users if u.area == area]
        with open(log, "a") as out:
            subprocess.run(
                [sys.executable, "-c", SET_AREA, area, *names],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
            )
    if demo_cases:
        _run(["demo", "seed", "--cases", str(demo_cases)], env, log)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out = open(log, "a")  # noqa: SIM115 (kept open while the server writes to it)
    process = subprocess.Popen(
        [str(CASEWORK), "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"casework run stopped:\n{log.read_text()[-4000:]}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"casework run did not answer:\n{log.read_text()[-4000:]}")
                time.sleep(0.2)
        yield Server(base, tmp / "instance", {u.username: u for u in users})
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        out.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """An empty database: the geography, the vocabularies, an admin and two mediators of Gao
    (one per language, so that the language each one saves never leaks into the other's
    tests)."""
    users = [
        User("aissata", "Aïssata Maïga", "admin"),
        User("mariam", "Mariam Touré", "mediator", area="GAO"),
        User("hawa", "Hawa Cissé", "mediator", area="GAO"),
        User("seydou", "Seydou Traoré", "police", area="GAO"),
        User("adama", "Adama Coulibaly", "police", area="GAO"),
        User("oumou", "Oumou Sangaré", "coordinator", area="GAO"),
        User("binta", "Binta Diarra", "coordinator", area="GAO"),
    ]
    yield from serve(tmp_path_factory.mktemp("server"), users)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The same, plus 60 demo cases: lists with data for the audit, weights and pictures."""
    users = [User("aissata", "Aïssata Maïga", "admin")]
    yield from serve(tmp_path_factory.mktemp("demo"), users, demo_cases=60)


@pytest.fixture(scope="session")
def main_pages(demo_server) -> dict[str, str]:
    """The main pages of the demo server, by name; the sign-in page first (signed out)."""
    with closing(sqlite3.connect(demo_server.instance / "casework.sqlite3")) as connection:

        def first_case(*statuses: str) -> int:
            marks = ",".join("?" * len(statuses))
            row = connection.execute(
                f"SELECT id FROM cases WHERE status IN ({marks}) ORDER BY id",  # noqa: S608
                statuses,
            ).fetchone()
            assert row, f"no demo case in {statuses}"
            return row[0]

        closed = first_case("CLOTURE_RESOLU", "SUIVI")
        mediation = first_case("EN_MEDIATION")
    return {
        "sign-in": "/login",
        "home": "/",
        "case-list": "/cases",
        "new-case": "/cases/new",
        "case": f"/cases/{closed}",
        "case-in-mediation": f"/cases/{mediation}",
        "session-form": f"/cases/{mediation}/sessions/new",
        "agreement-form": f"/cases/{mediation}/agreement/new",
        "follow-ups-due": "/follow-ups",
        "mediators": "/actors",
        "users": "/admin/users",
        "vocabularies": "/admin/vocabularies",
        "geography": "/geo/units",
        "change-password": "/account/password",
        "api-tokens": "/account/tokens",
        "api-docs": "/api/v1/docs",
        "policing": "/policing/",
        "alerts": "/policing/alerts",
        "new-alert": "/policing/alerts/new",
        "activities": "/policing/activities",
        "new-activity": "/policing/activities/new",
        "committees": "/policing/committees",
        "referrals": "/policing/referrals",
        "reports": "/reports/",
        "exports": "/reports/exports",
    }


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """``open_page(base, lang, size)``: a fresh browser (cookies and cache) at a screen size,
    whose Accept-Language is ``lang``. Any request to another host fails the test."""
    contexts = []
    foreign: list[str] = []

    def open_(base: str, lang: str = "fr", size: str = "desktop", *, bypass_csp: bool = False):
        phone = size == "phone"
        context = browser.new_context(
            bypass_csp=bypass_csp,
            viewport=SIZES[size],
            locale=ACCEPT[lang],
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
            timezone_id="Africa/Bamako",
            java_script_enabled=not NO_JS,
        )
        context.set_default_timeout(15_000)
        context.on(
            "request",
            lambda request: None if is_local(request.url, base) else foreign.append(request.url),
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def signed_in(open_page):
    """``signed_in(server, username, lang, size)``: a page signed in, on the home page."""

    def open_signed_in(server: Server, username: str, lang: str = "fr", size: str = "desktop"):
        page = open_page(server.base, lang, size)
        page.goto(server.url("/login"))
        sign_in(page, server, username)
        return page

    return open_signed_in
