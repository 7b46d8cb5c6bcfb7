"""Geography: the starter set, CSV import (all or nothing), search, scoping and screens."""

from __future__ import annotations

import html
import io
from datetime import date

import pytest
import sqlalchemy as sa

from casework.cli import cli
from casework.extensions import db
from casework.geo import services
from casework.geo.models import AdminUnit
from tests.conftest import post_form, query
from tests.test_escaping import OWN_SCRIPT

EN = {"Accept-Language": "en"}
HEADER = "code,kind,name,parent_code,valid_from,valid_to\n"

# The starter set of DOMAIN.md §6: region code -> cercle names.
CERCLES = {
    "TBK": {"Tombouctou", "Diré", "Goundam", "Gourma-Rharous", "Niafunké"},
    "GAO": {"Gao", "Ansongo", "Bourem"},
    "KDL": {"Kidal", "Abeïbara", "Tessalit", "Tin-Essako"},
    "MNK": {"Ménaka", "Andéramboukane", "Inékar", "Tidermène"},
    "MPT": {"Mopti", "Bandiagara", "Bankass", "Djenné", "Douentza", "Koro", "Ténenkou", "Youwarou"},
    # DOMAIN.md §9: the region created in 2016, with its cercles (issue 15).
    "TDN": {"Taoudénit", "Achouratt", "Al-Ourche", "Arawane", "Boujbeha", "Foum-Alba"},
}
# Cercle code -> communes that DOMAIN.md names.
COMMUNES = {
    "TBK-TOMBOUCTOU": {"Tombouctou", "Alafia", "Ber", "Bourem-Inaly", "Lafia", "Salam"},
    "GAO-GAO": {"Gao", "Anchawadi", "Gabero", "Gounzoureye", "N'Tillit", "Sony Aliber", "Tilemsi"},
    "KDL-KIDAL": {"Kidal", "Anéfif", "Essouk"},
}


def unit_count(app) -> int:
    return query(app, sa.select(sa.func.count(AdminUnit.id))).scalar_one()


@pytest.fixture
def seeded(app):
    with app.app_context():
        services.seed_units()
        db.session.commit()


def unit(code: str) -> AdminUnit:
    """A unit by code; call inside an app context."""
    found = services.get_unit_by_code(code)
    assert found is not None, code
    return found


def import_text(app, text: str, **kw) -> services.ImportResult:
    with app.app_context():
        result = services.import_units(text, **kw)
        db.session.commit()
        return result


def import_problems(app, text: str | bytes) -> list[tuple[int, str]]:
    with app.app_context():
        with pytest.raises(services.GeoImportError) as caught:
            services.import_units(text)
        db.session.rollback()
        return [(line, str(message)) for line, message in caught.value.problems]


# --- the starter set ------------------------------------------------------------------------


def test_seeding_creates_the_regions_cercles_and_communes_of_the_north(app, seeded):
    with app.app_context():
        regions = db.session.scalars(sa.select(AdminUnit).where(AdminUnit.kind == "region"))
        assert {region.code: region.name for region in regions} == {
            "TBK": "Tombouctou",
            "GAO": "Gao",
            "KDL": "Kidal",
            "MNK": "Ménaka",
            "MPT": "Mopti",
            "TDN": "Taoudénit",
        }
        for region_code, names in CERCLES.items():
            region = unit(region_code)
            cercles = services.children_of(region)
            assert {c.name for c in cercles} == names, region_code
            assert all(c.kind == "cercle" and c.parent_id == region.id for c in cercles)
        for cercle_code, names in COMMUNES.items():
            cercle = unit(cercle_code)
            communes = {c.name for c in services.children_of(cercle) if c.kind == "commune"}
            assert names <= communes, cercle_code
        # Every cercle has at least one commune.
        for cercle in db.session.scalars(sa.select(AdminUnit).where(AdminUnit.kind == "cercle")):
            assert any(c.kind == "commune" for c in services.children_of(cercle)), cercle.code


def test_seeded_names_keep_accents_and_apostrophes(app, seeded):
    with app.app_context():
        assert unit("MNK").name == "Ménaka"
        assert unit("KDL-ABEIBARA").name == "Abeïbara"
        ntillit = unit("GAO-GAO-NTILLIT")
        assert ntillit.name == "N'Tillit" and ntillit.name_search == "ntillit"
        assert ntillit.label == "N'Tillit (Gao, Gao)"


