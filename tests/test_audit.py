"""The audit trail: what it records, that it cannot be edited, and that tampering is found."""

from __future__ import annotations

import re

import sqlalchemy as sa

from casework.audit.fields import AUDITED_TABLES, FIELD_TITLES, IGNORED_COLUMNS
from casework.audit.models import AuditEntry, AuditHead
from casework.cases.models import Case
from casework.cli import cli
from casework.extensions import db
from tests.conftest import post_form, query
from tests.test_cases import Walker, intake


def entries(app, **where):
    statement = sa.select(AuditEntry).order_by(AuditEntry.seq)
    for key, value in where.items():
        statement = statement.where(getattr(AuditEntry, key) == value)
    with app.app_context():
        found = db.session.scalars(statement).all()
        for entry in found:
            db.session.expunge(entry)
        return found


def test_registering_a_case_records_who_what_and_from_where(app, client, seeded, make_user, login):
    login(make_user("mediator", username="mariam", area="GAO"))
    walker = Walker(app, client)
    case_id = walker.register(parties=("Amadou Maïga", "Hama Ag Ahmed"))

    created = entries(app, case_id=case_id, action="create")
    kinds = sorted(entry.object_type for entry in created)
    assert kinds == ["cases", "parties", "parties"]
    case_entry = next(entry for entry in created if entry.object_type == "cases")
    assert case_entry.username == "mariam"
    assert case_entry.address == "127.0.0.1"
    assert case_entry.details["fields"]["conflict_type"] == "DEGATS_CHAMPETRES"
    # Names and narratives are never copied into the log: it records that they exist.
    assert case_entry.details["fields"]["narrative"] == "restricted"
    text = repr([entry.details for entry in created])
    assert "Amadou" not in text and "Hama" not in text and "troupeau" not in text


def test_an_edit_is_recorded_field_by_field_before_and_after(app, client, seeded, make_user, login):
    login(make_user("mediator", username="mariam", area="GAO"))
    walker = Walker(app, client)
    case_id = walker.register()
    page = f"/cases/{case_id}/edit"
    data = intake(app, conflict_type="FONCIER", narrative="Nouveau récit confidentiel.")
    html = client.get(page).get_data(as_text=True)
    data["version"] = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = walker.post(page, data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]

    change = entries(app, case_id=case_id, action="change", object_type="cases")[-1]
    changes = change.details["changes"]
    assert changes["conflict_type"] == ["DEGATS_CHAMPETRES", "FONCIER"]
    assert changes["narrative"] == ["restricted", "restricted"]
    assert "Nouveau" not in repr(change.details)


def test_transitions_views_refusals_and_sign_ins_are_recorded(
    app, client, seeded, make_user, login
):
    mediator = make_user("mediator", username="mariam", area="GAO")
    post_form(client, "/login", {"username": "mariam", "password": "wrong password!"})
    login(mediator)
    walker = Walker(app, client)
    case_id = walker.register()
    walker.move("ENREGISTRE")
    client.get(f"/cases/{case_id}")

    actions = [entry.action for entry in entries(app, case_id=case_id)]
    assert "transition" in actions and "view" in actions
    failed = entries(app, action="sign_in_failed")
    assert [(entry.username, entry.address) for entry in failed] == [("mariam", "127.0.0.1")]
    assert entries(app, action="sign_in", username="mariam")

    post_form(client, "/logout", {}, page="/")
    assert entries(app, action="sign_out", username="mariam")

    login(make_user("police", username="focal", area="GAO"))
    assert client.get(f"/cases/{case_id}").status_code == 403
    refused = entries(app, action="denied", username="focal")
    assert refused and refused[-1].details["path"] == f"/cases/{case_id}"


