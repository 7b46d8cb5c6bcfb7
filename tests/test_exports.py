"""Data exports: every kind in CSV and XLSX, in both languages, scoped to the user's area,
with formula injection neutralised, and the `casework export` command."""

from __future__ import annotations

import codecs
import csv
import inspect
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from casework.auth.models import User
from casework.cases.models import Case
from casework.extensions import db
from casework.policing import services as policing
from casework.reports import export_cli, exports
from casework.reports.export_cli import export
from casework.reports.exports import (
    EXPORTS,
    ExportError,
    export_columns,
    export_rows,
    stream_csv_response,
    write_csv,
    write_xlsx,
    xlsx_response,
)
from casework.reports.exports import files as export_files
from tests.conftest import unit_id
from tests.test_cases import GAO_COMMUNE, KIDAL, NTILLIT, Walker

EVIL_TITLE = '=HYPERLINK("http://evil")'
EVIL_NAME = "+cmd|' /C calc'!A0"
EVIL_PLACE = "@SUM(1+1)*cmd|' /C calc'!A0"
KINDS = list(EXPORTS)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")

# Headers and labels as the French catalogue and the vocabularies give them.
TEXT = {
    "fr": {
        "conflict_type": ("Type de conflit (code)", "Type de conflit"),
        "crop_damage": "dégâts champêtres",
        "status": ("Statut (code)", "Statut"),
        "reference": "Référence",
        "registered": "enregistré",
        "complainant": "demandeur",
        "man": "homme",
        "name": "Nom",
        "palaver_tree": "arbre à palabre",
        "session_result": "accord",
        "written": "procès-verbal écrit",
        "full_agreement": "accord total",
        "respected": "respecté",
        "target": ("Renvoyé à (code)", "Renvoyé à"),
        "foot_patrol": "patrouille pédestre",
        "category": ("Catégorie de menace (code)", "Catégorie de menace"),
        "tension": "tension intercommunautaire",
        "urgency": "2 – agir rapidement",
        "relay": "Code du relais (pseudonyme)",
        "sheet": {"cases": "Dossiers", "alerts": "Alertes"},
    },
    "en": {
        "conflict_type": ("Conflict type (code)", "Conflict type"),
        "crop_damage": "crop damage by livestock",
        "status": ("Status (code)", "Status"),
        "reference": "Reference",
        "registered": "registered",
        "complainant": "complainant",
        "man": "man",
        "name": "Name",
        "palaver_tree": "palaver tree",
        "session_result": "agreement",
        "written": "written record",
        "full_agreement": "full agreement",
        "respected": "respected",
        "target": ("Referred to (code)", "Referred to"),
        "foot_patrol": "foot patrol",
        "category": ("Threat category (code)", "Threat category"),
        "tension": "inter-community tension",
        "urgency": "2 – act soon",
        "relay": "Relay code (pseudonym)",
        "sheet": {"cases": "Cases", "alerts": "Alerts"},
    },
}


@dataclass(frozen=True)
class World:
    admin: int
    mediator: int
    police: int
    coordinator: int
    analyst: int
    references: dict[str, str]  # gao (evil title), referred, kidal


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