def test_every_path_is_the_parents_path_plus_the_own_id(app, seeded):
    with app.app_context():
        units = list(db.session.scalars(sa.select(AdminUnit)))
        assert units
        for each in units:
            above = each.parent.path if each.parent else "/"
            assert each.path == f"{above}{each.id}/", each.code
        ntillit = unit("GAO-GAO-NTILLIT")
        assert ntillit.path == f"/{unit('GAO').id}/{unit('GAO-GAO').id}/{ntillit.id}/"
        assert services.region_of(ntillit).code == "GAO"
        assert services.region_of(unit("GAO")).code == "GAO"


def test_seeding_again_changes_nothing(app, seeded):
    before = unit_count(app)
    with app.app_context():
        result = services.seed_units()
        assert (result.created, result.updated) == (0, 0)
        assert result.unchanged == before
    assert unit_count(app) == before


def test_region_codes_are_short_case_reference_prefixes(app, seeded):
    with app.app_context():
        for region in db.session.scalars(sa.select(AdminUnit).where(AdminUnit.kind == "region")):
            assert services.REGION_CODE_RE.match(region.code), region.code
        assert services.get_unit_by_code(" gao-gao-ntillit ").name == "N'Tillit"
        assert services.get_unit_by_code("NOWHERE") is None


# --- scoping by area ------------------------------------------------------------------------


def test_descendants_of_gao_include_ntillit_but_not_kidal(app, seeded):
    with app.app_context():
        gao = unit("GAO")
        within = set(
            db.session.scalars(sa.select(AdminUnit.code).where(services.descendants_clause(gao)))
        )
        assert {"GAO", "GAO-GAO", "GAO-GAO-NTILLIT", "GAO-GAO-GAO-CHATEAU"} <= within
        assert "KDL" not in within and "KDL-KIDAL-KIDAL" not in within
        assert not any(code.startswith(("KDL", "MNK", "TBK", "MPT")) for code in within)

        ids = set(db.session.scalars(services.unit_ids_within(gao)))
        assert unit("GAO-GAO-NTILLIT").id in ids and unit("KDL").id not in ids
        # As a subquery, the way other domains scope their records.
        scoped = db.session.scalars(
            sa.select(AdminUnit.code).where(AdminUnit.id.in_(services.unit_ids_within(gao)))
        )
        assert set(scoped) == within

        ntillit = unit("GAO-GAO-NTILLIT")
        assert set(db.session.scalars(services.unit_ids_within(ntillit))) == {ntillit.id}


def test_a_unit_without_a_path_cannot_scope(app):
    with pytest.raises(ValueError):
        services.descendants_clause(AdminUnit(code="NEW", path=""))


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("menaka", "MNK"),
        ("MENAKA", "MNK"),
        ("Ménaka", "MNK"),
        ("ntillit", "GAO-GAO-NTILLIT"),
        ("n'tillit", "GAO-GAO-NTILLIT"),
        ("N’Tillit", "GAO-GAO-NTILLIT"),
        ("N TILLIT", "GAO-GAO-NTILLIT"),
        ("abeibara", "KDL-ABEIBARA"),
        ("aliber", "GAO-GAO-SONY-ALIBER"),
        ("sonyaliber", "GAO-GAO-SONY-ALIBER"),
    ],
)
def test_search_ignores_accents_case_and_apostrophes(app, seeded, typed, code):
    with app.app_context():
        found = services.search_units(typed)
        assert found, typed
        assert found[0].code == code


def test_search_ranks_and_filters(app, seeded):
    with app.app_context():
        menaka = services.search_units("menaka")
        # The region first, then the cercle, then the commune of the same name.
        assert [u.code for u in menaka[:3]] == ["MNK", "MNK-MENAKA", "MNK-MENAKA-MENAKA"]
        communes = services.search_units("menaka", kind="commune")
        assert [u.code for u in communes] == ["MNK-MENAKA-MENAKA"]
        assert len(services.search_units("a", limit=3)) == 3
        assert services.search_units("") == [] and services.search_units("  '’ ") == []
        assert services.search_units("zzzz") == []


