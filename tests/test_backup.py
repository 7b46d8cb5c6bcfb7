"""`casework backup` and `casework restore`, concurrent writers and crash consistency.

These tests need committed data seen by other connections, threads and processes: each
builds its own application on a database of its own (``empty_database``), on SQLite and
on PostgreSQL, instead of the rolled-back transaction of the other tests.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import stamp

from casework import create_app
from casework.auth import services as accounts
from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.models import Case, CaseEvent, CaseRevision, Party
from casework.cli import cli
from casework.config import PROJECT_ROOT
from casework.core.dates import today
from casework.extensions import db
from casework.geo.services import get_unit_by_code, seed_units
from casework.maintenance import backup as backups
from casework.vocab.services import seed_vocabularies
from tests.conftest import app_settings


def reported() -> date:
    """The cases' day: a month before the day the test runs (never in the future)."""
    return today() - timedelta(days=30)


@pytest.fixture
def live(empty_database, backend):
    """An application on a committed, migrated (stamped) database with one user."""
    app = create_app(app_settings(empty_database))
    app.config["BACKEND"] = backend
    with app.app_context():
        db.create_all()
        stamp()
        seed_units()
        seed_vocabularies()
        user = accounts.create_user(
            username="operator",
            full_name="Operator",
            role="admin",
            password="Tinariwen sings at dusk 7",
        )
        db.session.commit()
        app.config["TEST_USER_ID"] = user.id
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def case_data(title: str, unit: str = "GAO") -> cases.CaseData:
    return cases.CaseData(
        unit_id=get_unit_by_code(unit).id,
        event_date=reported(),
        reported_on=reported(),
        channel="PLAINTE_DIRECTE",
        conflict_type="FONCIER",
        scope="INTRACOMMUNAUTAIRE",
        title=title,
        narrative=f"Récit de {title}",
        narrative_lang="fr",
    )


def register(app, title: str) -> str:
    with app.app_context():
        user = db.session.get(User, app.config["TEST_USER_ID"])
        party = cases.PartyData(role="complainant", name=f"Partie de {title}")
        case = cases.register_case(case_data(title), [party], user)
        db.session.commit()
        return case.reference


def titles(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(sa.select(Case.reference, Case.title)).all()
        db.session.rollback()
        return dict(rows)


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(cli, list(args), input=input)


def sqlite_file(app) -> Path:
    return Path(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)


def integrity(path: Path) -> list:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def take_backup(app, path: Path):
    result = run(app, "backup", "-o", str(path))
    assert result.exit_code == 0, result.output
    return result


# --- backup and restore -----------------------------------------------------------------------


def test_a_restored_backup_holds_every_case_and_passes_the_integrity_check(live, tmp_path):
    for title in ("Champ de Wabaria", "Puits de Tassiga", "Couloir de Kadji"):
        register(live, title)
    before = titles(live)
    target = tmp_path / "casework.backup"
    result = take_backup(live, target)
    assert "3 cases" in result.output
    manifest = backups.checksum_path(target).read_text()
    assert manifest == f"{hashlib.sha256(target.read_bytes()).hexdigest()}  {target.name}\n"
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    register(live, "Après la sauvegarde")
    with live.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.title == "Puits de Tassiga"))
        case.title = "Changed after the backup"
        db.session.commit()

    refused = run(live, "restore", str(target), input="n\n")
    assert refused.exit_code != 0 and len(titles(live)) == 4
    restored = run(live, "restore", str(target), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "cases 3" in restored.output and "parties 3" in restored.output
    assert titles(live) == before
    with live.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id))) == 3
        db.session.rollback()
    register(live, "The application goes on")  # sequences and counters came back too
    if live.config["BACKEND"] == "sqlite":
        database = sqlite_file(live)
        assert integrity(database) == ["ok"]
        assert not Path(f"{database}-wal").exists() or integrity(database) == ["ok"]
        kept = list(database.parent.glob(f"{database.name}.before-restore-*"))
        assert len(kept) == 1  # the replaced database is kept, not deleted


def test_backup_prints_the_audit_head_it_holds(live, tmp_path):
    """The anchor printed with a backup fits both the backup and the live trail."""
    from casework.audit.models import AuditHead

    register(live, "Champ de Wabaria")
    with live.app_context():
        head = db.session.execute(sa.select(AuditHead.seq, AuditHead.hash)).one()
        db.session.rollback()
    result = take_backup(live, tmp_path / "casework.backup")
    assert f"head: entry {head.seq}, hash {head.hash}" in result.output
    assert f"anchor: {head.seq}:{head.hash}" in result.output
    checked = run(live, "audit", "verify", "--expect", f"{head.seq}:{head.hash}")
    assert checked.exit_code == 0, checked.output