@pytest.fixture
def world(app, client, seeded, make_user, login) -> World:
    """Three cases (two in Gao, one in Kidal) through the web, and policing records in Gao
    and Kidal through the services."""
    admin = make_user("admin", username="boss")
    login(admin)
    walk = Walker(app, client, "en")
    gao = walk.register(title=EVIL_TITLE, parties=(EVIL_NAME, "Hama Ag Ahmed"))
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    walk.follow_up("respected")
    referred = walk.register(unit=NTILLIT, title="Braquage", conflict_type="BANDITISME")
    walk.move("ENREGISTRE")
    walk.refer("GENDARMERIE")
    kidal = walk.register(unit=KIDAL, title="Litige à Kidal", parties=("Intalla Ag Attaher",))
    with app.app_context():
        references = dict(db.session.execute(sa.select(Case.id, Case.reference)).all())
        boss = _user(admin.id)
        now = datetime.now(UTC).replace(microsecond=0)
        for commune, relay in ((GAO_COMMUNE, "GAO-R-017"), (KIDAL, "KDL-R-001")):
            police_unit = policing.save_police_unit(
                policing.PoliceUnitData(f"Brigade {commune}", "gendarmerie", unit_id(app, commune)),
                boss,
            )
            policing.save_activity(
                policing.ActivityData(
                    activity_type="PATROUILLE_PEDESTRE",
                    held_on=now.date(),
                    police_unit_id=police_unit.id,
                    unit_id=unit_id(app, commune),
                    topic=f"Patrouille du marché, {commune}",
                    duration_minutes=90,
                    place=EVIL_PLACE,
                    participants=30,
                    women=12,
                    men=18,
                    youth=10,
                ),
                boss,
            )
            policing.save_alert(
                policing.AlertData(
                    occurred_at=now - timedelta(hours=3),
                    unit_id=unit_id(app, commune),
                    category="TENSION_INTERCOMMUNAUTAIRE",
                    urgency=2,
                    source_type="RELAIS_COMMUNAUTAIRE",
                    description="-Des jeunes se rassemblent près du puits.",
                    relay_code=relay,
                    response="Patrouille envoyée.",
                    responded_at=now - timedelta(hours=1),
                ),
                boss,
            )
        db.session.commit()
    return World(
        admin=admin.id,
        mediator=make_user("mediator", username="mariam", area="GAO").id,
        police=make_user("police", username="focal", area="GAO").id,
        coordinator=make_user("coordinator", username="coord", area="GAO").id,
        analyst=make_user("analyst", username="ana").id,
        references={
            "gao": references[gao],
            "referred": references[referred],
            "kidal": references[kidal],
        },
    )


def read_csv(app, kind: str, user_id: int, lang: str) -> list[list[str]]:
    with app.app_context():
        buffer = io.BytesIO()
        write_csv(kind, _user(user_id), lang, buffer)
    raw = buffer.getvalue()
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n")
    # As the language's Excel reads it: semicolons in French, commas in English.
    separator = ";" if lang == "fr" else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def read_xlsx(app, kind: str, user_id: int, lang: str):
    with app.app_context():
        buffer = io.BytesIO()
        write_xlsx(kind, _user(user_id), lang, buffer)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def as_dicts(rows: list[list]) -> list[dict]:
    header, *body = rows
    assert len(set(header)) == len(header), header
    return [dict(zip(header, row, strict=True)) for row in body]


def xlsx_dicts(sheet) -> list[dict]:
    """Each row as header → cell (to look at types as well as values)."""
    header, *body = list(sheet.iter_rows())
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=True)) for row in body]