def test_choices_are_in_tree_order_with_labels(app, seeded):
    with app.app_context():
        regions = services.choices(kinds=["region"])
        assert [label for _id, label in regions] == [
            "Gao",
            "Kidal",
            "Ménaka",
            "Mopti",
            "Taoudénit",
            "Tombouctou",
        ]
        everything = services.choices()
        labels = [label for _id, label in everything]
        gao = labels.index("Gao")
        # Gao's units follow Gao and come before Kidal.
        assert gao < labels.index("N'Tillit (Gao, Gao)") < labels.index("Kidal")
        ntillit_id = unit("GAO-GAO-NTILLIT").id
        assert (ntillit_id, "N'Tillit (Gao, Gao)") in everything


# --- import: refused files ------------------------------------------------------------------

MALFORMED = (
    HEADER  # line 1
    + "TST,region,Test region,,,\n"  # line 2: good
    + "TST-A,canton,Canton A,TST,,\n"  # line 3: unknown kind
    + "TST-B,cercle,Cercle B,TST,,\n"  # line 4: good
    + "TST-B-C,commune,Commune C,TST-NOWHERE,,\n"  # line 5: missing parent
    + "TST-B-D,commune,Commune D,TST-B,2012-02-30,\n"  # line 6: bad date
    + "TST-B,cercle,Cercle B again,TST,,\n"  # line 7: duplicate code
)


def test_a_malformed_file_imports_nothing_and_reports_every_bad_line(app, seeded):
    before = unit_count(app)
    problems = import_problems(app, MALFORMED)
    assert sorted({line for line, _message in problems}) == [3, 5, 6, 7]
    text = dict(problems)
    assert "unknown kind “canton”" in text[3]
    assert text[5] == "Line 5: the parent TST-NOWHERE is neither in the file nor in the database."
    assert "YYYY-MM-DD" in text[6] and "2012-02-30" in text[6]
    assert "already used on line 4" in text[7]
    assert unit_count(app) == before
    with app.app_context():
        assert services.get_unit_by_code("TST") is None


def test_the_error_summary_counts_the_bad_lines(app):
    with app.app_context():
        with pytest.raises(services.GeoImportError) as caught:
            services.import_units(MALFORMED)
        assert caught.value.lines == [3, 5, 6, 7]
        assert str(caught.value) == "The file has problems on 4 lines; nothing was imported."


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("", 1, "must be the header"),
        ("code,kind,name\nGAO,region,Gao\n", 1, "lacks the columns parent_code"),
        (HEADER.replace("valid_to", "valid_until"), 1, "unknown columns “valid_until”"),
        (HEADER + "ZZ,region,Zed,,\n", 2, "has 5 values where the header has 6"),
        (HEADER + "ZZ,region,,,,\n", 2, "the name is missing"),
        (HEADER + "ZZ,region,Zed,GAO,,\n", 2, "a region has no parent"),
        (HEADER + "ZZ-A,cercle,A,,,\n", 2, "a cercle needs a parent_code"),
        (HEADER + "ZZ-A,commune,A,GAO,,\n", 2, "a commune must be under a cercle"),
        (HEADER + "gao gao,cercle,A,GAO,,\n", 2, "may only contain capital letters"),
        (HEADER + "ZZ-A,cercle,A,GAO,2012/01/01,\n", 2, "must be a date written YYYY-MM-DD"),
        (HEADER + "ZZ-A,cercle,A,GAO,2020-01-01,2019-12-31\n", 2, "is before valid_from"),
        (HEADER + "ZZ-NORTH,region,Zed,,,\n", 2, "region code ZZ-NORTH starts case references"),
        (HEADER + f"ZZ-A,cercle,{'x' * 121},GAO,,\n", 2, "longer than 120 characters"),
        (HEADER + f"ZZ-{'A' * 40},cercle,A,GAO,,\n", 2, "longer than 40 characters"),
    ],
)
def test_each_kind_of_problem_is_reported_with_its_line(app, seeded, text, line, expected):
    before = unit_count(app)
    problems = import_problems(app, text)
    assert any(found == line and expected in message for found, message in problems), problems
    assert unit_count(app) == before


def test_a_file_that_is_not_utf8_is_refused_with_its_line(app):
    problems = import_problems(
        app, (HEADER + "ZZ,region,Zed,,,\nZY,region,Caf\xe9,,,\n").encode("latin-1")
    )
    assert problems[0][0] == 3 and "not UTF-8" in problems[0][1]


