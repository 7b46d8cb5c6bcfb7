"""Backups of the database and their restoration.

A backup is one file plus a checksum file beside it (``FILE.sha256``, in the format of
``sha256sum``, so that ``sha256sum -c FILE.sha256`` checks it by hand too).

- SQLite: a copy made with SQLite's online backup API, which reads one consistent snapshot
  while the application goes on writing (WAL). The copy is switched to a rollback journal so
  that it is a single, self-contained file.
- PostgreSQL: ``pg_dump --format=custom`` of the application's schema, taken in the snapshot
  in which the cases were counted. The password goes through the environment, never on the
  command line.

Both are written under a temporary name beside the destination and renamed at the end: a
failed backup leaves nothing behind. Restoring checks everything first and changes nothing
when a check fails.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app

from casework.extensions import db

PG_DUMP = os.environ.get("CASEWORK_PG_DUMP", "/usr/bin/pg_dump")
PG_RESTORE = os.environ.get("CASEWORK_PG_RESTORE", "/usr/bin/pg_restore")
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
CHUNK = 1024 * 1024
# The tables whose rows a backup and a restore report, in this order.
COUNTED_TABLES = (
    "cases",
    "parties",
    "mediation_sessions",
    "agreements",
    "referrals",
    "follow_ups",
    "police_activities",
    "alerts",
    "users",
)
# How long a PostgreSQL restore waits for a table that someone else is using.
PG_LOCK_TIMEOUT = "10s"


class BackupError(Exception):
    """A backup or a restore was refused or failed; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    cases: int
    audit_seq: int = 0  # the head of the audit trail held in the backup
    audit_hash: str = ""


@dataclass
class CheckedBackup:
    """A backup that passed every check, ready to be restored."""

    path: Path
    backend: str
    revision: str
    counts: dict[str, int] = field(default_factory=dict)  # SQLite: read from the copy
    staged: Path | None = None  # SQLite: the checked copy, beside the live database
    listing: str = ""  # PostgreSQL: the archive's table of contents

    def discard(self) -> None:
        if self.staged is not None:
            self.staged.unlink(missing_ok=True)
            self.staged = None


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backend_name() -> str:
    return db.engine.dialect.name


def code_head() -> str:
    directory = current_app.extensions["migrate"].directory
    heads = ScriptDirectory(directory).get_heads()
    return heads[0] if len(heads) == 1 else ", ".join(sorted(heads))


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("The SQLite database must be a file to be backed up or restored.")
    return Path(database).resolve()


