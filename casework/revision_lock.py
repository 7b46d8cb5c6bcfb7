"""The migration history is append-only: ``migrations/revisions.lock`` records every revision
file with the SHA-256 of its text, and a recorded file never changes.

``check`` lists what is wrong (a recorded file changed or deleted, a file not recorded yet);
tests/test_revision_lock.py fails on any of it. ``record`` (``casework db lock-revisions``,
``make lock-revisions``) adds the new files and refuses to change or drop a recorded one.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from casework.config import PROJECT_ROOT

VERSIONS = PROJECT_ROOT / "migrations" / "versions"
LOCK = PROJECT_ROOT / "migrations" / "revisions.lock"

# migrations/alembic.ini's file_template: 2026_12_05_<revision id>_<slug>.py
DATED_NAME = re.compile(r"^\d{4}_\d{2}_\d{2}_[A-Za-z0-9]\w*\.py$")
HOW_TO_RECORD = "record it with `make lock-revisions` (or `casework db lock-revisions`)"
HEADER = """\
# Every Alembic revision file of migrations/versions and the SHA-256 of its text (LF line
# endings). The history is append-only: a recorded revision is never edited, a change to the
# schema is a new revision. `make lock-revisions` adds the new files; see docs/contributing.md.
"""


class LockError(Exception):
    """The revision files do not match the lock in a way that recording cannot fix."""


def digest(path: Path) -> str:
    """The SHA-256 of a file's text, the same whatever line endings a checkout gave it."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def revision_files(versions: Path | None = None) -> dict[str, str]:
    """Every revision file, by name, with its digest."""
    versions = versions or VERSIONS
    return {path.name: digest(path) for path in sorted(versions.glob("*.py"))}


def read_lock(lock: Path | None = None) -> dict[str, str]:
    lock = lock or LOCK
    if not lock.exists():
        return {}
    recorded = {}
    for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not re.fullmatch(r"[0-9a-f]{64}", parts[0]):
            raise LockError(f"{lock.name}, line {number}: expected '<sha256>  <file name>'")
        recorded[parts[1]] = parts[0]
    return recorded


def write_lock(recorded: dict[str, str], lock: Path | None = None) -> None:
    lock = lock or LOCK
    lines = [f"{sha}  {name}" for name, sha in sorted(recorded.items())]
    lock.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")


def _broken(files: dict[str, str], recorded: dict[str, str]) -> list[str]:
    """The problems that only a new revision (never an edit of the lock) may fix."""
    problems = []
    for name, sha in recorded.items():
        if name not in files:
            problems.append(
                f"{name} is recorded in revisions.lock but was deleted: a released revision "
                "stays; restore it"
            )
        elif files[name] != sha:
            problems.append(
                f"{name} changed after it was recorded: the history is append-only; restore "
                "it and write a new revision for the change"
            )
    return problems


def _badly_named(new: list[str]) -> list[str]:
    return [
        f"{name} is not dated: new revisions are named YYYY_MM_DD_<revision>_<slug>.py "
        "(`casework db revision -m ...` does it)"
        for name in new
        if not DATED_NAME.match(name)
    ]


def check(versions: Path | None = None, lock: Path | None = None) -> list[str]:
    """Everything that does not match the lock, one sentence each; empty when all is well."""
    files, recorded = revision_files(versions), read_lock(lock)
    new = [name for name in files if name not in recorded]
    problems = _broken(files, recorded) + _badly_named(new)
    problems += [
        f"{name} is not recorded in revisions.lock: once it is final, {HOW_TO_RECORD}"
        for name in new
        if DATED_NAME.match(name)
    ]
    return problems


def record(versions: Path | None = None, lock: Path | None = None) -> list[str]:
    """Add the new revision files to the lock; returns their names.

    Refuses (LockError, the lock unchanged) when a recorded file changed or was deleted, or
    when a new file is not dated.
    """
    files, recorded = revision_files(versions), read_lock(lock)
    new = [name for name in files if name not in recorded]
    problems = _broken(files, recorded) + _badly_named(new)
    if problems:
        raise LockError("\n".join(problems))
    if new:
        write_lock({**recorded, **{name: files[name] for name in new}}, lock)
    return new