def test_a_kind_change_that_would_strand_units_below_is_refused(app, seeded):
    problems = import_problems(app, HEADER + "GAO-GAO,commune,Gao,GAO-ANSONGO,,\n")
    assert problems[0][0] == 2 and "cannot become a commune" in problems[0][1]


# --- import: valid files --------------------------------------------------------------------


def test_a_valid_file_creates_units_whose_parents_come_later_or_are_known(app, seeded):
    text = (
        HEADER
        + "GAO-GAO-NTILLIT-TINAOUKER,village,Tin-Aouker,GAO-GAO-NTILLIT,,\n"  # parent in database
        + "NEW-A-B,commune,Commune B,NEW-A,,\n"  # parent later in the file
        + "NEW-A,cercle,Cercle A,NEW,,\n"
        + "NEW,region,Nouvelle région,,,\n"
    )
    before = unit_count(app)
    result = import_text(app, text)
    assert (result.created, result.updated) == (4, 0)
    assert unit_count(app) == before + 4
    with app.app_context():
        commune = unit("NEW-A-B")
        assert commune.parent.code == "NEW-A" and services.region_of(commune).code == "NEW"
        assert commune.path == f"{unit('NEW-A').path}{commune.id}/"
        village = unit("GAO-GAO-NTILLIT-TINAOUKER")
        assert village.path.startswith(unit("GAO").path)
        assert village.valid_from == date(2012, 1, 1) and village.valid_to is None


def test_a_valid_file_renames_and_moves_units_and_their_descendants_follow(app, seeded):
    with app.app_context():
        village_id = unit("GAO-GAO-GOUNZOUREYE-WABARIA").id
        before = unit_count(app)
    # Gounzoureye moves to the cercle of Ansongo and is renamed; its villages are not in
    # the file, yet their paths must follow.
    text = HEADER + "GAO-GAO-GOUNZOUREYE,commune,Gounzoureye-Wabaria,GAO-ANSONGO,,\n"
    result = import_text(app, text)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert unit_count(app) == before
    with app.app_context():
        commune = unit("GAO-GAO-GOUNZOUREYE")
        assert commune.name == "Gounzoureye-Wabaria"
        assert commune.name_search == "gounzoureye wabaria"
        assert commune.parent.code == "GAO-ANSONGO"
        assert commune.path == f"{unit('GAO-ANSONGO').path}{commune.id}/"
        village = db.session.get(AdminUnit, village_id)
        assert village.path == f"{commune.path}{village_id}/"
        ansongo = set(db.session.scalars(services.unit_ids_within(unit("GAO-ANSONGO"))))
        assert village_id in ansongo
        gao_cercle = set(db.session.scalars(services.unit_ids_within(unit("GAO-GAO"))))
        assert village_id not in gao_cercle
        assert services.search_units("gounzoureye wabaria")[0].code == "GAO-GAO-GOUNZOUREYE"


def test_a_check_only_import_changes_nothing(app, seeded):
    before = unit_count(app)
    text = HEADER + "NEW,region,New,,,\nGAO,region,Gao renamed,,,\nKDL,region,Kidal,,,\n"
    with app.app_context():
        result = services.import_units(text, dry_run=True)
        assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
        db.session.commit()
        assert unit("GAO").name == "Gao"
    assert unit_count(app) == before


def test_parse_accepts_a_bom_semicolons_lower_case_codes_and_blank_lines(app):
    text = (
        "\ufeffcode;kind;name;parent_code\r\nzz;Region;  Zed   Land ;\r\n\r\nZZ-A;cercle;A;zz\r\n"
    )
    rows = services.parse_units_csv(text.encode("utf-8"))
    assert [(r.line, r.code, r.kind, r.name, r.parent_code) for r in rows] == [
        (2, "ZZ", "region", "Zed Land", None),
        (4, "ZZ-A", "cercle", "A", "ZZ"),
    ]
    assert rows[0].valid_from == date(2012, 1, 1) and rows[0].valid_to is None
    result = import_text(app, text)
    assert result.created == 2


