"""Requests per second under gunicorn (1 and 2 workers, gthread, loopback), measured with
wrk asking for compressed responses: the case list (the coordinator's filtered first page),
Casework's bare endpoint, the generic admin list and a bare Flask endpoint, in the same run.
Nothing is installed here: without wrk the rows are skipped with a message (see
docs/performance.md for how to get it)."""

from __future__ import annotations

import re
import shutil
import subprocess

from bench import generic_admin
from bench.app import BARE_PATH
from bench.measure import COORDINATOR
from bench.served import ACCEPT_ENCODING, Client, casework_env, gunicorn, gunicorn_missing

SECONDS = 8
CONNECTIONS = 8


def missing_tools() -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install -y wrk): throughput rows skipped."
    return gunicorn_missing()


def _wrk(url: str, cookie: str, seconds: int) -> float:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603
        [*command, url], check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} error responses on {url}")
    return float(match.group(1))


def measure(url: str, generic_url: str, list_path: str, seconds: int = SECONDS) -> dict:
    """{"1": {...}, "2": {...}}: requests per second by number of workers."""
    found = {}
    for workers in (1, 2):
        figures = {}
        with gunicorn(
            "bench.app:create_bench_app()", casework_env(url), workers, "/healthz"
        ) as port:
            client = Client(port)
            client.sign_in(COORDINATOR)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            client.close()
            base = f"http://127.0.0.1:{port}"
            _wrk(base + list_path, cookie, 2)  # every worker warm
            figures["case_list_rps"] = _wrk(base + list_path, cookie, seconds)
            figures["bare_rps"] = _wrk(base + BARE_PATH, cookie, seconds)
        env = {"GENERIC_DATABASE_URL": generic_url}
        spec = "bench.generic_admin:create_generic_app()"
        with gunicorn(spec, env, workers, generic_admin.BARE_PATH) as port:
            base = f"http://127.0.0.1:{port}"
            _wrk(base + generic_admin.LIST_PATH, "", 2)
            figures["generic_list_rps"] = _wrk(base + generic_admin.LIST_PATH, "", seconds)
            figures["bare_flask_rps"] = _wrk(base + generic_admin.BARE_PATH, "", seconds)
        figures["ratio_to_generic"] = figures["case_list_rps"] / figures["generic_list_rps"]
        found[str(workers)] = figures
    return {
        "by_workers": found,
        "path": list_path,
        "connections": CONNECTIONS,
        "seconds": seconds,
    }
