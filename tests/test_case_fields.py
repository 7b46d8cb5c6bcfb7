"""A case field is declared once (casework/cases/fields.py): the form, the service, the audit
trail and the export all follow the declaration, with the same label and the same limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from wtforms.validators import Length, NumberRange

from casework.audit.fields import field_title, is_restricted
from casework.auth.models import User
from casework.cases import services
from casework.cases.fields import CASE_FIELDS, Kind
from casework.cases.forms import IntakeForm
from casework.cases.models import Case
from casework.core.checks import InvalidInput
from casework.core.dates import today
from casework.extensions import db
from casework.reports.exports import EXPORTS, export_columns, stream_csv_response
from tests.conftest import post_form, query, unit_id
from tests.test_cases import FRENCH, GAO_COMMUNE, intake

TOO_LONG = "x"
LIMITED_TEXT = [spec for spec in CASE_FIELDS if spec.text]
NUMBERS = [spec for spec in CASE_FIELDS if spec.kind in (Kind.COUNT, Kind.AMOUNT)]


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


def _data(app, **overrides) -> services.CaseData:
    """A valid case's data, as a service is given it."""
    values = {
        "unit_id": unit_id(app, GAO_COMMUNE),
        "event_date": today() - timedelta(days=10),
        "reported_on": today() - timedelta(days=8),
        "channel": "PLAINTE_DIRECTE",
        "conflict_type": "DEGATS_CHAMPETRES",
        "scope": "INTRACOMMUNAUTAIRE",
        "title": "Champ de mil détruit par un troupeau",
    }
    return services.CaseData(**{**values, **overrides})


def _register(app, user_id: int, data: services.CaseData) -> None:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        services.register_case(data, [services.PartyData("complainant", "Amadou")], user)


@pytest.mark.parametrize("spec", LIMITED_TEXT, ids=lambda spec: spec.name)
def test_a_text_too_long_is_refused_by_the_form_and_by_the_service(app, client, mediator, spec):
    """The same limit in both places, because both read it from the declaration."""
    too_long = TOO_LONG * (spec.max_length + 1)
    response = post_form(client, "/cases/new", intake(app, **{spec.name: too_long}))
    assert response.status_code == 400
    assert f"Au plus {spec.max_length} caractères" in response.get_data(as_text=True)
    with pytest.raises(InvalidInput):
        _register(app, mediator.id, _data(app, **{spec.name: too_long}))
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 0


@pytest.mark.parametrize("spec", NUMBERS, ids=lambda spec: spec.name)
def test_a_number_beyond_its_column_is_refused_by_the_service_too(app, mediator, spec):
    """The form stopped 2**31 deaths; a service caller (the demo, an import) reached the
    database, which refused the row with an error. Now the service says which field."""
    with pytest.raises(InvalidInput) as refused:
        _register(app, mediator.id, _data(app, **{spec.name: spec.maximum + 1}))
    with app.test_request_context(), force_locale("fr"):
        message = str(refused.value)
    assert f"ne peut pas dépasser {spec.maximum}" in message
    assert str(FRENCH[str(spec.label)]) in message
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 0


def test_the_form_is_made_from_the_declarations(app):
    with app.test_request_context():
        form = IntakeForm(meta={"csrf": False}, formdata=None)
        for spec in CASE_FIELDS:
            field = form[spec.name]
            assert field.label.text == spec.label
            assert (field.description or None) == spec.help
            lengths = [v.max for v in field.validators if isinstance(v, Length)]
            assert lengths == ([spec.max_length] if spec.text else [])
            ranges = [(v.min, v.max) for v in field.validators if isinstance(v, NumberRange)]
            if spec in NUMBERS:
                assert ranges == [(0, None), (None, spec.maximum)]


def test_the_audit_trail_and_the_export_use_the_declared_labels(app):
    """One label per field: the audit trail's title and the export's header (both languages)."""
    exported = {spec.name for spec in CASE_FIELDS if spec.exported}
    columns = {column.key: column for column in EXPORTS["cases"].columns}
    assert exported <= set(columns)
    for lang in ("en", "fr"):
        with app.test_request_context(), force_locale(lang):
            for spec in CASE_FIELDS:
                if spec.audited:
                    assert field_title(spec.name) == str(spec.label)
                if spec.exported:
                    assert str(columns[spec.name].header) == str(spec.label)
    for spec in CASE_FIELDS:
        if spec.exported:
            assert columns[spec.name].personal == spec.sensitive


def test_sensitive_text_stays_out_of_the_audit_trail_and_the_rest_is_kept(app):
    with app.app_context():
        for spec in CASE_FIELDS:
            if spec.text or spec.kind in (Kind.CODE, Kind.CHOICE):
                assert is_restricted("cases", spec.name) == spec.sensitive, spec.name


def test_the_export_has_a_header_per_declared_field_in_french(app, admin):
    with app.test_request_context():
        user = db.session.get(User, admin.id)
        headers = {column.key: column.header for column in export_columns("cases", user, "fr")}
    for spec in CASE_FIELDS:
        if spec.exported and not (spec.vocabulary or spec.choices):
            assert headers[spec.name] == FRENCH[str(spec.label)]


CERTIFICATE = "CIT-ML-2026-00417"


def test_a_transhumance_certificate_is_recorded_shown_exported_and_audited(
    app, client, mediator, make_user
):
    """A field added by its declaration alone: typed on the intake form, it is on the case
    page, in the export under its French header and in the audit trail in clear."""
    from casework.audit.models import AuditEntry

    response = post_form(
        client, "/cases/new", intake(app, transhumance_certificate=f"  {CERTIFICATE} ")
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case_id, stored = query(app, sa.select(Case.id, Case.transhumance_certificate)).one()
    assert stored == CERTIFICATE
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Numéro du certificat international de transhumance (CEDEAO)" in page
    assert CERTIFICATE in page
    details = query(
        app,
        sa.select(AuditEntry.details).where(
            AuditEntry.object_type == "cases", AuditEntry.action == "create"
        ),
    ).scalar_one()
    assert details["fields"]["transhumance_certificate"] == CERTIFICATE
    admin = make_user("admin", username="boss")
    with app.test_request_context():
        response = stream_csv_response("cases", db.session.get(User, admin.id), "fr")
        exported = b"".join(response.response).decode("utf-8-sig")
    assert "Numéro du certificat international de transhumance (CEDEAO)" in exported
    assert CERTIFICATE in exported


def test_a_transhumance_certificate_too_long_is_refused(app, client, mediator):
    response = post_form(client, "/cases/new", intake(app, transhumance_certificate="C" * 41))
    assert response.status_code == 400
    assert "Au plus 40 caractères" in response.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 0
