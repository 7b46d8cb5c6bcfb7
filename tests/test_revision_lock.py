"""The migration history is append-only: migrations/revisions.lock records every revision
file's SHA-256; a recorded file never changes, a new file is recorded on purpose, and new
revisions get dated file names."""

from __future__ import annotations

import shutil

import pytest
from alembic import command
from alembic.config import Config
from click.testing import CliRunner

from casework import revision_lock
from casework.config import PROJECT_ROOT

FIRST = "0001_users_and_sign_in_attempts.py"
NEW = "2026_12_05_20261205_x_case_tags.py"


def test_every_revision_file_is_recorded_and_unchanged():
    problems = revision_lock.check()
    assert not problems, "migrations/revisions.lock:\n" + "\n".join(problems)


@pytest.fixture
def history(tmp_path):
    """A copy of the revision files and of the lock, to change at will."""
    versions = tmp_path / "versions"
    versions.mkdir()
    for path in revision_lock.VERSIONS.glob("*.py"):
        shutil.copy(path, versions / path.name)
    lock = tmp_path / "revisions.lock"
    shutil.copy(revision_lock.LOCK, lock)
    return versions, lock


def test_a_changed_revision_fails_and_cannot_be_recorded(history):
    versions, lock = history
    before = lock.read_text()
    with open(versions / FIRST, "a") as out:
        out.write("# a late fix\n")

    assert revision_lock.check(versions, lock) == [
        f"{FIRST} changed after it was recorded: the history is append-only; restore it and "
        "write a new revision for the change"
    ]
    with pytest.raises(revision_lock.LockError, match="append-only"):
        revision_lock.record(versions, lock)
    assert lock.read_text() == before


def test_a_deleted_revision_fails(history):
    versions, lock = history
    (versions / FIRST).unlink()
    [problem] = revision_lock.check(versions, lock)
    assert problem.startswith(f"{FIRST} is recorded in revisions.lock but was deleted")
    with pytest.raises(revision_lock.LockError):
        revision_lock.record(versions, lock)


def test_a_new_revision_fails_until_recorded_and_recording_keeps_the_others(history):
    versions, lock = history
    (versions / NEW).write_text('revision = "20261205_x"\ndown_revision = "0011"\n')
    recorded_before = revision_lock.read_lock(lock)

    [problem] = revision_lock.check(versions, lock)
    assert problem == (
        f"{NEW} is not recorded in revisions.lock: once it is final, record it with "
        "`make lock-revisions` (or `casework db lock-revisions`)"
    )

    assert revision_lock.record(versions, lock) == [NEW]
    assert revision_lock.check(versions, lock) == []
    recorded = revision_lock.read_lock(lock)
    assert recorded == {**recorded_before, NEW: revision_lock.digest(versions / NEW)}
    assert revision_lock.record(versions, lock) == []  # running it again adds nothing


def test_a_new_revision_without_a_date_is_refused(history):
    versions, lock = history
    (versions / "0012_case_tags.py").write_text('revision = "0012"\n')
    [problem] = revision_lock.check(versions, lock)
    assert problem.startswith("0012_case_tags.py is not dated")
    with pytest.raises(revision_lock.LockError, match="not dated"):
        revision_lock.record(versions, lock)
    assert "0012_case_tags.py" not in revision_lock.read_lock(lock)


def test_line_endings_do_not_count(history):
    versions, lock = history
    path = versions / FIRST
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert revision_lock.check(versions, lock) == []


def test_the_command_records_new_files(history, monkeypatch):
    from casework.cli import lock_revisions_command

    versions, lock = history
    monkeypatch.setattr(revision_lock, "VERSIONS", versions)
    monkeypatch.setattr(revision_lock, "LOCK", lock)
    (versions / NEW).write_text('revision = "20261205_x"\n')

    result = CliRunner().invoke(lock_revisions_command)
    assert result.exit_code == 0, result.output
    assert result.output == f"Recorded {NEW}\n"
    assert NEW in revision_lock.read_lock(lock)

    with open(versions / FIRST, "a") as out:
        out.write("# edited\n")
    result = CliRunner().invoke(lock_revisions_command)
    assert result.exit_code == 1
    assert "append-only" in result.output


def test_new_revisions_get_dated_file_names(tmp_path):
    """`casework db revision -m ...` (Alembic, with migrations/alembic.ini) names the file
    YYYY_MM_DD_<revision>_<slug>.py."""
    migrations = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", migrations)
    config = Config(str(migrations / "alembic.ini"))
    config.set_main_option("script_location", str(migrations))
    script = command.revision(config, message="Add case tags", rev_id="abc123")
    name = script.path.rsplit("/", 1)[-1]
    assert revision_lock.DATED_NAME.match(name), name
    assert name.endswith("_abc123_add_case_tags.py")
