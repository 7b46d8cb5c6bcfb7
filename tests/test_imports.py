"""Imports from KoboToolbox and ODK Central, and of case registers (issue 16).

The fixture ``tests/data/kobo_intake_fr.json`` is KoboToolbox's JSON export
(``/api/v2/assets/<uid>/data.json``) of 50 submissions of the intake form, exported with
French labels; the 18th gives the number of deaths in words."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import Workbook, load_workbook

from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases import services
from casework.cases.models import Case, FollowUp, Party
from casework.cli import cli
from casework.core.checks import today
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.integrations.models import ImportedSubmission
from casework.policing.models import Alert
from casework.vocab import services as vocab
from tests.conftest import csrf_token

pytestmark = pytest.mark.usefixtures("seeded")

KOBO_FIXTURE = Path(__file__).parent / "data" / "kobo_intake_fr.json"
MALFORMED = json.loads(KOBO_FIXTURE.read_text(encoding="utf-8"))["results"][17]
# The exports hold real dates of 2026, the last on 20 November: the tests run on a day after
# them whatever the clock says (CASEWORK_TEST_NOW, tests/conftest.py), since a date in the
# future is refused.
AFTER_THE_EXPORTS = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _after_the_exports():
    with time_machine.travel(AFTER_THE_EXPORTS, tick=True):
        yield


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def invoke(runner, *args):
    return runner.invoke(cli, list(args))


# --- KoboToolbox and ODK ----------------------------------------------------------------------


def test_one_malformed_submission_stops_the_whole_import(app, runner, admin):
    cases_before = count(app, Case)
    result = invoke(runner, "import", "odk", str(KOBO_FIXTURE), "--as", "admin")
    assert result.exit_code != 0
    assert f"Row 18 ({MALFORMED['meta/instanceID']})" in result.output
    assert "deux" in result.output
    assert count(app, Case) == cases_before
    assert count(app, ImportedSubmission) == 0


def test_skip_invalid_imports_49_and_a_second_import_adds_nothing(app, runner, admin, tmp_path):
    cases_before = count(app, Case)
    rejects = tmp_path / "rejets.json"
    result = invoke(
        runner,
        "import",
        "odk",
        str(KOBO_FIXTURE),
        "--skip-invalid",
        "--rejects",
        str(rejects),
        "--as",
        "admin",
    )
    assert result.exit_code == 0, result.output
    assert "Created 49, already imported 0, rejected 1 row(s)." in result.output
    assert count(app, Case) == cases_before + 49
    assert count(app, ImportedSubmission) == 49
    rejected = json.loads(rejects.read_text(encoding="utf-8"))
    assert [row["row"] for row in rejected] == [18]
    assert rejected[0]["submission"]["meta/instanceID"] == MALFORMED["meta/instanceID"]
    assert "deux" in rejected[0]["error"]
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import")).one()
        assert entry.object_type == "imported_submissions"
        assert (entry.details["created"], entry.details["rejected"]) == (49, 1)

    again = invoke(runner, "import", "odk", str(KOBO_FIXTURE), "--skip-invalid", "--as", "admin")
    assert again.exit_code == 0, again.output
    assert "Created 0, already imported 49, rejected 1 row(s)." in again.output
    assert count(app, Case) == cases_before + 49

    with app.app_context():
        first = json.loads(KOBO_FIXTURE.read_text(encoding="utf-8"))["results"][0]
        instance = db.session.scalar(
            sa.select(ImportedSubmission).where(
                ImportedSubmission.instance_id == first["meta/instanceID"]
            )
        )
        case = db.session.get(Case, instance.record_id)
        # French labels became codes; the repeat group became the parties.
        assert case.conflict_type == "FONCIER"
        assert case.channel == "PLAINTE_DIRECTE"
        assert case.unit.code == "GAO-GAO-NTILLIT"
        assert case.narrative_lang == "fr"
        roles = sorted(party.role for party in case.parties)
        assert roles == ["complainant", "respondent", "third"]
        assert {party.sex for party in case.parties} <= {"F", "M"}


def test_dry_run_reports_and_imports_nothing(app, runner, admin):
    cases_before = count(app, Case)
    result = invoke(
        runner, "import", "odk", str(KOBO_FIXTURE), "--dry-run", "--skip-invalid", "--as", "admin"
    )
    assert result.exit_code == 0, result.output
    assert "Would create 49, already imported 0, rejected 1 row(s)." in result.output
    assert "Nothing was imported (--dry-run)." in result.output
    assert count(app, Case) == cases_before
    assert count(app, ImportedSubmission) == 0


def test_a_coordinator_imports_only_into_their_area(app, runner, make_user):
    make_user("coordinator", username="coord_gao", area="GAO")
    result = invoke(
        runner, "import", "odk", str(KOBO_FIXTURE), "--skip-invalid", "--as", "coord_gao"
    )
    assert result.exit_code == 0, result.output
    # Rows 3, 8, ... are in Tombouctou and 4, 9, ... in Ménaka: outside Gao.
    assert "Row 3 (" in result.output and "outside your area" in result.output
    data = json.loads(KOBO_FIXTURE.read_text(encoding="utf-8"))["results"]
    in_gao = [i for i, record in enumerate(data) if record["case/region"] == "Gao" and i != 17]
    assert f"Created {len(in_gao)}," in result.output
    with app.app_context():
        regions = {
            case.unit.region.code
            for case in db.session.scalars(sa.select(Case).where(Case.created_by.has()))
            if case.created_by.username == "coord_gao"
        }
    assert regions == {"GAO"}


ODATA = {
    "@odata.context": "https://central.example.org/v1/projects/1/forms/casework_alert.svc/$metadata#Submissions",
    "value": [
        {
            "__id": "uuid:1b9e0c8e-6f3b-4f7e-9a51-0d5c0e5b7a01",
            "__system": {
                "submissionDate": "2026-11-20T14:41:07.312Z",
                "submitterId": "15",
                "submitterName": "relais-gao",
                "reviewState": None,
            },
            "meta": {"instanceID": "uuid:1b9e0c8e-6f3b-4f7e-9a51-0d5c0e5b7a01"},
            "alert": {
                "occurred_at": "2026-11-20T14:30:00.000+00:00",
                "region": "GAO",
                "cercle": "GAO-GAO",
                "commune": "GAO-GAO-NTILLIT",
                "place": "Puits de Tin-Hama",
                "category": "CONFLIT_EAU",
                "urgency": "3",
                "source_type": "RELAIS",
                "relay_code": "GAO-R-017",
                "description": "Des éleveurs et des agriculteurs se menacent au puits.",
            },
        }
    ],
}


def test_odk_central_odata_alert_is_imported_once(app, runner, admin, tmp_path):
    with app.app_context():
        ODATA["value"][0]["alert"]["category"] = vocab.choices("alert_category", "fr")[0][0]
        ODATA["value"][0]["alert"]["source_type"] = vocab.choices("alert_source", "en")[0][1]
    path = tmp_path / "submissions.json"
    path.write_text(json.dumps(ODATA), encoding="utf-8")
    before = count(app, Alert)
    result = invoke(runner, "import", "odk", str(path), "--as", "admin")
    assert result.exit_code == 0, result.output
    assert count(app, Alert) == before + 1
    again = invoke(runner, "import", "odk", str(path), "--as", "admin")
    assert "Created 0, already imported 1" in again.output
    with app.app_context():
        alert = db.session.scalars(sa.select(Alert).order_by(Alert.id.desc())).first()
        assert alert.relay_code == "GAO-R-017"
        assert alert.urgency == 3
        assert alert.area.code == "GAO-GAO-NTILLIT"


def test_odk_central_csv_with_the_parties_file(app, runner, admin, tmp_path):
    main = tmp_path / "casework_intake.csv"
    main.write_text(
        "SubmissionDate,case-region,case-cercle,case-commune,case-event_date,"
        "case-reported_on,case-channel,case-conflict_type,case-scope,case-title,"
        "case-deaths,meta-instanceID,KEY\n"
        "2026-11-02T10:00:00.000Z,GAO,GAO-GAO,GAO-GAO-NTILLIT,2026-10-30,2026-11-01,"
        "CHEF_VILLAGE,PATURAGE,INTERCOMMUNAUTAIRE,Bourgoutière de Tin-Hama,0,"
        "uuid:aa11,uuid:aa11\n",
        encoding="utf-8",
    )
    parties = tmp_path / "casework_intake-parties.csv"
    parties.write_text(
        "parties-party_role,parties-party_kind,parties-party_name,parties-party_sex,"
        "parties-party_age_band,PARENT_KEY,KEY\n"
        "complainant,village,Village de Tin-Hama,U,unknown,uuid:aa11,uuid:aa11/parties[1]\n"
        "respondent,fraction,Fraction Kel Essouk,U,unknown,uuid:aa11,uuid:aa11/parties[2]\n",
        encoding="utf-8",
    )
    result = invoke(runner, "import", "odk", str(main), str(parties), "--as", "admin")
    assert result.exit_code == 0, result.output
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.title == "Bourgoutière de Tin-Hama"))
        assert sorted(party.name for party in case.parties) == [
            "Fraction Kel Essouk",
            "Village de Tin-Hama",
        ]


def test_kobo_csv_export_with_its_repeat_sheet_and_a_csv_of_rejects(app, runner, admin, tmp_path):
    header = (
        "start;end;case/region;case/cercle;case/commune;case/event_date;case/reported_on;"
        "case/channel;case/conflict_type;case/scope;case/title;meta/instanceID;_id;_uuid;"
        "_submission_time\n"
    )
    main = tmp_path / "casework_intake.csv"
    main.write_text(
        header + "2026-11-02T09:00:00;2026-11-02T09:20:00;Gao;Gao;N'Tillit;2026-10-30;2026-11-01;"
        "plainte directe;pâturage, bourgoutière;intercommunautaire;Mare de Tin-Hama;"
        "uuid:k-1;41;k-1;2026-11-02T09:21:00\n"
        + "2026-11-02T09:00:00;2026-11-02T09:20:00;Gao;Gao;N'Tillit;2026-10-30;2026-11-01;"
        "plainte directe;pâturage, bourgoutière;intercommunautaire;Mare de Tin-Hama (bis);"
        "uuid:k-2;42;k-2;2026-11-02T09:22:00\n",
        encoding="utf-8",
    )
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "party_role;party_kind;party_name;party_sex;party_age_band;_index;_parent_index;"
        "_submission__uuid\n"
        "demandeur;village;Village de Tin-Hama;non précisé;non précisé;1;41;k-1\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejets.csv"
    result = invoke(
        runner,
        "import",
        "odk",
        str(main),
        str(parties),
        "--skip-invalid",
        "--rejects",
        str(rejects),
        "--as",
        "admin",
    )
    assert result.exit_code == 0, result.output
    assert "Created 1, already imported 0, rejected 1 row(s)." in result.output
    rejected = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert [(row["row"], row["instanceID"]) for row in rejected] == [("2", "uuid:k-2")]
    assert rejected[0]["error"] == "Record at least one party."


def test_a_file_that_is_no_export_is_refused_clearly(app, runner, admin, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    result = invoke(runner, "import", "odk", str(path), "--as", "admin")
    assert result.exit_code != 0
    assert "no list of submissions" in result.output


# --- case registers ---------------------------------------------------------------------------

EN_HEADERS = [
    "Register reference",
    "Region",
    "Commune",
    "Date of the events",
    "Date of the report",
    "Reporting channel",
    "Conflict type",
    "Conflict scope",
    "Title",
    "Deaths",
    "Party 1: Role",
    "Party 1: Name",
    "Party 1: Sex",
]


def register(rows, headers=EN_HEADERS) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    "REG-001",
    "Gao",
    "N'Tillit",
    "2026-03-01",
    "02/03/2026",
    "direct complaint",
    "land dispute",
    "intracommunautaire",
    "Champ de Tin-Hama",
    0,
    "complainant",
    "Amadou Maïga",
    "man",
]


def test_register_rows_with_errors_are_named_exactly_and_nothing_is_imported(
    app, runner, admin, tmp_path
):
    bad_type = [*GOOD[:6], "fishing rights?", *GOOD[7:]]
    bad_type[0] = "REG-002"
    no_title = [*GOOD[:8], "", *GOOD[9:]]
    no_title[0] = "REG-003"
    bad_date = ["REG-004", "Gao", "N'Tillit", "31/02/2026", *GOOD[4:]]
    path = tmp_path / "registre.xlsx"
    path.write_bytes(register([GOOD, bad_type, no_title, bad_date]))
    before = count(app, Case)
    result = invoke(runner, "import", "cases", str(path), "--as", "admin")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith("Row")]
    assert lines == [
        "Row 3 (REG-002): Conflict type: “fishing rights?” is not one of the accepted values.",
        "Row 4 (REG-003): The title is required.",
        "Row 5 (REG-004): Date of the events: “31/02/2026” is not a date (write YYYY-MM-DD or "
        "DD/MM/YYYY).",
    ]
    assert count(app, Case) == before


def test_a_register_imports_once_by_its_references(app, runner, admin, tmp_path):
    second = ["REG-010", "GAO", "GAO-GAO-NTILLIT", *GOOD[3:5], "PLAINTE_DIRECTE", "FONCIER"]
    second += [*GOOD[7:]]
    path = tmp_path / "registre.xlsx"
    path.write_bytes(register([GOOD, second]))
    before = count(app, Case)
    result = invoke(runner, "import", "cases", str(path), "--as", "admin")
    assert result.exit_code == 0, result.output
    assert count(app, Case) == before + 2
    again = invoke(runner, "import", "cases", str(path), "--as", "admin")
    assert "Created 0, already imported 2, rejected 0 row(s)." in again.output
    assert count(app, Case) == before + 2
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.external_ref == "REG-001"))
        assert (case.channel, case.conflict_type, case.scope) == (
            "PLAINTE_DIRECTE",
            "FONCIER",
            "INTRACOMMUNAUTAIRE",
        )
        party = db.session.scalar(sa.select(Party).where(Party.case_id == case.id))
        assert (party.role, party.sex, party.name) == ("complainant", "M", "Amadou Maïga")


def test_a_french_csv_register_with_french_labels(app, runner, admin, tmp_path):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "Référence au registre",
            "Région",
            "Commune",
            "Date des faits",
            "Date du signalement",
            "Canal de signalement",
            "Type de conflit",
            "Portée du conflit",
            "Titre",
            "Partie 1 : Rôle",
            "Partie 1 : Nom",
        ]
    )
    writer.writerow(
        [
            "RG-FR-1",
            "Tombouctou",
            "Diré",
            "15/01/2026",
            "16/01/2026",
            "plainte directe",
            "vol de bétail",
            "intercommunautaire",
            "Vol de bœufs à Diré",
            "demandeur",
            "Hawa Diallo",
        ]
    )
    path = tmp_path / "registre.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = invoke(runner, "import", "cases", str(path), "--as", "admin")
    assert result.exit_code == 0, result.output
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.external_ref == "RG-FR-1"))
        assert case.conflict_type == "VOL_BETAIL" and case.unit.code == "TBK-DIRE-DIRE"


def test_unknown_columns_refuse_the_file(app, runner, admin, tmp_path):
    path = tmp_path / "registre.xlsx"
    path.write_bytes(register([GOOD], [*EN_HEADERS[:-1], "Shoe size"]))
    result = invoke(runner, "import", "cases", str(path), "--as", "admin")
    assert result.exit_code != 0
    assert "Unknown columns: “Shoe size”." in result.output


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "preview", "outside", "done"),
    [
        (
            "en",
            "Rows to import: 1.",
            "This place is outside your area.",
            "Cases imported: 1 created, 0 already imported.",
        ),
        (
            "fr",
            "Lignes à importer\u00a0: 1.",
            "Ce lieu est hors de votre zone.",
            "Affaires importées\u00a0: 1 créée(s), 0 déjà importée(s).",
        ),
    ],
)
def test_a_coordinator_uploads_previews_and_confirms_a_register(
    app, client, make_user, login, lang, preview, outside, done
):
    login(make_user("coordinator", area="GAO", lang=lang))
    page = client.get("/imports/cases")
    assert page.status_code == 200
    token = csrf_token(client, "/imports/cases")
    rows = [GOOD, ["REG-099", "Tombouctou", "Diré", *GOOD[3:]]]
    response = client.post(
        "/imports/cases",
        data={"csrf_token": token, "file": (io.BytesIO(register(rows)), "registre.xlsx")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # Tombouctou is outside the coordinator's area: the row is named, nothing can be confirmed.
    assert "REG-099" in html and outside in html
    assert 'name="upload"' not in html
    response = client.post(
        "/imports/cases",
        data={"csrf_token": token, "file": (io.BytesIO(register([GOOD])), "registre.xlsx")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert preview in html
    upload = re.search(r'name="upload" type="hidden" value="([^"]+)"', html).group(1)
    before = count(app, Case)
    response = client.post(
        "/imports/cases/confirm",
        data={"csrf_token": token, "upload": upload},
        follow_redirects=True,
    )
    assert done in response.get_data(as_text=True)
    assert count(app, Case) == before + 1


def test_the_register_template_has_headers_in_each_language(app, client, make_user, login):
    login(make_user("coordinator", area="GAO"))
    for lang, first in (("en", "Register reference"), ("fr", "Référence au registre")):
        response = client.get(f"/imports/cases/template.xlsx?lang={lang}")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
        headers = next(sheet.iter_rows(values_only=True))
        assert headers[0] == first


def test_mediators_cannot_import(client, make_user, login):
    login(make_user("mediator", area="GAO"))
    assert client.get("/imports/cases").status_code == 403
    assert client.get("/imports/odk").status_code == 403


def _agreed_case(by_id: int) -> str:
    """A case with an agreement concluded 28 days ago: its D+30 visit is due."""
    by = db.session.get(User, by_id)
    day = today()
    case = services.register_case(
        services.CaseData(
            unit_id=get_unit_by_code("GAO-GAO-NTILLIT").id,
            event_date=day - timedelta(days=40),
            reported_on=day - timedelta(days=39),
            channel="PLAINTE_DIRECTE",
            conflict_type="DEGATS_CHAMPETRES",
            scope="INTRACOMMUNAUTAIRE",
            title="Champ piétiné",
        ),
        [
            services.PartyData(role="complainant", name="Aminata Touré"),
            services.PartyData(role="respondent", name="Boubacar Dicko"),
        ],
        by,
    )
    services.transition(case, "ENREGISTRE", by)
    services.transition(case, "EN_MEDIATION", by)
    services.record_session(
        case,
        services.SessionData(
            held_on=day - timedelta(days=30),
            place="ARBRE_PALABRE",
            mechanism="CONCILIATION_CHEF",
            result="agreement",
            women=1,
            men=2,
        ),
        by,
    )
    services.record_agreement(
        case,
        services.AgreementData(
            concluded_on=day - timedelta(days=28),
            form="written",
            outcome="ACCORD_TOTAL",
            terms=[services.TermData(description="Réparer la clôture")],
        ),
        by,
    )
    db.session.commit()
    return case.reference


def test_a_follow_up_visit_is_recorded_from_a_kobo_submission(app, runner, admin, tmp_path):
    with app.app_context():
        reference = _agreed_case(admin.id)
    visit = {
        "visit/case_reference": reference,
        "visit/visit_date": today().isoformat(),
        "visit/compliance": "respecté",
        "visit/notes": "La clôture est réparée.",
        "meta/instanceID": "uuid:visit-0001",
        "_xform_id_string": "casework_visit",
        "_uuid": "visit-0001",
    }
    path = tmp_path / "visites.json"
    path.write_text(
        json.dumps(
            [
                visit,
                {
                    **visit,
                    "visit/case_reference": "GAO-1999-0001",
                    "meta/instanceID": "uuid:visit-0002",
                },
            ]
        ),
        encoding="utf-8",
    )
    result = invoke(runner, "import", "odk", str(path), "--skip-invalid", "--as", "admin")
    assert result.exit_code == 0, result.output
    assert "Row 2 (uuid:visit-0002): No case has the reference GAO-1999-0001." in result.output
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        done = db.session.scalars(
            sa.select(FollowUp).where(FollowUp.case_id == case.id, FollowUp.done_on.is_not(None))
        ).all()
        assert [f.compliance for f in done] == ["respected"]
        assert case.status == "SUIVI"


@pytest.mark.parametrize(
    ("lang", "error", "done"),
    [
        (
            "en",
            "Row 18: Deaths: “deux” is not a whole number.",
            "Submissions imported: 49 created, 0 already imported, 1 left out.",
        ),
        (
            "fr",
            "Ligne 18\u00a0: Décès\u00a0: «\u00a0deux\u00a0» n’est pas un nombre entier.",
            "Soumissions importées\u00a0: 49 créée(s), 0 déjà importée(s), 1 laissée(s) de côté.",
        ),
    ],
)
def test_an_administrator_previews_and_confirms_a_kobo_export(
    app, client, make_user, login, lang, error, done
):
    login(make_user("admin", lang=lang))
    token = csrf_token(client, "/imports/odk")
    response = client.post(
        "/imports/odk",
        data={"csrf_token": token, "file": (io.BytesIO(KOBO_FIXTURE.read_bytes()), "kobo.json")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error in html
    assert count(app, ImportedSubmission) == 0
    upload = re.search(r'name="upload" type="hidden" value="([^"]+)"', html).group(1)
    # Without "skip the rows to correct", nothing is imported.
    refused = client.post("/imports/odk/confirm", data={"csrf_token": token, "upload": upload})
    assert refused.status_code == 409
    assert count(app, ImportedSubmission) == 0
    response = client.post(
        "/imports/odk/confirm",
        data={"csrf_token": token, "upload": upload, "skip_invalid": "y"},
        follow_redirects=True,
    )
    assert done in response.get_data(as_text=True)
    assert count(app, ImportedSubmission) == 49