# --- every kind, both formats, both languages -------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_as_csv(app, world, lang):
    t = TEXT[lang]
    cases = as_dicts(read_csv(app, "cases", world.admin, lang))
    assert [row[t["reference"]] for row in cases] == list(world.references.values())
    gao = cases[0]
    code, label = t["conflict_type"]
    assert (gao[code], gao[label]) == ("DEGATS_CHAMPETRES", t["crop_damage"])
    # The title is neutralised for a spreadsheet, and nothing else is changed.
    title = "Titre" if lang == "fr" else "Title"
    assert gao[title] == "'" + EVIL_TITLE
    status_code, status = t["status"]
    assert cases[1][status_code] == "RENVOYE"
    assert cases[2][status_code] == "SIGNALE"
    assert ISO_DAY.match(gao["Date des faits" if lang == "fr" else "Date of the events"])
    recorded = next(key for key in gao if key.endswith("(UTC)"))
    assert ISO_UTC.match(gao[recorded])
    assert gao["Têtes de bétail" if lang == "fr" else "Livestock heads"] == "12"
    region, area = ("Région", "Zone") if lang == "fr" else ("Region", "Area")
    assert [(row[region], row[f"{area} (code)"]) for row in cases] == [
        ("Gao", GAO_COMMUNE),
        ("Gao", NTILLIT),
        ("Kidal", KIDAL),
    ]

    parties = as_dicts(read_csv(app, "parties", world.admin, lang))
    assert len(parties) == 5
    first = parties[0]
    assert first[t["name"]] == "'" + EVIL_NAME
    role = "Rôle" if lang == "fr" else "Role"
    assert (first[f"{role} (code)"], first[role]) == ("complainant", t["complainant"])
    sex = "Sexe" if lang == "fr" else "Sex"
    assert (first[f"{sex} (code)"], first[sex]) == ("M", t["man"])

    sessions = as_dicts(read_csv(app, "sessions", world.admin, lang))
    assert len(sessions) == 1
    place = "Lieu de séance" if lang == "fr" else "Session place"
    assert (sessions[0][f"{place} (code)"], sessions[0][place]) == (
        "ARBRE_PALABRE",
        t["palaver_tree"],
    )
    result = "Résultat" if lang == "fr" else "Result"
    assert sessions[0][result] == t["session_result"]

    agreements = as_dicts(read_csv(app, "agreements", world.admin, lang))
    assert len(agreements) == 1
    form = "Forme" if lang == "fr" else "Form"
    assert (agreements[0][f"{form} (code)"], agreements[0][form]) == ("written", t["written"])
    outcome = "Issue" if lang == "fr" else "Outcome"
    assert agreements[0][outcome] == t["full_agreement"]
    assert agreements[0]["Dédommagement, FCFA" if lang == "fr" else "Compensation, FCFA"] == "50000"

    follow_ups = as_dicts(read_csv(app, "follow_ups", world.admin, lang))
    assert len(follow_ups) == 2
    compliance = "Respect de l'accord" if lang == "fr" else "Compliance"
    assert [row[compliance] for row in follow_ups] == [t["respected"], ""]

    referrals = as_dicts(read_csv(app, "referrals", world.admin, lang))
    assert len(referrals) == 1
    code, label = t["target"]
    assert (referrals[0][code], referrals[0][label]) == ("GENDARMERIE", "gendarmerie")
    assert referrals[0]["Dossier" if lang == "fr" else "Case"] == world.references["referred"]

    activities = as_dicts(read_csv(app, "activities", world.admin, lang))
    assert len(activities) == 2
    kind = "Type d'activité" if lang == "fr" else "Type of activity"
    assert activities[0][kind] == t["foot_patrol"]
    assert activities[0]["Lieu, en quelques mots" if lang == "fr" else "Place, in words"] == (
        "'" + EVIL_PLACE
    )

    alerts = as_dicts(read_csv(app, "alerts", world.admin, lang))
    assert len(alerts) == 2
    code, label = t["category"]
    assert (alerts[0][code], alerts[0][label]) == ("TENSION_INTERCOMMUNAUTAIRE", t["tension"])
    urgency = "Urgence" if lang == "fr" else "Urgency"
    assert (alerts[0][f"{urgency} (code)"], alerts[0][urgency]) == ("2", t["urgency"])
    assert alerts[0][t["relay"]] == "GAO-R-017"
    assert [key for key in alerts[0] if key.endswith("(UTC)")] and all(
        ISO_UTC.match(alerts[0][key])
        for key in alerts[0]
        if key.endswith("(UTC)") and alerts[0][key]
    )
    minutes = next(key for key in alerts[0] if "minutes" in key)
    assert alerts[0][minutes] == "120"
    description = next(key for key, value in alerts[0].items() if "puits" in value)
    assert alerts[0][description] == "'-Des jeunes se rassemblent près du puits."


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_as_xlsx(app, world, lang):
    t = TEXT[lang]
    for kind in KINDS:
        sheet = read_xlsx(app, kind, world.admin, lang)
        with app.test_request_context():
            headers = [c.header for c in export_columns(kind, _user(world.admin), lang)]
        assert [cell.value for cell in next(sheet.iter_rows())] == headers
        assert sheet.freeze_panes == "A2"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (kind, cell.coordinate, cell.value)

    sheet = read_xlsx(app, "cases", world.admin, lang)
    assert sheet.title == t["sheet"]["cases"]
    cases = xlsx_dicts(sheet)
    gao = cases[0]
    assert gao[t["reference"]].value == world.references["gao"]
    code, label = t["conflict_type"]
    assert (gao[code].value, gao[label].value) == ("DEGATS_CHAMPETRES", t["crop_damage"])
    title = gao["Titre" if lang == "fr" else "Title"]
    # A string cell, never a formula; the text is kept as typed.
    assert (title.data_type, title.value) == ("s", EVIL_TITLE)
    assert title.quotePrefix
    heads = gao["Têtes de bétail" if lang == "fr" else "Livestock heads"]
    assert (heads.data_type, heads.value) == ("n", 12)
    event_date = gao["Date des faits" if lang == "fr" else "Date of the events"]
    assert event_date.is_date and event_date.number_format == "yyyy-mm-dd"
    recorded = next(cell for key, cell in gao.items() if key.endswith("(UTC)"))
    assert recorded.is_date and recorded.value.tzinfo is None
    assert abs(recorded.value - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=10)
    status_code, status = t["status"]
    assert [(row[status_code].value, row[status].value) for row in cases][2] == (
        "SIGNALE",
        "signalé" if lang == "fr" else "reported",
    )

    parties = xlsx_dicts(read_xlsx(app, "parties", world.admin, lang))
    name = parties[0][t["name"]]
    assert (name.data_type, name.value) == ("s", EVIL_NAME)

    sheet = read_xlsx(app, "alerts", world.admin, lang)
    assert sheet.title == t["sheet"]["alerts"]
    alerts = xlsx_dicts(sheet)
    code, label = t["category"]
    assert (alerts[0][code].value, alerts[0][label].value) == (
        "TENSION_INTERCOMMUNAUTAIRE",
        t["tension"],
    )
    urgency = "Urgence" if lang == "fr" else "Urgency"
    assert (alerts[0][f"{urgency} (code)"].value, alerts[0][urgency].value) == (2, t["urgency"])
    verified = alerts[0]["Vérifiée" if lang == "fr" else "Verified"]
    assert (verified.data_type, verified.value) == ("n", 0)

    sessions = xlsx_dicts(read_xlsx(app, "sessions", world.admin, lang))
    women = sessions[0]["Femmes" if lang == "fr" else "Women"]
    assert (women.data_type, women.value) == ("n", 3)


