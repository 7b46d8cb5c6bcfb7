"""Requests per second under gunicorn (2 workers, loopback), measured with wrk: the case
list beside the bare endpoint, in the same run. Nothing is installed here: without wrk the
rows are skipped with a message (see docs/performance.md for how to get it)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.app import BARE_PATH
from bench.measure import COORDINATOR, CSRF_RE, PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_tools() -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install -y wrk): throughput rows skipped."
    if not Path(sys.executable).with_name("gunicorn").exists():
        return "gunicorn is not installed (pip install -e '.[bench]'): throughput rows skipped."
    return None


def _sign_in(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()  # noqa: S310 - loopback
    token = CSRF_RE.search(page).group(1)
    body = urllib.parse.urlencode(
        {"username": COORDINATOR, "password": PASSWORD, "csrf_token": token}
    ).encode()
    opener.open(base + "/login", data=body)  # noqa: S310 - loopback
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _wrk(url: str, cookie: str, seconds: int) -> float:
    output = subprocess.run(  # noqa: S603
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} error responses on {url}")
    return float(match.group(1))


def measure(url: str, list_path: str, seconds: int = 10) -> dict:
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, CASEWORK_CONFIG="production")
    env.setdefault("SECRET_KEY", "bench-only-secret")
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.app:create_bench_app()",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + BARE_PATH, timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        cookie = _sign_in(base)
        _wrk(base + list_path, cookie, 2)  # warm both workers
        list_rps = _wrk(base + list_path, cookie, seconds)
        bare_rps = _wrk(base + BARE_PATH, cookie, seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "case_list_rps": list_rps,
        "bare_rps": bare_rps,
        "ratio": bare_rps / list_rps if list_rps else None,
        "path": list_path,
        "workers": 2,
        "connections": 8,
        "seconds": seconds,
    }