def _count_rows(execute) -> dict[str, int]:
    """Rows per counted table; ``execute(sql)`` returns a scalar."""
    counts = {}
    for table in COUNTED_TABLES:
        counts[table] = int(execute(f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed names
    return counts


# --- backup -----------------------------------------------------------------------------------


@contextmanager
def _temporary_beside(target: Path, suffix: str = ".part") -> Iterator[Path]:
    """A temporary file in the target's directory (so that a rename is atomic), removed
    unless the caller renamed it."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def backup(output: Path, *, force: bool = False) -> BackupResult:
    """Write a backup of the application's database to ``output`` (and its checksum file)."""
    output = Path(output)
    manifest = checksum_path(output)
    if output.is_dir():
        raise BackupError(f"{output} is a directory; give the name of the backup file.")
    if not output.parent.is_dir():
        raise BackupError(f"No directory {str(output.parent)!r}.")
    if not force and (output.exists() or manifest.exists()):
        raise BackupError(f"{output} already exists. Choose another name or add --force.")
    backend = backend_name()
    with _temporary_beside(output) as temporary, _temporary_beside(manifest) as temp_manifest:
        os.chmod(temporary, 0o600)  # a backup holds everything the database holds
        if backend == "sqlite":
            cases, head = _sqlite_backup(_sqlite_path(), temporary)
        elif backend == "postgresql":
            cases, head = _postgresql_backup(temporary)
        else:
            raise BackupError(f"Backups of {backend} databases are not supported.")
        _fsync(temporary)
        digest = sha256_of(temporary)
        temp_manifest.write_text(f"{digest}  {output.name}\n", encoding="ascii")
        _fsync(temp_manifest)
        size = temporary.stat().st_size
        os.replace(temporary, output)
        try:
            os.replace(temp_manifest, manifest)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    return BackupResult(output, size, digest, cases, *head)


AUDIT_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1"


def _sqlite_backup(source: Path, temporary: Path) -> tuple[int, tuple[int, str]]:
    """The cases and the audit trail's head in the copy."""
    if not source.exists():
        raise BackupError(f"The database {source} does not exist.")
    timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    live = sqlite3.connect(source, timeout=timeout)
    copy = sqlite3.connect(temporary)
    try:
        # One step: the whole copy is read in one read transaction, a consistent snapshot
        # (WAL lets the application commit meanwhile).
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        cases = int(copy.execute("SELECT count(*) FROM cases").fetchone()[0])
        head = copy.execute(AUDIT_HEAD).fetchone()
        return cases, (int(head[0]), head[1]) if head else (0, "")
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite backup failed: {error}") from error
    finally:
        copy.close()
        live.close()


def _libpq(url: sa.engine.URL, *, options: str | None = None) -> tuple[str, dict]:
    """A libpq connection string without the password, and the environment carrying it."""
    query = dict(url.query)
    if options is not None:
        query["options"] = " ".join(filter(None, (query.get("options"), options)))
    plain = url.set(drivername="postgresql", password=None, query=query)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), environment


def _run(command: list[str], environment: dict, what: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed binaries, arguments as a list
            command, env=environment, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"{what} could not be started ({command[0]}): {error}") from error
    if done.returncode != 0:
        message = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {message}")
    return done.stdout


def _postgresql_backup(temporary: Path) -> tuple[int, tuple[int, str]]:
    """pg_dump in the snapshot in which the cases are counted and the audit trail's head is
    read, so both are the dump's."""
    db.session.rollback()
    dsn, environment = _libpq(db.engine.url)
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            schema = connection.scalar(sa.text("SELECT current_schema()"))
            cases = int(connection.scalar(sa.text("SELECT count(*) FROM cases")))
            head = connection.execute(sa.text(AUDIT_HEAD)).first()
            _run(
                [
                    PG_DUMP,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--schema={schema}",
                    f"--file={temporary}",
                    f"--dbname={dsn}",
                ],
                environment,
                "pg_dump",
            )
    return cases, (int(head[0]), head[1]) if head else (0, "")


# --- checks before a restore ------------------------------------------------------------------


def check_backup(path: Path) -> CheckedBackup:
    """Every check a backup must pass before it replaces the database; BackupError says
    which one failed. Nothing is changed (a SQLite backup is checked in a copy)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file {str(path)!r}.")
    expected = _expected_checksum(path)
    with path.open("rb") as stream:
        magic = stream.read(len(SQLITE_MAGIC))
    backend = backend_name()
    kind = (
        "sqlite"
        if magic.startswith(SQLITE_MAGIC)
        else "postgresql"
        if magic.startswith(PG_MAGIC)
        else None
    )
    if kind is None:
        raise BackupError(f"{path} is neither a SQLite database nor a pg_dump archive.")
    if kind != backend:
        raise BackupError(f"{path} is a {kind} backup; the database configured here is {backend}.")
    if backend == "sqlite":
        return _check_sqlite(path, expected)
    if sha256_of(path) != expected:
        raise BackupError(_CHECKSUM_MISMATCH.format(path=path))
    return _check_postgresql(path)


_CHECKSUM_MISMATCH = (
    "The checksum of {path} does not match its .sha256 file: the backup is damaged or "
    "was changed. Nothing was restored."
)


def _expected_checksum(path: Path) -> str:
    manifest = checksum_path(path)
    try:
        line = manifest.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(
            f"Cannot read the checksum file {manifest} ({error}); a backup is restored only "
            "with the checksum written beside it."
        ) from error
    digest = line.split()[0].lower() if line else ""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise BackupError(f"The checksum file {manifest} holds no SHA-256 checksum.")
    return digest


def _check_revision(revision: str | None) -> str:
    head = code_head()
    if revision is None:
        raise BackupError(
            "The backup has no schema revision (no alembic_version table): it was not made "
            "by Casework, or from a database that was never migrated."
        )
    if revision != head:
        raise BackupError(
            f"The backup's schema is at revision {revision}; this version of Casework "
            f"expects {head}. Restore it with the version of Casework that made it (then "
            "update Casework and run `casework db upgrade`)."
        )
    return revision


def _check_sqlite(path: Path, expected: str) -> CheckedBackup:
    live = _sqlite_path()
    if not live.parent.is_dir():
        raise BackupError(f"No directory {str(live.parent)!r} for the database.")
    # Checked in the copy that will replace the database: what was checked is what is used.
    handle, name = tempfile.mkstemp(dir=live.parent, prefix=f".{live.name}.", suffix=".restore")
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as target, path.open("rb") as source:
            shutil.copyfileobj(source, target, CHUNK)
            target.flush()
            os.fsync(target.fileno())
        if sha256_of(staged) != expected:
            raise BackupError(_CHECKSUM_MISMATCH.format(path=path))
        os.chmod(staged, 0o600)
        checked = CheckedBackup(path, "sqlite", "", staged=staged)
        checked.revision, checked.counts = _inspect_sqlite(staged)
        return checked
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _inspect_sqlite(copy: Path) -> tuple[str, dict[str, int]]:
    try:
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"The backup cannot be opened: {error}") from error
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(
                "The backup fails SQLite's integrity check: " + "; ".join(map(str, result[:5]))
            )
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = sorted({row[0] for row in broken})
            raise BackupError(
                f"The backup has {len(broken)} broken references (in {', '.join(tables)})."
            )
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            row = None
        revision = _check_revision(row[0] if row else None)
        counts = _count_rows(lambda sql: connection.execute(sql).fetchone()[0])
        return revision, counts
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The backup is not a readable SQLite database: {error}") from error
    finally:
        connection.close()


def _check_postgresql(path: Path) -> CheckedBackup:
    environment = dict(os.environ)
    listing = _run([PG_RESTORE, "--list", str(path)], environment, "pg_restore --list")
    schema = _current_schema()
    schemas = {
        parts[5]
        for parts in (line.split() for line in listing.splitlines() if not line.startswith(";"))
        if len(parts) > 6 and parts[3:5] == ["TABLE", "DATA"] and parts[6] == "cases"
    }
    if schemas != {schema}:
        found = ", ".join(sorted(schemas)) or "none"
        raise BackupError(
            f"The backup holds the cases of schema {found}; this application uses schema {schema}."
        )
    # The whole archive is read (into nothing): a damaged table of data fails here, not
    # halfway through the restore.
    _run([PG_RESTORE, "--file=/dev/null", str(path)], environment, "Reading the backup")
    data = _run(
        [PG_RESTORE, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        environment,
        "pg_restore",
    )
    revision = _copied_value(data)
    return CheckedBackup(path, "postgresql", _check_revision(revision), listing=listing)


def _copied_value(sql: str) -> str | None:
    """The first value of the first COPY block of a data-only SQL script."""
    lines = iter(sql.splitlines())
    for line in lines:
        if line.startswith("COPY "):
            value = next(lines, "\\.")
            return None if value == "\\." else value.split("\t")[0]
    return None


def _current_schema() -> str:
    with db.engine.connect() as connection:
        return connection.scalar(sa.text("SELECT current_schema()"))


# --- restore ----------------------------------------------------------------------------------


def restore(checked: CheckedBackup) -> dict[str, int]:
    """Replace the database with a checked backup; the rows per table now in the database."""
    db.session.remove()
    db.engine.dispose()  # no connection of ours keeps the old database or its tables
    if checked.backend == "sqlite":
        return _restore_sqlite(checked)
    return _restore_postgresql(checked)


def _restore_sqlite(checked: CheckedBackup) -> dict[str, int]:
    live = _sqlite_path()
    staged = checked.staged
    if staged is None or not staged.exists():
        raise BackupError("The checked copy of the backup is gone; run the restore again.")
    try:
        _check_no_one_uses(live)
        if live.exists():
            _checkpoint(live)
            kept = live.with_name(f"{live.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
            _keep_copy(live, kept)
        os.replace(staged, live)
        checked.staged = None
        # A -wal left from the old database would be replayed into the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        _fsync_directory(live.parent)
    finally:
        checked.discard()
    return checked.counts


def _check_no_one_uses(live: Path) -> None:
    """Refuse when another process has the database open.

    In WAL mode every connection holds a shared lock on one byte of the -shm file (SQLite's
    "DMS" byte, offset 128 on Unix) for as long as it is open; taking an exclusive lock on it
    fails when anyone else is connected. A writer in rollback mode holds the database's own
    lock while it writes; BEGIN EXCLUSIVE fails then.
    """
    shm = Path(f"{live}-shm")
    if shm.exists():
        with shm.open("rb+") as stream:
            try:
                fcntl.lockf(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    raise BackupError(_IN_USE.format(path=live)) from error
                raise
            fcntl.lockf(stream.fileno(), fcntl.LOCK_UN, 1, 128)
    if live.exists():
        connection = sqlite3.connect(live, timeout=0.1, isolation_level=None)
        try:
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            raise BackupError(_IN_USE.format(path=live)) from error
        finally:
            connection.close()


_IN_USE = (
    "The database {path} is in use by another process. Stop the application (and any "
    "other casework command) before restoring."
)


def _checkpoint(live: Path) -> None:
    connection = sqlite3.connect(live, timeout=0.1)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The current database could not be checkpointed: {error}") from error
    finally:
        connection.close()


def _keep_copy(live: Path, kept: Path) -> None:
    """The replaced database is kept beside it (nothing is deleted by a restore)."""
    try:
        os.link(live, kept)
    except OSError:
        shutil.copy2(live, kept)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _without_schema(listing: str) -> str:
    """The table of contents less the schema itself: its objects are dropped and made
    again, the schema stays (extensions such as pg_trgm may live in it)."""
    lines = []
    for line in listing.splitlines():
        parts = line.split()
        schema_entry = len(parts) > 5 and (
            parts[3] == "SCHEMA" or (parts[3] == "COMMENT" and parts[5] == "SCHEMA")
        )
        lines.append(f";{line}" if schema_entry and not line.startswith(";") else line)
    return "\n".join(lines) + "\n"


def _restore_postgresql(checked: CheckedBackup) -> dict[str, int]:
    dsn, environment = _libpq(db.engine.url, options=f"-c lock_timeout={PG_LOCK_TIMEOUT}")
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as use_list:
        use_list.write(_without_schema(checked.listing))
        use_list.flush()
        _run(
            [
                PG_RESTORE,
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                f"--use-list={use_list.name}",
                f"--dbname={dsn}",
                str(checked.path),
            ],
            environment,
            "pg_restore",
        )
    return database_counts()


def database_counts() -> dict[str, int]:
    with db.engine.connect() as connection:
        return _count_rows(lambda sql: connection.scalar(sa.text(sql)))
