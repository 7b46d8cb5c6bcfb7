"""`make run` as a newcomer meets it: it prints a demo sign-in, serves the sign-in page in
French, the printed login works, and the language switch turns the page into English."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, forms with their CSRF token, no redirects hidden."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, **headers) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers=headers)
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()

    def submit(self, path: str, page: str, fields: dict) -> tuple[int, str]:
        _status, html = self.get(page)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        fields = {"csrf_token": token, **fields}
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data)
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env["CASEWORK_INSTANCE_PATH"] = str(tmp_path / "instance")
    log = tmp_path / "make-run.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["make", "-s", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"make run stopped:\n{log.read_text()}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        else:
            pytest.fail(f"make run did not serve within 120 s:\n{log.read_text()}")
        yield base, log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_make_run_serves_the_sign_in_page_and_the_printed_login_works(served):
    base, output = served
    match = re.search(r"username: (\S+)\s+password: (\S+)", output)
    assert match, output
    username, password = match.groups()

    browser = Browser(base)
    status, html = browser.get("/")  # redirected to the sign-in page
    assert status == 200 and '<html lang="fr">' in html and "Se connecter" in html

    status, html = browser.submit("/language", "/login", {"lang": "en", "next": "/login"})
    assert '<html lang="en">' in html and "Sign in" in html

    status, html = browser.submit("/login", "/login", {"username": username, "password": password})
    assert status == 200 and "Welcome, Demo Administrator" in html