def test_dated_validity_is_respected(app, seeded):
    text = (
        HEADER
        + "OLD,region,Ancienne région,,2012-01-01,2015-12-31\n"
        + "OLD-A,cercle,Ancien cercle,OLD,2012-01-01,2015-12-31\n"
        + "FUT,region,Future région,,2999-01-01,\n"
    )
    import_text(app, text)
    with app.app_context():
        old = unit("OLD")
        assert old.valid_to == date(2015, 12, 31)
        assert services.search_units("ancienne") == []
        assert services.search_units("future") == []
        assert [u.code for u in services.search_units("ancien", on=date(2014, 6, 1))] == [
            "OLD",
            "OLD-A",
        ]
        today_regions = {label for _id, label in services.choices(kinds=["region"])}
        assert "Ancienne région" not in today_regions and "Future région" not in today_regions
        then = {label for _id, label in services.choices(kinds=["region"], on=date(2013, 1, 1))}
        assert "Ancienne région" in then
        # Still in the tree, for the records made while it was in force.
        assert old in services.children_of(None)


def test_rows_given_directly_are_checked_the_same_way(app, seeded):
    rows = [
        services.UnitRow(2, "ZZ-A", "cercle", "A", "ZZ"),
        services.UnitRow(3, "ZZ-A", "cercle", "A again", "GAO"),
        services.UnitRow(4, "ZZ-B", "canton", "B", "GAO"),
    ]
    with app.app_context():
        with pytest.raises(services.GeoImportError) as caught:
            services.import_units(rows)
        assert caught.value.lines == [2, 3, 4]
        good = services.parse_units_csv(HEADER + "ZZ-A,cercle,A,GAO,,\n")
        assert services.import_units(good).created == 1
        assert unit("ZZ-A").parent.code == "GAO"


def test_sites_are_added_with_checked_coordinates(app, seeded):
    with app.app_context():
        commune = unit("GAO-GAO-NTILLIT")
        site = services.add_site(
            commune, kind="well", name="Puits de N'Tillit", latitude=16.2, longitude=0.4
        )
        assert site.id and site.unit_id == commune.id
        for bad in (
            {"kind": "castle", "name": "X"},
            {"kind": "well", "name": " "},
            {"kind": "well", "name": "X", "latitude": 91, "longitude": 0},
            {"kind": "well", "name": "X", "latitude": 16.2},
        ):
            with pytest.raises(services.GeoError):
                services.add_site(commune, **bad)


# --- command line ---------------------------------------------------------------------------


def test_cli_seed_is_idempotent_and_list_shows_the_regions(app, runner):
    first = runner.invoke(cli, ["geo", "seed"])
    assert first.exit_code == 0, first.output
    assert "Created" in first.output and unit_count(app) > 0
    again = runner.invoke(cli, ["geo", "seed"])
    assert "Created 0, updated 0" in again.output
    listing = runner.invoke(cli, ["geo", "list", "--kind", "region"])
    assert listing.exit_code == 0
    lines = listing.output.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["GAO", "KDL", "MNK", "MPT", "TDN", "TBK"]
    assert "Ménaka" in listing.output
    everything = runner.invoke(cli, ["geo", "list"])
    assert "GAO-GAO-NTILLIT\tcommune\t2012-01-01\t-\tN'Tillit (Gao, Gao)" in everything.output


