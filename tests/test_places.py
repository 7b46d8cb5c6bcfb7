"""Places, fractions, borders (issue 15): a transhumance case between a Malian fraction and
herders from Niger, walked through the web forms in both languages; the fraction registry and
its area rule; the list and the report by any of a case's places; the upgrade of a database
that holds data."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from casework import create_app
from casework.audit.models import AuditEntry
from casework.cases.models import Case, CasePlace, Fraction, Party
from casework.core.dates import today
from casework.extensions import db
from tests.conftest import app_settings, post_form, query, unit_id
from tests.test_case_summary import docx_text, pdf_text
from tests.test_cases import FRENCH, case_id_from, intake
from tests.test_migrations import schema_differences

INCIDENT = "MNK-ANDERAMBOUKANE-ANDERAMBOUKANE"  # near the border with Niger
HOME = "GAO-ANSONGO-ANSONGO"  # the Malian fraction's home commune
CERTIFICATE = "CIT-NE-2026-0311"
FRACTION = "Peuls Tolèbè d'Ansongo"

# What each language shows of the case (the other language's words must not appear).
WORDS = {
    "fr": ["Autres lieux", "commune de rattachement d'une partie", "Niger", "Autre pays"],
    "en": ["Other places", "a party's home commune", "Niger", "Other country"],
}


def sign_in(app, make_user, role: str, area: str | None, lang: str, name: str):
    user = make_user(role, username=name, area=area, lang=lang)
    client = app.test_client()
    response = post_form(client, "/login", {"username": user.username, "password": user.password})
    assert response.status_code == 302
    client.headers = {"Accept-Language": lang}
    return client


def post(client, path: str, data: dict):
    return post_form(client, path, data, headers=client.headers)


def get(client, path: str, **params):
    return client.get(path, query_string=params, headers=client.headers)


def add_fraction(app, client, name: str = FRACTION, home: str = HOME, **extra):
    data = {
        "name": name,
        "group_code": "PEUL",
        "home_unit_id": str(unit_id(app, home)),
        "range_unit_ids": [
            str(unit_id(app, "MNK-MENAKA-MENAKA")),
            str(unit_id(app, INCIDENT)),
        ],
    }
    data.update(extra)
    return post(client, "/fractions/new", data)


def register_transhumance_case(app, client, fraction_id: int) -> int:
    data = intake(
        app,
        INCIDENT,
        parties=("Famille Sidibé", "Éleveurs de Tillabéri"),
        conflict_type="TRANSHUMANCE",
        scope="TRANSFRONTALIER",
        other_country="NE",
        transhumance_certificate=CERTIFICATE,
        title="Troupeau venu du Niger dans le couloir d'Andéramboukane",
        **{
            "parties-0-kind": "fraction",
            "parties-0-fraction_id": str(fraction_id),
            "parties-1-kind": "community",
            "parties-1-livelihood": "ELEVEUR",
        },
    )
    response = post(client, "/cases/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return case_id_from(response)


def html_text(content: bytes) -> str:
    return html.unescape(content.decode())


def listed(client, area: str, app) -> str:
    response = get(client, "/cases", area=str(unit_id(app, area)))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def opened_in(client, area: str) -> int:
    """The report's "cases opened" for the area, this period (JSON)."""
    start = today() - timedelta(days=40)
    response = get(
        client,
        "/reports/periodic",
        period=f"{start.isoformat()}..{today().isoformat()}",
        area=area,
        lang="en",
        format="json",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return json.loads(response.data)["indicators"]["cases"]["cases_opened"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_cross_border_transhumance_case_with_two_places(app, seeded, make_user, lang):
    # A coordinator of Gao adds the fraction, whose home commune is in Gao.
    gao = sign_in(app, make_user, "coordinator", "GAO", lang, "coord.gao")
    response = add_fraction(app, gao)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    fraction_id, group = query(app, sa.select(Fraction.id, Fraction.group_code)).one()
    assert group == "PEUL"
    page = get(gao, "/fractions").get_data(as_text=True)
    assert FRACTION.replace("'", "&#39;") in page and ("peul" if lang == "fr" else "Fulani") in page
    assert "Andéramboukane" in page  # its seasonal range

    # A mediator of Ménaka registers the case: the incident's place is theirs.
    menaka = sign_in(app, make_user, "mediator", "MNK", lang, "med.menaka")
    case_id = register_transhumance_case(app, menaka, fraction_id)
    case = query(
        app,
        sa.select(Case.reference, Case.other_country, Case.transhumance_certificate).where(
            Case.id == case_id
        ),
    ).one()
    assert (case.other_country, case.transhumance_certificate) == ("NE", CERTIFICATE)
    party_fractions = query(
        app, sa.select(Party.fraction_id).where(Party.case_id == case_id).order_by(Party.id)
    ).all()
    assert [row.fraction_id for row in party_fractions] == [fraction_id, None]

    # The second place: the fraction's home commune, in another region.
    response = post(menaka, f"/cases/{case_id}/places", {"home_commune": [str(unit_id(app, HOME))]})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    places = query(app, sa.select(CasePlace.unit_id, CasePlace.role)).all()
    assert [(row.unit_id, row.role) for row in places] == [(unit_id(app, HOME), "home_commune")]

    page = get(menaka, f"/cases/{case_id}").get_data(as_text=True)
    for word in WORDS[lang]:
        assert word.replace("'", "&#39;") in page, word
    other = WORDS["en" if lang == "fr" else "fr"]
    assert other[0] not in page and other[3] not in page
    assert CERTIFICATE in page and "Ansongo" in page
    assert f"fraction {FRACTION}".replace("'", "&#39;") in page

    # The case summary says the same, in HTML, PDF and Word; a redacted one keeps the places
    # and the country but leaves out the fraction and the certificate number.
    summary = f"/reports/case/{case_id}"
    for fmt, read in (("html", html_text), ("pdf", pdf_text), ("docx", docx_text)):
        text = read(get(menaka, summary, lang=lang, format=fmt).data)
        for word in WORDS[lang]:
            assert word in text, (fmt, word)
        assert other[0] not in text and other[3] not in text, fmt
        assert "Ansongo" in text and CERTIFICATE in text and f"fraction {FRACTION}" in text, fmt
        redacted = read(get(menaka, summary, lang=lang, format=fmt, redacted="1").data)
        assert WORDS[lang][0] in redacted and "Ansongo" in redacted and "Niger" in redacted, fmt
        assert CERTIFICATE not in redacted and FRACTION not in redacted, fmt

    # Found by filtering on either place (an administrator chooses any place)...
    admin = sign_in(app, make_user, "admin", None, lang, "boss")
    reference = case.reference
    assert reference in listed(admin, INCIDENT, app)
    assert reference in listed(admin, HOME, app)
    assert reference in listed(admin, "GAO", app)  # the region of the other place
    assert reference not in listed(admin, "KDL", app)
    # ...and by the mediator, on the place of their area.
    assert reference in listed(menaka, "MNK", app)

    # Counted in each place's report, once where both places lie (everywhere).
    assert opened_in(admin, "MNK") == 1
    assert opened_in(admin, "GAO") == 1
    assert opened_in(admin, "GAO-ANSONGO") == 1
    assert opened_in(admin, "KDL") == 0
    assert opened_in(admin, "") == 1
    # The coordinator of Gao counts it in their report...
    assert opened_in(gao, "GAO") == 1
    # ...but access stays by the place of the incident: not in their list, not theirs to open.
    assert reference not in get(gao, "/cases").get_data(as_text=True)
    assert get(gao, f"/cases/{case_id}").status_code == 403


def test_the_places_are_audited_and_a_bad_place_changes_nothing(app, seeded, make_user):
    admin = sign_in(app, make_user, "admin", None, "fr", "boss")
    case_id = case_id_from(post(admin, "/cases/new", intake(app, INCIDENT)))
    home = str(unit_id(app, HOME))
    response = post(admin, f"/cases/{case_id}/places", {"home_commune": [home], "route": [home]})
    assert response.status_code == 302
    logged = query(
        app, sa.select(AuditEntry.details).where(AuditEntry.object_type == "case_places")
    ).all()
    assert sorted(row.details["fields"]["role"] for row in logged) == ["home_commune", "route"]

    # The incident's own place, or a place that does not exist: refused, translated, nothing.
    incident = str(unit_id(app, INCIDENT))
    response = post(admin, f"/cases/{case_id}/places", {"other": [incident]})
    assert response.status_code == 400
    assert FRENCH["The place of the incident is already the case's place."].replace(
        "'", "&#39;"
    ) in response.get_data(as_text=True)
    response = post(admin, f"/cases/{case_id}/places", {"other": ["999999"]})
    assert response.status_code == 400
    response = post(admin, f"/cases/{case_id}/places", {"other": ["x"]})
    assert response.status_code == 400
    assert query(app, sa.select(sa.func.count(CasePlace.id))).scalar() == 2

    # Removing a place: the case is no longer found there.
    response = post(admin, f"/cases/{case_id}/places", {"route": [home]})
    assert response.status_code == 302
    assert query(app, sa.select(CasePlace.role)).scalars().all() == ["route"]


def test_the_fraction_registry_follows_the_area_rule(app, seeded, make_user):
    gao = sign_in(app, make_user, "coordinator", "GAO", "fr", "coord.gao")
    # Outside the coordinator's area: the home commune is not offered, and refused.
    response = add_fraction(app, gao, name="Kel Adagh", home="KDL-KIDAL-KIDAL")
    assert response.status_code == 400
    assert query(app, sa.select(sa.func.count(Fraction.id))).scalar() == 0
    # Bad input: no group, a range that is not a list of communes.
    response = add_fraction(app, gao, group_code="")
    assert response.status_code == 400
    response = add_fraction(app, gao, range_unit_ids=[str(unit_id(app, "GAO"))])
    assert response.status_code == 400
    assert query(app, sa.select(sa.func.count(Fraction.id))).scalar() == 0

    assert add_fraction(app, gao).status_code == 302
    assert add_fraction(app, gao).status_code == 400  # already in the registry
    fraction_id = query(app, sa.select(Fraction.id)).scalar_one()
    range_logged = query(
        app,
        sa.select(AuditEntry.details).where(
            AuditEntry.object_type == "fractions", AuditEntry.action == "change"
        ),
    ).scalar_one()
    assert sorted(range_logged["range_units"].split(", ")) == sorted(
        ["MNK-MENAKA-MENAKA", INCIDENT]
    )

    # A coordinator of Kidal sees it but may not correct it; a mediator cannot manage it.
    kidal = sign_in(app, make_user, "coordinator", "KDL", "en", "coord.kidal")
    assert FRACTION.replace("'", "&#39;") in get(kidal, "/fractions").get_data(as_text=True)
    assert get(kidal, f"/fractions/{fraction_id}/edit").status_code == 403
    mediator = sign_in(app, make_user, "mediator", "GAO", "en", "med.gao")
    assert get(mediator, "/fractions").status_code == 403

    # Deactivated, it leaves the parties' choices.
    assert post(gao, f"/fractions/{fraction_id}/deactivate", {}).status_code == 302
    form = get(gao, "/cases/new").get_data(as_text=True)
    assert f'value="{fraction_id}"' not in form.split('name="parties-0-fraction_id"')[1][:2000]
    response = post(gao, "/cases/new", intake(app, **{"parties-0-fraction_id": str(fraction_id)}))
    assert response.status_code == 400


def test_the_list_filter_by_place_reads_the_places_by_unit(app, seeded, make_user):
    """The list's "any place" condition reads case_places from its index by unit."""
    from casework.auth.models import User
    from casework.cases.services import CaseFilters, filtered_cases

    admin = make_user("admin", username="boss")
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan is checked on SQLite")
        user = db.session.get(User, admin.id)
        statement = filtered_cases(user, CaseFilters(area_id=unit_id(app, "GAO")))
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_case_places_unit_id_case_id" in details, details


def test_an_existing_database_upgrades_with_its_data(empty_database):
    """A database at the previous head, with cases and parties, goes up to this revision and
    back: every row kept, no case has other places, no party a fraction."""
    from casework.demo import seed_demo

    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade(revision="20261204_k")
        upgrade()
        seed_demo(cases=12)
        db.session.commit()
        counts = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("cases", "parties", "audit_log")
        }
        db.session.remove()
        downgrade(revision="20261204_k")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("parties")}
        assert "fraction_id" not in columns
        assert "case_places" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        after = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("cases", "parties", "audit_log")
        }
        assert after == counts and counts["cases"] >= 12
        assert db.session.scalar(sa.text("SELECT count(*) FROM case_places")) == 0
        assert (
            db.session.scalar(sa.text("SELECT count(*) FROM parties WHERE fraction_id IS NULL"))
            == counts["parties"]
        )
        assert db.session.scalar(sa.text("SELECT count(*) FROM cases WHERE other_country IS NULL"))
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        db.session.remove()
        assert schema_differences(app) == []
        db.engine.dispose()