def test_a_coded_column_gives_its_code_then_its_label(app, world):
    with app.app_context():
        columns = export_columns("cases", _user(world.admin), "en")
    keys = [column.key for column in columns]
    for key in ("conflict_type", "channel", "scope", "status", "outcome", "ladder_level"):
        assert keys.index(f"{key}_label") == keys.index(key) + 1
    headers = {column.key: column.header for column in columns}
    assert headers["conflict_type"] == "Conflict type (code)"
    assert headers["conflict_type_label"] == "Conflict type"
    assert headers["created_at"] == "Recorded at (UTC)"
    assert "narrative" not in keys


# --- who sees what ----------------------------------------------------------------------------


def test_a_mediator_exports_only_the_cases_of_their_area(app, world):
    references = [row[0] for row in read_csv(app, "cases", world.mediator, "en")[1:]]
    assert references == [world.references["gao"], world.references["referred"]]
    parties = as_dicts(read_csv(app, "parties", world.mediator, "en"))
    assert {row["Case"] for row in parties} == {
        world.references["gao"],
        world.references["referred"],
    }
    # Names and communities: for the roles that handle mediation cases.
    assert "Name" in parties[0] and "Community or fraction" in parties[0]
    sheet = read_xlsx(app, "cases", world.mediator, "fr")
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == references


def test_a_police_user_exports_alerts_of_their_area_but_no_cases(app, world):
    with app.app_context():
        police = _user(world.police)
        for kind in ("cases", "parties", "sessions", "agreements", "referrals", "follow_ups"):
            with pytest.raises(ExportError):
                export_rows(kind, police, "fr")
    alerts = as_dicts(read_csv(app, "alerts", world.police, "en"))
    assert [row["Relay code (pseudonym)"] for row in alerts] == ["GAO-R-017"]
    assert not any("name" in header.lower() for header in alerts[0])
    activities = as_dicts(read_csv(app, "activities", world.coordinator, "en"))
    assert len(activities) == 1 and GAO_COMMUNE in activities[0]["Topic"]


def test_an_analyst_exports_nothing_and_the_errors_are_translated(app, world):
    with app.app_context():
        analyst, admin = _user(world.analyst), _user(world.admin)
        for kind in KINDS:
            with pytest.raises(ExportError):
                export_rows(kind, analyst, "en")
        with pytest.raises(ExportError) as unknown:
            export_rows("passwords", admin, "en")
        with pytest.raises(ExportError) as language:
            export_rows("cases", admin, "de")
        with force_locale("fr"):
            assert "Langue non prise en charge" in str(language.value)
            assert "passwords" in str(unknown.value)
        with force_locale("en"):
            assert str(language.value) == "Unsupported language: de."


def test_rows_are_a_generator_checked_up_front(app, world):
    with app.app_context():
        admin = _user(world.admin)
        rows = export_rows("cases", admin, "en")
        assert inspect.isgenerator(rows)
        header = next(rows)
        assert header[0] == "Reference"
        assert len(list(rows)) == 3
        with pytest.raises(ExportError):  # raised by the call, not at the first row
            export_rows("cases", _user(world.police), "en")