def test_cli_import_creates_and_commits(app, runner, seeded, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "GAO-GAO-NTILLIT-INTAHAKA,village,Intahaka,GAO-GAO-NTILLIT,,\n")
    result = runner.invoke(cli, ["geo", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Created 1, updated 0" in result.output
    with app.app_context():
        assert unit("GAO-GAO-NTILLIT-INTAHAKA").name == "Intahaka"


def test_cli_import_reports_every_bad_line_and_imports_nothing(app, runner, seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(MALFORMED, encoding="utf-8")
    before = unit_count(app)
    result = runner.invoke(cli, ["geo", "import", str(path)])
    assert result.exit_code != 0
    for line in (3, 5, 6, 7):
        assert f"Line {line}:" in result.output
    assert "Line 2:" not in result.output and "Line 4:" not in result.output
    assert "nothing was imported" in result.output
    assert unit_count(app) == before


def test_cli_import_dry_run(app, runner, seeded, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "NEW,region,New,,,\n")
    result = runner.invoke(cli, ["geo", "import", "--dry-run", str(path)])
    assert result.exit_code == 0 and "Would create 1" in result.output
    with app.app_context():
        assert services.get_unit_by_code("NEW") is None


# --- screens --------------------------------------------------------------------------------


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_signed_in_users_browse_the_tree(app, client, make_user, login, seeded):
    login(make_user("mediator"))
    regions = client.get("/geo/units", headers=EN)
    assert regions.status_code == 200
    text = page(regions)
    assert "Regions" in text and "Ménaka" in text and "Import units" not in text
    with app.app_context():
        gao_id, cercle_id = unit("GAO").id, unit("GAO-GAO").id
    gao = page(client.get(f"/geo/units?parent={gao_id}", headers=EN))
    assert "Units in Gao" in gao and "Ansongo" in gao and "Kidal" not in gao
    cercle = page(client.get(f"/geo/units?parent={cercle_id}", headers=EN))
    assert "N'Tillit" in cercle and "All regions" in cercle
    for bad in ("999999", "abc", ""):
        assert client.get(f"/geo/units?parent={bad}", headers=EN).status_code == 404


def test_the_tree_search_box(client, make_user, login, seeded):
    login(make_user("police"))
    found = page(client.get("/geo/units?q=ntillit", headers=EN))
    assert "Search results" in found and "N'Tillit (Gao, Gao)" in found
    missing = page(client.get("/geo/units?q=nowhereville", headers=EN))
    assert "No unit in force matches “nowhereville”" in missing


def test_only_admins_may_import(client, make_user, login):
    login(make_user("mediator"))
    assert client.get("/geo/import", headers=EN).status_code == 403
    refused = post_form(
        client,
        "/geo/import",
        {"file": (io.BytesIO(HEADER.encode()), "units.csv")},
        page="/geo/units",
        headers=EN,
    )
    assert refused.status_code == 403


def upload(client, text: str, filename: str = "units.csv", **extra):
    data = {"file": (io.BytesIO(text.encode("utf-8")), filename), **extra}
    return post_form(client, "/geo/import", data, headers=EN)


def test_an_admin_imports_a_file(app, client, admin, seeded):
    form = client.get("/geo/import", headers=EN)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.get_data(as_text=True)
    assert "Import units" in page(form)
    text = HEADER + "GAO-GAO-NTILLIT-INTAHAKA,village,Intahaka,GAO-GAO-NTILLIT,,\n"
    text += "GAO-GAO,cercle,Gao (cercle),GAO,,\n"
    response = upload(client, text)
    assert response.status_code == 302 and response.headers["Location"] == "/geo/units"
    shown = page(client.get("/geo/units", headers=EN))
    assert "Units imported: 1 created, 1 updated, 0 unchanged." in shown
    with app.app_context():
        assert unit("GAO-GAO").name == "Gao (cercle)"
        assert unit("GAO-GAO-NTILLIT-INTAHAKA").parent.code == "GAO-GAO-NTILLIT"


def test_a_bad_upload_shows_each_line_and_changes_nothing(app, client, admin, seeded):
    before = unit_count(app)
    response = upload(client, MALFORMED)
    assert response.status_code == 400
    text = page(response)
    assert "The file has problems on 4 lines; nothing was imported." in text
    for line in (3, 5, 6, 7):
        assert f"Line {line}:" in text
    assert "Line 5: the parent TST-NOWHERE is neither in the file nor in the database." in text
    assert unit_count(app) == before


def test_an_upload_can_only_be_checked(app, client, admin, seeded):
    before = unit_count(app)
    response = upload(client, HEADER + "NEW,region,New,,,\n", check_only="Only check the file")
    assert response.status_code == 302
    shown = page(client.get(response.headers["Location"], headers=EN))
    assert "The file is valid. Importing it would give: 1 created, 0 updated" in shown
    assert unit_count(app) == before


def test_an_upload_must_be_a_csv_file(client, admin):
    missing = post_form(client, "/geo/import", {}, headers=EN)
    assert missing.status_code == 400 and "Choose a CSV file." in page(missing)
    wrong = upload(client, "not a spreadsheet", filename="units.xlsx")
    assert wrong.status_code == 400 and "The file must be a CSV file (.csv)." in page(wrong)


def test_geo_pages_have_no_inline_script_or_style(client, admin, seeded):
    for path in ("/geo/units", "/geo/units?q=gao", "/geo/import"):
        text = OWN_SCRIPT.sub("", client.get(path, headers=EN).get_data(as_text=True))
        assert "<script" not in text and " style=" not in text  # the app's one script aside
        assert 'class="stack"' in text
