"""The XLSForms for KoboToolbox and ODK Collect (issue 16): made from the current
vocabularies and geography, they convert to XForms with pyxform."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from casework.cli import cli
from casework.extensions import db
from casework.integrations.xlsform import FORMS, build_xlsform
from casework.vocab import services as vocab

pytestmark = pytest.mark.usefixtures("seeded")


def sheet_rows(data: bytes, name: str) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data), read_only=True)[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


@pytest.mark.parametrize("form", FORMS)
def test_each_form_converts_to_an_xform_with_pyxform(app, form):
    with app.app_context():
        data = build_xlsform(form)
    result = convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False)
    xform = result.xform
    assert f'id="casework_{form}"' in xform
    # Both languages are in the form's translations.
    assert 'lang="French (fr)"' in xform and 'lang="English (en)"' in xform
    assert not [w for w in result.warnings if "error" in w.lower()]


def test_intake_has_a_repeat_of_parties_and_a_place_cascade(app):
    with app.app_context():
        survey = sheet_rows(build_xlsform("intake"), "survey")
    types = {row["name"]: row["type"] for row in survey if row["name"]}
    assert types["parties"] == "begin_repeat"
    assert types["conflict_type"] == "select_one conflict_type"
    assert types["event_date"] == "date"
    assert types["deaths"] == "integer"
    filters = {row["name"]: row["choice_filter"] for row in survey if row["name"]}
    assert filters["cercle"] == "region=${region}"
    assert filters["commune"] == "cercle=${cercle}"
    labels = {row["name"]: row["label::French (fr)"] for row in survey if row["name"]}
    assert labels["event_date"] == "Date des faits"


def test_choice_lists_follow_the_current_vocabularies_and_places(app):
    with app.app_context():
        before = build_xlsform("intake")
        vocab.add_term("conflict_type", "PUITS_TEST", {"fr": "Puits (essai)", "en": "Well (test)"})
        db.session.flush()
        after = build_xlsform("intake")
        db.session.rollback()
    choices = sheet_rows(after, "choices")
    term = next(row for row in choices if row["name"] == "PUITS_TEST")
    assert term["list_name"] == "conflict_type"
    assert term["label::French (fr)"] == "Puits (essai)"
    assert term["label::English (en)"] == "Well (test)"
    communes = [row for row in choices if row["list_name"] == "commune"]
    ntillit = next(row for row in communes if row["name"] == "GAO-GAO-NTILLIT")
    assert ntillit["cercle"] == "GAO-GAO"
    # A new term gives the form a new version, so that KoboToolbox redeploys it.
    versions = [sheet_rows(data, "settings")[0]["version"] for data in (before, after)]
    assert versions[0] != versions[1]


def test_forms_xlsform_command_writes_the_file(app, runner, tmp_path):
    out = tmp_path / "alerte.xlsx"
    result = runner.invoke(cli, ["forms", "xlsform", "--form", "alert", "--out", str(out)])
    assert result.exit_code == 0, result.output
    survey = sheet_rows(out.read_bytes(), "survey")
    assert "occurred_at" in {row["name"] for row in survey}