def test_the_seeds_add_the_northern_vocabulary_geography_and_fractions(app, seeded, runner):
    from casework.cli import cli
    from casework.vocab import services as vocab

    with app.app_context():
        for vocabulary, code, fr, en in (
            ("conflict_type", "ORPAILLAGE", "orpaillage", "gold mining"),
            ("resolution_mechanism", "SERMENT_CORAN", "serment sur le Coran", "oath on the Qur'an"),
            (
                "actor_type",
                "DIORO",
                "dioro (maître des bourgoutières)",
                "dioro (master of the bourgou pastures)",
            ),
            (
                "referral_target",
                "SERVICES_VBG_PSYCHO",
                "prise en charge psychosociale",
                "psychosocial support",
            ),
            ("country", "NE", "Niger", "Niger"),
        ):
            assert (vocab.label(vocabulary, code, "fr"), vocab.label(vocabulary, code, "en")) == (
                fr,
                en,
            )
    result = runner.invoke(cli, ["fractions", "seed"], catch_exceptions=False)
    assert "5 created" in result.output
    again = runner.invoke(cli, ["fractions", "seed"], catch_exceptions=False)
    assert "0 created, 5 already there" in again.output
    kounta = query(app, sa.select(Fraction.group_code).where(Fraction.name == "Kounta"))
    assert kounta.scalar_one() == "ARABE"
    assert (
        query(
            app, sa.select(sa.func.count()).select_from(Fraction).where(Fraction.is_active)
        ).scalar()
        == 5
    )
    with app.app_context():
        from casework.geo.services import get_unit_by_code

        assert get_unit_by_code("TDN-ARAWANE-ARAWANE").parent.name == "Arawane"
        assert get_unit_by_code("TDN").name == "Taoudénit"