def test_exports_and_reports_are_recorded(app, client, seeded, make_user, login):
    login(make_user("coordinator", username="coord", area="GAO"))
    assert client.get("/reports/exports/cases.csv?lang=fr").status_code == 200
    response = client.get("/reports/periodic?period=2026-Q3&area=GAO&lang=en&format=json")
    assert response.status_code == 200
    exported = entries(app, action="export", username="coord")
    assert exported[-1].details == {"export": "cases", "format": "csv", "lang": "fr"}
    reported = entries(app, action="report", username="coord")
    assert reported[-1].details["period"] == "2026-Q3" and reported[-1].details["lang"] == "en"


def test_the_log_refuses_updates_and_deletes(app, seeded):
    with app.app_context():
        first = db.session.scalar(sa.select(AuditEntry.id).order_by(AuditEntry.seq).limit(1))
        for statement in (
            sa.update(AuditEntry).where(AuditEntry.id == first).values(username="someone"),
            sa.delete(AuditEntry).where(AuditEntry.id == first),
        ):
            nested = db.session.begin_nested()
            try:
                db.session.execute(statement)
            except sa.exc.DatabaseError as error:
                assert "append-only" in str(error)
            else:
                raise AssertionError(f"the log accepted {statement}")
            finally:
                nested.rollback()


