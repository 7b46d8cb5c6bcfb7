"""Two app processes on one database, as two gunicorn workers or two hosts would be: a term
or a place renamed, or a mediator added, through one is shown by the other at its next
request, although each process keeps the vocabularies, the place choices and the case
list's filter form in memory (casework/core/versions.py). Runs on SQLite (one file, two
processes) and on PostgreSQL."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

from casework import create_app
from casework.auth import services as accounts
from casework.extensions import db
from tests.conftest import PASSWORD, app_settings

ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SERVE = """
import sys
from werkzeug.serving import run_simple
from casework import create_app
run_simple("127.0.0.1", int(sys.argv[1]), create_app("production"), threaded=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One keep-alive connection to one process, with its cookies."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> str:
        status, html = self.request("GET", path)
        assert status == 200, (path, status)
        return html

    def token(self, path: str) -> str:
        return CSRF_RE.search(self.get(path)).group(1)

    def post(self, path: str, fields: dict) -> int:
        body = urllib.parse.urlencode({"csrf_token": self.token(path), **fields}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, headers)[0]

    def upload(self, path: str, field: str, filename: str, content: bytes) -> int:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{self.token(path)}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, b"".join(parts), headers)[0]

    def sign_in(self, username: str) -> None:
        assert self.post("/login", {"username": username, "password": PASSWORD}) == 302


@pytest.fixture
def shared_database(empty_database):
    """A database of its own (the tests' rolled-back transaction is invisible to other
    processes), with the geography, the vocabularies and an administrator."""
    from casework.geo.services import seed_units
    from casework.vocab.services import seed_vocabularies

    app = create_app(app_settings(empty_database))
    with app.app_context():
        db.create_all()
        seed_units()
        seed_vocabularies()
        accounts.create_user(
            username="awa.admin", full_name="Awa Maïga", role="admin", password=PASSWORD
        )
        db.session.commit()
        db.engine.dispose()
    yield empty_database
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def two_processes(shared_database, tmp_path):
    env = dict(
        os.environ,
        DATABASE_URL=shared_database,
        CASEWORK_CONFIG="production",
        SECRET_KEY="two-processes-test-secret",
        CASEWORK_INSTANCE_PATH=str(tmp_path / "instance"),
    )
    ports = [free_port(), free_port()]
    logs = [tmp_path / f"process-{n}.log" for n in (1, 2)]
    processes = []
    for port, log in zip(ports, logs, strict=True):
        with open(log, "w") as out:
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [sys.executable, "-c", SERVE, str(port)],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
    try:
        for port, process, log in zip(ports, processes, logs, strict=True):
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"a process did not serve:\n{log.read_text()}")
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    connection.request("GET", "/healthz")
                    if connection.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)


def _term_id(url: str, vocabulary: str, code: str) -> int:
    from casework.vocab.models import Term

    app = create_app(app_settings(url))
    with app.app_context():
        found = db.session.scalar(
            db.select(Term.id).where(Term.vocabulary == vocabulary, Term.code == code)
        )
        db.session.remove()
        db.engine.dispose()
    return found


def test_a_rename_through_one_process_is_seen_by_the_other(shared_database, two_processes):
    first, second = Browser(two_processes[0]), Browser(two_processes[1])
    first.sign_in("awa.admin")
    second.sign_in("awa.admin")
    # The second process builds and keeps its place choices and vocabularies.
    page = second.get("/cases")
    assert ">Gao</option>" in page
    assert "Foncier renommé" not in page and "Ousmane Maïga" not in page
    assert ">Gao</option>" in second.get("/cases")

    term_id = _term_id(shared_database, "conflict_type", "FONCIER")
    status = first.post(
        f"/admin/vocabularies/conflict_type/{term_id}/edit",
        {"label_fr": "Foncier renommé", "label_en": "Land renamed"},
    )
    assert status == 302
    csv = "code,kind,name,parent_code,valid_from,valid_to\nGAO,region,Gao-Renommée,,,\n".encode()
    assert first.upload("/geo/import", "file", "units.csv", csv) == 302
    new_mediator = {
        "username": "ousmane.mediateur",
        "full_name": "Ousmane Maïga",
        "role": "mediator",
        "preferred_language": "",
        "area_id": "",
    }
    assert first.post("/admin/users/new", new_mediator) == 200  # the temporary password

    page = second.get("/cases")
    assert ">Ousmane Maïga</option>" in page
    assert "Foncier renommé" in page
    assert ">Gao-Renommée</option>" in page
    assert ">Gao</option>" not in page
    # The first process, which made the changes, shows them too.
    assert "Foncier renommé" in first.get("/cases")