def test_backup_refuses_to_overwrite_and_a_failed_backup_leaves_nothing(
    live, tmp_path, monkeypatch
):
    register(live, "Champ de Wabaria")
    target = tmp_path / "out" / "casework.backup"
    missing_dir = run(live, "backup", "-o", str(target))
    assert missing_dir.exit_code != 0 and "No directory" in missing_dir.output
    target.parent.mkdir()
    take_backup(live, target)
    again = run(live, "backup", "-o", str(target))
    assert again.exit_code != 0 and "already exists" in again.output and "--force" in again.output
    assert run(live, "backup", "-o", str(target), "--force").exit_code == 0

    def broken(_path):
        raise OSError("disk full")

    monkeypatch.setattr(backups, "_fsync", broken)
    failed = tmp_path / "out" / "second.backup"
    result = run(live, "backup", "-o", str(failed))
    assert result.exit_code != 0
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "casework.backup",
        "casework.backup.sha256",
    ]


def _flip(path: Path, manifest: Path) -> None:
    """Damage the start of every 4 KiB block (SQLite's page headers; pg_dump's compressed
    blocks) and the middle of the file: bytes in a free page alone would harm nothing."""
    data = bytearray(path.read_bytes())
    starts = [*range(4096, len(data) - 16, 4096), len(data) // 2]
    for start in starts:
        for offset in range(start, start + 16):
            data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _wrong_checksum(path: Path, manifest: Path) -> None:
    manifest.write_text("0" * 64 + f"  {path.name}\n")


def _truncate(path: Path, manifest: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _truncate_with_checksum(path: Path, manifest: Path) -> None:
    """Damaged before the checksum was taken: the checksum agrees, the content does not."""
    _truncate(path, manifest)
    manifest.write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n")


def _flip_with_checksum(path: Path, manifest: Path) -> None:
    _flip(path, manifest)
    manifest.write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n")


def _no_checksum(path: Path, manifest: Path) -> None:
    manifest.unlink()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_flip, "checksum"),
        (_wrong_checksum, "checksum"),
        (_truncate, "checksum"),
        (_no_checksum, "checksum file"),
        (_truncate_with_checksum, ""),
        (_flip_with_checksum, ""),
    ],
)
def test_a_damaged_backup_is_refused_and_the_database_is_unchanged(live, tmp_path, damage, message):
    for title in ("Champ de Wabaria", "Puits de Tassiga"):
        register(live, title)
    target = tmp_path / "casework.backup"
    take_backup(live, target)
    register(live, "Après la sauvegarde")
    before = titles(live)
    damage(target, backups.checksum_path(target))
    if live.config["BACKEND"] == "sqlite":
        with live.app_context():
            db.engine.dispose()
        database = sqlite_file(live)
        fingerprint = hashlib.sha256(database.read_bytes()).hexdigest()

    result = run(live, "restore", str(target), "--yes")
    assert result.exit_code != 0
    assert message in result.output and "Restored" not in result.output
    assert titles(live) == before
    if live.config["BACKEND"] == "sqlite":
        with live.app_context():
            db.engine.dispose()
        assert hashlib.sha256(database.read_bytes()).hexdigest() == fingerprint
        assert integrity(database) == ["ok"]
        leftovers = [p.name for p in database.parent.iterdir() if ".restore" in p.name]
        assert leftovers == []