def drop_triggers(app) -> None:
    """What an attacker with the database owner's rights can do."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        else:
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
        db.session.commit()


def test_audit_verify_passes_then_names_the_altered_entry(
    app, runner, seeded, client, make_user, login
):
    login(make_user("mediator", username="mariam", area="GAO"))
    Walker(app, client).register()
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output

    drop_triggers(app)
    with app.app_context():
        target = db.session.scalar(
            sa.select(AuditEntry.seq).where(AuditEntry.object_type == "cases").limit(1)
        )
        db.session.execute(
            sa.update(AuditEntry).where(AuditEntry.seq == target).values(username="nobody")
        )
        db.session.commit()
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {target} was altered" in result.output


def test_audit_verify_notices_a_removed_entry_and_a_cut_end(app, runner, seeded):
    drop_triggers(app)
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(AuditEntry.seq)))
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == 5))
        db.session.commit()
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1 and "entry 5 is missing" in result.output

    with app.app_context():
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq >= 5))
        db.session.commit()
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1 and "cut from the end" in result.output
    assert last > 5


def test_case_history_page_in_both_languages(app, client, seeded, make_user, login):
    login(make_user("mediator", username="mariam", area="GAO", lang="fr"))
    walker = Walker(app, client)
    case_id = walker.register()
    walker.move("ENREGISTRE")
    html = client.get(f"/cases/{case_id}/history", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert "Historique de" in html and "Étape du circuit" in html and "mariam" in html
    assert "Amadou" not in html
    client.post("/language", data={"lang": "en"})
    english = client.get(f"/cases/{case_id}/history?lang=en").get_data(as_text=True)
    assert "History of" in english or "Historique" in english


def test_admin_audit_viewer_filters_and_is_for_admins_only(app, client, seeded, make_user, login):
    coordinator = make_user("coordinator", username="coord", area="GAO")
    login(coordinator)
    assert client.get("/admin/audit").status_code == 403
    post_form(client, "/logout", {}, page="/")
    login(make_user("admin", username="root"))
    html = client.get("/admin/audit?user=coord&action=sign_in").get_data(as_text=True)
    assert "coord" in html
    assert "root" not in html.split("<tbody>")[1]
    # A page past the end (an old link, a shorter list since) shows the last page.
    past = client.get("/admin/audit?user=coord&action=sign_in&page=999").get_data(as_text=True)
    assert past.split("<tbody>")[1] == html.split("<tbody>")[1]
    bad = client.get("/admin/audit?date_from=not-a-date")
    assert bad.status_code == 400  # the form says what is wrong; nothing breaks
    assert "Saisissez une date au format AAAA-MM-JJ." in bad.get_data(as_text=True)


def test_every_audited_column_has_a_translated_title(app):
    with app.app_context():
        untitled = [
            f"{table}.{column.key}"
            for table in sorted(AUDITED_TABLES)
            for column in db.metadata.tables[table].c
            if column.key not in IGNORED_COLUMNS
            and column.key != "id"
            and column.key not in FIELD_TITLES
        ]
    assert untitled == []


def test_a_cli_change_is_recorded_as_the_system(app, runner):
    from casework.audit.services import verify

    result = runner.invoke(cli, ["geo", "seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        created = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.object_type == "admin_units").limit(1)
        ).one()
        assert created.username.startswith("cli:") and created.address == "cli"
        assert verify().ok
    assert query(app, sa.select(sa.func.count()).select_from(Case)).scalar_one() == 0


def test_archive_and_restore_have_entries_of_their_own(app, client, seeded, make_user, login):
    login(make_user("coordinator", username="coord", area="GAO"))
    walker = Walker(app, client)
    case_id = walker.register()
    response = walker.post(f"/cases/{case_id}/archive", {"reason": "Doublon du dossier voisin"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert walker.post(f"/cases/{case_id}/restore", {}).status_code == 302
    actions = [entry.action for entry in entries(app, case_id=case_id)]
    assert actions.index("archive") < actions.index("restore")
    archived = entries(app, case_id=case_id, action="archive")[0]
    assert archived.username == "coord"
    assert archived.details == {"reason": "Doublon du dossier voisin"}


def test_a_page_whose_view_cannot_be_recorded_is_not_shown(
    app, client, seeded, make_user, login, monkeypatch
):
    """The database stays locked past the busy timeout when the view entry is written: the
    user gets a translated 'busy, try again' (503), not the case and not a 500."""
    from casework.audit import services

    login(make_user("mediator", username="mariam", area="GAO"))
    case_id = Walker(app, client).register()

    def locked(connection, entries):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(services, "append", locked)
    response = client.get(f"/cases/{case_id}", headers={"Accept-Language": "fr"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert "Amadou" not in html and "Champ de mil" not in html
    assert "très occupé" in html


# --- the anchor: the head kept away from the database, and a keyed chain ------------------------

ANCHOR_RE = re.compile(r"anchor: (\d+):([0-9a-f]{64})")


def head_row(app) -> tuple[int, str]:
    with app.app_context():
        head = db.session.execute(sa.select(AuditHead.seq, AuditHead.hash)).one()
        db.session.rollback()
        return head.seq, head.hash


def test_audit_verify_prints_the_head_to_keep_elsewhere(app, runner, seeded):
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    seq, digest = head_row(app)
    assert seq > 0
    assert f"head: entry {seq}, hash {digest}" in result.output
    assert ANCHOR_RE.search(result.output).groups() == (str(seq), digest)
    expected = runner.invoke(cli, ["audit", "verify", "--expect", f"{seq}:{digest}"])
    assert expected.exit_code == 0, expected.output
    assert f"entry {seq} has the expected hash" in expected.output


def cut_the_end(app, keep: int) -> None:
    """Entries after ``keep`` removed and the head row moved back onto the last one kept: the
    chain alone looks intact."""
    drop_triggers(app)
    with app.app_context():
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq > keep))
        last = db.session.execute(
            sa.select(AuditEntry.seq, AuditEntry.hash).where(AuditEntry.seq == keep)
        ).one()
        db.session.execute(sa.update(AuditHead).values(seq=last.seq, hash=last.hash))
        db.session.commit()


def test_expect_catches_entries_cut_from_the_end_with_the_head_updated(app, runner, seeded):
    seq, digest = head_row(app)
    cut_the_end(app, keep=seq - 3)
    alone = runner.invoke(cli, ["audit", "verify"])
    assert alone.exit_code == 0  # what the database alone cannot tell
    result = runner.invoke(cli, ["audit", "verify", "--expect", f"{seq}:{digest}"])
    assert result.exit_code == 1
    assert f"the trail ends at entry {seq - 3}, before the expected entry {seq}" in result.output


def recompute_plainly(app, start: int, username: str = "nobody") -> None:
    """What someone without the key can do: change an entry and chain it and everything after
    it again with plain SHA-256 (as entries written before the key was introduced)."""
    from casework.audit.services import chain_hash

    drop_triggers(app)
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.__table__).where(AuditEntry.seq >= start).order_by("seq")
        ).mappings()
        rows = [dict(row) for row in rows]
        last = rows[0]["prev_hash"]
        for row in rows:
            row.update(prev_hash=last, key_id=None)
            if row["seq"] == start:
                row["username"] = username
            row["hash"] = last = chain_hash(last, row)
            db.session.execute(
                sa.update(AuditEntry)
                .where(AuditEntry.seq == row["seq"])
                .values(
                    username=row["username"],
                    prev_hash=row["prev_hash"],
                    hash=row["hash"],
                    key_id=None,
                )
            )
        db.session.execute(sa.update(AuditHead).values(seq=rows[-1]["seq"], hash=last))
        db.session.commit()


def write_entries(app, count: int) -> None:
    from casework.audit import services

    with app.app_context():
        for number in range(count):
            services.record("backup", details={"file": f"backup-{number}"})
        db.session.commit()


def test_a_chain_rewritten_with_plain_sha256_is_caught_by_the_key(app, runner, seeded, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_KEY", "k" * 64)
    write_entries(app, 3)
    seq, digest = head_row(app)
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
    target = seq - 1
    recompute_plainly(app, target)
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert f"entry {target} is not keyed" in result.output
    # Rewritten from the very first entry: only a head kept elsewhere tells.
    recompute_plainly(app, 1)
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
    result = runner.invoke(cli, ["audit", "verify", "--expect", f"{seq}:{digest}"])
    assert result.exit_code == 1
    assert f"entry {seq} has hash" in result.output and "not the expected" in result.output


def test_keyed_entries_follow_plain_ones_and_an_old_key_still_verifies(
    app, runner, seeded, monkeypatch
):
    """A trail written before the key (plain SHA-256), then with key A, then with key B after
    a rotation: all of it verifies while A is kept among the old keys."""
    recompute_plainly(app, 1, username="cli:seed")  # the trail as an older Casework wrote it
    monkeypatch.setitem(app.config, "AUDIT_KEY", "a" * 64)
    write_entries(app, 2)
    monkeypatch.setitem(app.config, "AUDIT_KEY", "b" * 64)
    monkeypatch.setitem(app.config, "AUDIT_OLD_KEYS", ("a" * 64,))
    write_entries(app, 2)
    with app.app_context():
        key_ids = db.session.scalars(sa.select(AuditEntry.key_id).order_by(AuditEntry.seq)).all()
        db.session.rollback()
    first_a, first_b = key_ids[-4], key_ids[-2]
    assert key_ids[:-4] == [None] * (len(key_ids) - 4)
    assert key_ids[-4:] == [first_a, first_a, first_b, first_b] and first_a != first_b
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{len(key_ids) - 4} plain SHA-256" in result.output
    assert f"2 with key {first_a}" in result.output and f"2 with key {first_b}" in result.output
    monkeypatch.setitem(app.config, "AUDIT_OLD_KEYS", ())
    forgotten = runner.invoke(cli, ["audit", "verify"])
    assert forgotten.exit_code == 1
    assert f"entry {len(key_ids) - 3} was signed with key {first_a}" in forgotten.output
    assert "CASEWORK_AUDIT_OLD_KEYS" in forgotten.output


def test_expect_refuses_a_malformed_anchor(runner, app):
    for value in ("12", "x:" + "0" * 64, "3:abc", "-1:" + "0" * 64):
        result = runner.invoke(cli, ["audit", "verify", "--expect", value])
        assert result.exit_code == 2, (value, result.output)
        assert "SEQ:HASH" in result.output