def test_the_xlsx_writer_is_write_only(app, world, monkeypatch):
    modes = []
    real = export_files.Workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("write_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(export_files, "Workbook", spy)
    read_xlsx(app, "cases", world.admin, "en")
    assert modes == [True]


# --- web responses ----------------------------------------------------------------------------


def test_csv_and_xlsx_responses(app, world):
    with app.test_request_context():
        admin = _user(world.admin)
        response = stream_csv_response("follow_ups", admin, "fr")
        assert response.is_streamed
        assert re.fullmatch(
            r'attachment; filename="follow-ups-\d{4}-\d{2}-\d{2}-fr\.csv"',
            response.headers["Content-Disposition"],
        )
        assert response.mimetype == "text/csv"
        body = response.get_data()
        assert body.startswith(codecs.BOM_UTF8) and "Échéance".encode() in body

        response = xlsx_response("alerts", admin, "en")
        assert re.search(
            r"alerts-\d{4}-\d{2}-\d{2}-en\.xlsx", response.headers["Content-Disposition"]
        )
        data = b"".join(response.response)
        response.close()
        assert len(data) == response.content_length
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert sheet.max_row == 3

        with pytest.raises(ExportError):
            stream_csv_response("cases", _user(world.police), "fr")
        with pytest.raises(ExportError):
            xlsx_response("cases", _user(world.police), "fr")


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "lang"), [("csv", "fr"), ("xlsx", "en")])
def test_the_command_writes_every_kind(app, runner, world, tmp_path, fmt, lang):
    for kind in KINDS:
        target = tmp_path / f"{kind}.{fmt}"
        result = runner.invoke(export, [kind, "--lang", lang, "--format", fmt, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.exists()
    if fmt == "csv":
        text = (tmp_path / "cases.csv").read_text("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # French: semicolons
        assert rows[0][0] == "Référence" and len(rows) == 4
    else:
        sheet = load_workbook(tmp_path / "cases.xlsx").worksheets[0]
        assert sheet.cell(1, 1).value == "Reference" and sheet.max_row == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.{fmt}" for k in KINDS)


def test_the_command_with_a_user_exports_their_scope(app, runner, world, tmp_path):
    target = tmp_path / "mine.csv"
    result = runner.invoke(export, ["cases", "--user", "mariam", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text("utf-8-sig")
    assert world.references["gao"] in text and world.references["kidal"] not in text
    # The format follows the file's extension when not given.
    result = runner.invoke(export, ["alerts", "--user", "focal", "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "a.xlsx").worksheets[0].max_row == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["passwords"], "No such command"),
        (["cases", "--lang", "de"], "Unsupported language: de."),
        (["cases", "--format", "pdf"], "Invalid value for '--format'"),
        (["cases", "--user", "nobody"], "No user named 'nobody'"),
        (["cases", "--user", "focal"], "You are not allowed to make this export."),
        (["alerts", "--user", "ana"], "You are not allowed to make this export."),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(app, runner, world, tmp_path, args, message):
    target = tmp_path / "out.csv"
    result = runner.invoke(export, [*args, "-o", str(target)])
    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failure_midway_leaves_no_file(app, runner, world, tmp_path, monkeypatch):
    target = tmp_path / "cases.xlsx"
    target_before = tmp_path / "kept.csv"
    target_before.write_text("old")

    def broken(kind, user, lang, handle):
        handle.write(b"PK partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_cli, "write_xlsx", broken)
    result = runner.invoke(export, ["cases", "-o", str(target)])
    assert result.exit_code != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]
    # Nor is an existing file touched by a failed export.
    monkeypatch.setattr(export_cli, "write_csv", broken)
    result = runner.invoke(export, ["cases", "-o", str(target_before)])
    assert result.exit_code != 0
    assert target_before.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]


def test_the_exports_menu_lists_what_a_role_may_export(app, world):
    with app.app_context():
        assert exports.allowed_exports(_user(world.mediator)) == KINDS[:6]
        assert exports.allowed_exports(_user(world.police)) == ["activities", "alerts"]
        assert exports.allowed_exports(_user(world.admin)) == KINDS
        assert exports.allowed_exports(_user(world.analyst)) == []


def test_rows_are_read_in_batches_with_a_server_side_cursor_on_postgresql(app, world, backend):
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "FROM cases" in statement and "area.code" in statement:
            server_side = type(cursor).__name__ == "ServerCursor"  # psycopg's named cursor
            seen.append((context.execution_options.get("yield_per"), server_side))

    with app.app_context():
        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            assert len(list(export_rows("cases", _user(world.admin), "en"))) == 4
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
    assert seen == [(exports.YIELD_PER, backend == "postgresql")]