def test_a_backup_of_another_schema_revision_is_refused(live, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("the revision is read the same way; rewriting a pg_dump archive is not")
    register(live, "Champ de Wabaria")
    target = tmp_path / "casework.backup"
    take_backup(live, target)
    connection = sqlite3.connect(target)
    connection.execute("UPDATE alembic_version SET version_num = '0003'")
    connection.commit()
    connection.close()
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    backups.checksum_path(target).write_text(f"{digest}  {target.name}\n")
    result = run(live, "restore", str(target), "--yes")
    assert result.exit_code != 0
    assert "revision 0003" in result.output and "casework db upgrade" in result.output


def test_restore_refuses_while_another_process_has_the_database_open(live, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL restores in one transaction that waits for locks (lock_timeout)")
    register(live, "Champ de Wabaria")
    target = tmp_path / "casework.backup"
    take_backup(live, target)
    database = sqlite_file(live)
    holder = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('SELECT count(*) FROM cases').fetchone()\n"
            "print('open', flush=True)\n"
            "sys.stdin.read()\n",
            str(database),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        result = run(live, "restore", str(target), "--yes")
        assert result.exit_code != 0 and "in use by another process" in result.output
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    assert run(live, "restore", str(target), "--yes").exit_code == 0


def test_a_backup_taken_while_another_thread_writes_is_consistent(live, tmp_path):
    stop = threading.Event()
    committed: list[str] = []
    errors: list[BaseException] = []

    def writer():
        try:
            number = 0
            while not stop.is_set() and number < 400:
                number += 1
                committed.append(register(live, f"Dossier {number}"))
        except BaseException as error:  # reported below
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 5 and thread.is_alive():
            threading.Event().wait(0.05)
        target = tmp_path / "casework.backup"
        result = take_backup(live, target)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert not errors, errors
    reported = int(result.output.split(" cases")[0].rsplit(" ", 1)[1])
    assert reported >= 5

    restored = run(live, "restore", str(target), "--yes")
    assert restored.exit_code == 0, restored.output
    with live.app_context():
        references = db.session.scalars(sa.select(Case.reference).order_by(Case.id)).all()
        parties = db.session.scalar(sa.select(sa.func.count(Party.id)))
        events = db.session.scalar(sa.select(sa.func.count(CaseEvent.id)))
        revisions = db.session.scalar(sa.select(sa.func.count(CaseRevision.id)))
        db.session.rollback()
    # A snapshot: the first cases committed, each with everything its transaction wrote.
    assert len(references) == reported
    assert references == committed[:reported]
    assert parties == events == revisions == reported
    if live.config["BACKEND"] == "sqlite":
        assert integrity(sqlite_file(live)) == ["ok"]


# --- crash consistency ------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from casework import create_app
    from casework.auth.models import User
    from casework.cases import services as cases
    from casework.extensions import db
    from casework.geo.services import get_unit_by_code

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SERVER_NAME": None})
    with app.app_context():
        user = db.session.get(User, int(sys.argv[2]))
        unit = get_unit_by_code("GAO").id
        db.session.rollback()
        number = 0
        while True:
            number += 1
            data = cases.CaseData(
                unit_id=unit, event_date=date(2026, 3, 2), reported_on=date(2026, 3, 2),
                channel="PLAINTE_DIRECTE", conflict_type="FONCIER",
                scope="INTRACOMMUNAUTAIRE", title=f"Dossier {number}",
                narrative="x" * 2000, narrative_lang="fr",
            )
            party = cases.PartyData(role="complainant", name=f"Partie {number}")
            case = cases.register_case(data, [party], db.session.get(User, int(sys.argv[2])))
            reference = case.reference
            db.session.commit()
            print(reference, flush=True)
    """
)


def test_a_process_killed_while_writing_leaves_a_sound_database(live, backend):
    if backend != "sqlite":
        pytest.skip("crash consistency of the SQLite file (PostgreSQL has its own WAL)")
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            WRITER,
            live.config["SQLALCHEMY_DATABASE_URI"],
            str(live.config["TEST_USER_ID"]),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    printed: list[str] = []
    try:
        while len(printed) < 40:
            line = process.stdout.readline()
            assert line, process.stderr.read()
            printed.append(line.strip())
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    printed += [line.strip() for line in process.stdout.read().splitlines() if line.strip()]
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    database = sqlite_file(live)
    assert integrity(database) == ["ok"]
    connection = sqlite3.connect(database)
    try:
        stored = {row[0] for row in connection.execute("SELECT reference FROM cases")}
        orphans = connection.execute(
            "SELECT count(*) FROM cases WHERE id NOT IN (SELECT case_id FROM parties)"
        ).fetchone()[0]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()
    assert set(printed) <= stored  # every committed case is there
    assert len(stored) - len(printed) <= 1  # at most the one committed before its print
    assert orphans == 0  # and no case half-written


# --- concurrent writers on the same case ------------------------------------------------------

WRITERS = 4
ROUNDS = 3


def test_concurrent_edits_of_one_case_lose_nothing(live):
    reference = register(live, "Champ de Wabaria")
    with live.app_context():
        case_id = db.session.scalar(sa.select(Case.id).where(Case.reference == reference))
        db.session.rollback()
    outcomes: list[tuple[int, str, str]] = []  # (round, title, "saved" | "conflict")
    errors: list[BaseException] = []
    lock = threading.Lock()

    def edit(round_: int, writer: int, start: threading.Barrier):
        title = f"Round {round_} by writer {writer}"
        try:
            with live.app_context():
                version = db.session.get(Case, case_id).version
                db.session.rollback()  # read, then write in a request of its own
                start.wait(timeout=30)
                case = db.session.get(Case, case_id)
                user = db.session.get(User, live.config["TEST_USER_ID"])
                data = case_data(title)
                data.narrative = case.narrative
                try:
                    cases.update_case(case, data, version, user)
                    result = "saved"
                except cases.EditConflict:
                    result = "conflict"
                db.session.commit()  # as the view does: a refused edit is kept
                with lock:
                    outcomes.append((round_, title, result))
        except BaseException as error:  # reported below
            errors.append(error)

    for round_ in range(ROUNDS):
        start = threading.Barrier(WRITERS)
        threads = [
            threading.Thread(target=edit, args=(round_, writer, start)) for writer in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors

    winners = {
        r: [t for rr, t, result in outcomes if rr == r and result == "saved"] for r in range(ROUNDS)
    }
    assert all(len(titles_) == 1 for titles_ in winners.values()), outcomes
    refused = {t for _r, t, result in outcomes if result == "conflict"}
    assert len(refused) == ROUNDS * (WRITERS - 1)
    with live.app_context():
        case = db.session.get(Case, case_id)
        revisions = db.session.scalars(
            sa.select(CaseRevision).where(CaseRevision.case_id == case_id)
        ).all()
        final_title = case.title
        saved = [r.data["title"] for r in revisions if r.kind == "saved"]
        conflicts = {r.data["title"] for r in revisions if r.kind == "conflict"}
        db.session.rollback()
    assert final_title == winners[ROUNDS - 1][0]  # the last winner's edit, not a mixture
    assert saved == ["Champ de Wabaria", *(winners[r][0] for r in range(ROUNDS))]
    assert conflicts == refused  # nothing anyone typed is lost
