"""Controlled vocabularies: seeding, look-ups, administration; terms are never deleted."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from casework.cli import cli
from casework.extensions import db
from casework.vocab import services
from casework.vocab.models import Term
from tests.conftest import fetch_one, post_form, query

# Counted in DOMAIN.md §5, plus the three lists the records need.
EXPECTED_COUNTS = {
    "conflict_type": 22,
    "scope": 5,
    "actor_type": 26,
    "resolution_mechanism": 14,
    "outcome": 7,
    "referral_target": 18,
    "activity_type": 15,
    "alert_category": 9,
    "reporting_channel": 8,
    "livelihood": 9,
    "session_place": 7,
    "alert_source": 9,
    "fraction_group": 5,
    "country": 8,
}
TOTAL = 162
MANDATORY_REFERRAL = {"BANDITISME", "TRAFIC", "GROUPE_ARME", "VBG"}


@pytest.fixture
def vocab_seed(app):
    with app.app_context():
        result = services.seed_vocabularies()
        db.session.commit()
    return result


@pytest.fixture
def english(client):
    """Pages in English (the admin has no preferred language; the browser asks for English)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def no_usage_checks(monkeypatch):
    """Start from no registered usage checks, and leave the real list as it was."""
    monkeypatch.setattr(services, "_usage_checks", [])


def term_row(app, vocabulary: str, code: str) -> Term | None:
    return fetch_one(app, sa.select(Term).where(Term.vocabulary == vocabulary, Term.code == code))


def term_count(app) -> int:
    return query(app, sa.select(sa.func.count(Term.id))).scalar_one()


def all_rows(app) -> list[tuple]:
    rows = query(
        app,
        sa.select(
            Term.vocabulary,
            Term.code,
            Term.labels,
            Term.mandatory_referral,
            Term.sort_order,
            Term.is_active,
        ).order_by(Term.vocabulary, Term.code),
    )
    return [tuple(row) for row in rows]


def in_app(app, action):
    """Run ``action`` in a fresh app context (a fresh per-request cache), as a request would."""
    with app.app_context():
        return action()


# --- the data file and seeding -------------------------------------------------------------


def test_the_data_file_holds_every_known_vocabulary_with_valid_codes_and_both_labels():
    data = json.loads(services.DATA_FILE.read_text(encoding="utf-8"))
    assert list(data) == list(services.VOCABULARIES)
    for name, spec in data.items():
        assert spec["title"]["fr"] and spec["title"]["en"], name
        codes = [item["code"] for item in spec["terms"]]
        assert len(codes) == len(set(codes)), name
        for item in spec["terms"]:
            assert services.CODE_RE.match(item["code"]), item
            assert item["fr"] and item["en"], item
            assert len(item["fr"]) <= services.LABEL_MAX and len(item["en"]) <= services.LABEL_MAX
            if item.get("mandatory_referral"):
                assert name == "conflict_type", item


def test_seeding_loads_every_term_of_every_vocabulary(app, vocab_seed):
    assert vocab_seed.created == sum(EXPECTED_COUNTS.values()) == TOTAL
    assert vocab_seed.updated_labels == 0
    counts = dict(
        query(
            app, sa.select(Term.vocabulary, sa.func.count(Term.id)).group_by(Term.vocabulary)
        ).all()
    )
    assert counts == EXPECTED_COUNTS


def test_seeded_terms_keep_the_order_of_the_file(app, vocab_seed):
    data = services.seed_data()
    for name, spec in data.items():
        expected = [item["code"] for item in spec["terms"]]
        assert [code for code, _label in in_app(app, lambda n=name: services.choices(n))] == (
            expected
        )
    assert term_row(app, "conflict_type", "FONCIER").sort_order == 0
    assert term_row(app, "conflict_type", "VBG").sort_order == 16


def test_only_the_starred_conflict_types_require_referral(app, vocab_seed):
    assert in_app(app, services.mandatory_referral_codes) == MANDATORY_REFERRAL
    flagged = query(
        app, sa.select(Term.vocabulary, Term.code).where(Term.mandatory_referral.is_(True))
    )
    assert {(vocabulary, code) for vocabulary, code in flagged} == {
        ("conflict_type", code) for code in MANDATORY_REFERRAL
    }


@pytest.mark.parametrize(
    ("vocabulary", "code", "fr", "en"),
    [
        ("conflict_type", "FONCIER", "litige foncier", "land dispute"),
        (
            "conflict_type",
            "TRAFIC",
            "trafic (drogue, armes, cigarettes, véhicules)",
            "trafficking (drugs, weapons, cigarettes, vehicles)",
        ),
        ("scope", "COMMUNAUTE_ETAT", "communauté–État", "community and state"),
        ("actor_type", "CONSEILLER", "conseiller du chef", "chief's counsellor"),
        ("actor_type", "CADI", "cadi", "cadi (Islamic judge)"),
        (
            "resolution_mechanism",
            "COMPENSATION",
            "dédommagement, diya",
            "compensation, blood money",
        ),
        ("outcome", "REGLE_AUTRE_INSTANCE", "réglé par une autre instance", "settled elsewhere"),
        ("referral_target", "SOUS_PREFET", "sous-préfet", "sub-prefect"),
        ("referral_target", "GARDE_NATIONALE", "garde nationale", "national guard"),
        ("referral_target", "JPCE", "justice de paix à compétence étendue", "justice of the peace"),
        ("activity_type", "TRANSMISSION_ALERTE", "transmission d'alerte", "alert forwarded"),
        ("alert_category", "MOUVEMENT_ARME", "mouvement d'hommes armés", "armed movement"),
        ("reporting_channel", "FDS", "forces de défense et de sécurité", "security forces"),
        ("livelihood", "AGRO_PASTEUR", "agro-pasteur", "agro-pastoralist"),
        ("session_place", "ARBRE_PALABRE", "arbre à palabre", "palaver tree"),
    ],
)
def test_labels_follow_the_locale(app, vocab_seed, vocabulary, code, fr, en):
    with app.app_context():
        with force_locale("fr"):
            assert services.label(vocabulary, code) == fr
            assert (code, fr) in services.choices(vocabulary)
        with force_locale("en"):
            assert services.label(vocabulary, code) == en
            assert (code, en) in services.choices(vocabulary)
        assert services.label(vocabulary, code, "fr") == fr


def test_label_falls_back_to_the_code(app, vocab_seed):
    with app.app_context():
        assert services.label("conflict_type", "NO_SUCH_CODE") == "NO_SUCH_CODE"
        assert services.label("no_such_vocabulary", "FONCIER") == "FONCIER"
        assert services.label("conflict_type", None) == ""
        assert not services.is_valid("conflict_type", "NO_SUCH_CODE")
        assert not services.is_valid("no_such_vocabulary", "FONCIER")
        assert services.is_valid("conflict_type", "FONCIER")


def test_seeding_twice_changes_nothing(app, vocab_seed):
    before = all_rows(app)
    with app.app_context():
        again = services.seed_vocabularies()
        db.session.commit()
    assert (again.created, again.updated_labels) == (0, 0)
    assert all_rows(app) == before


def test_seeding_never_overwrites_an_admins_edits_and_only_fills_missing_labels(app, vocab_seed):
    with app.app_context():
        services.edit_labels(
            db.session.scalars(sa.select(Term).filter_by(code="FONCIER")).one(),
            {"fr": "litige sur la terre", "en": "land conflict"},
        )
        services.set_active(
            db.session.scalars(
                sa.select(Term).filter_by(vocabulary="conflict_type", code="VOL_BETAIL")
            ).one(),
            False,
        )
        partial = db.session.scalars(
            sa.select(Term).filter_by(vocabulary="scope", code="TRANSFRONTALIER")
        ).one()
        partial.labels = {"fr": "au-delà de la frontière"}
        db.session.delete(  # a term lost by accident is restored (this test bypasses services)
            db.session.scalars(sa.select(Term).filter_by(vocabulary="outcome", code="ECHEC")).one()
        )
        db.session.commit()
        result = services.seed_vocabularies()
        db.session.commit()
    assert (result.created, result.updated_labels) == (1, 1)
    assert term_row(app, "conflict_type", "FONCIER").labels == {
        "fr": "litige sur la terre",
        "en": "land conflict",
    }
    assert not term_row(app, "conflict_type", "VOL_BETAIL").is_active
    assert term_row(app, "scope", "TRANSFRONTALIER").labels == {
        "fr": "au-delà de la frontière",
        "en": "cross-border",
    }
    assert term_row(app, "outcome", "ECHEC").labels == {"fr": "échec", "en": "no agreement"}


def test_lookups_cost_one_query_per_vocabulary_then_none(app, vocab_seed):
    """At most one query per vocabulary in a request, besides the data versions read once
    (casework/core/versions.py); none in the next request, the process keeping them."""

    def lookups() -> list[str]:
        statements = []

        def count(_connection, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        with app.test_request_context(headers={"Accept-Language": "en"}):
            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                for _ in range(50):
                    services.label("conflict_type", "FONCIER")
                    services.label("scope", "INTRA_FAMILIAL")
                    services.is_valid("conflict_type", "VBG")
                services.choices("conflict_type")
                services.mandatory_referral_codes()
                services.terms("scope")
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            assert services.label("conflict_type", "FONCIER") == "land dispute"
        return statements

    first = lookups()
    assert len(first) == 3, first
    assert "data_versions" in first[0]
    second = lookups()
    assert len(second) == 2, second  # the versions, and the ORM rows that terms() returns
    assert "data_versions" in second[0]


def test_a_rolled_back_term_does_not_linger_in_the_request_cache(app, vocab_seed):
    with app.app_context():
        services.add_term("scope", "REGIONAL", {"fr": "régional", "en": "regional"})
        assert services.is_valid("scope", "REGIONAL")
        db.session.rollback()
        assert not services.is_valid("scope", "REGIONAL")
        assert services.label("scope", "REGIONAL") == "REGIONAL"


# --- services -----------------------------------------------------------------------------


def test_add_term_goes_to_the_end_of_its_vocabulary(app, vocab_seed):
    with app.app_context():
        term = services.add_term(
            "conflict_type",
            "ENLEVEMENT",
            {"fr": " enlèvement ", "en": "kidnapping"},
            mandatory_referral=True,
        )
        db.session.commit()
        assert term.sort_order == 22
        assert term.labels == {"fr": "enlèvement", "en": "kidnapping"}
        assert "ENLEVEMENT" in services.mandatory_referral_codes()
        assert services.choices("conflict_type", "en")[-1] == ("ENLEVEMENT", "kidnapping")


@pytest.mark.parametrize(
    ("vocabulary", "code", "labels", "flag", "message"),
    [
        ("no_such", "ABC", {"fr": "a", "en": "b"}, False, "Unknown vocabulary: no_such."),
        ("scope", "abc", {"fr": "a", "en": "b"}, False, "A code has 2 to 40 characters"),
        ("scope", "A", {"fr": "a", "en": "b"}, False, "A code has 2 to 40 characters"),
        ("scope", "A" * 41, {"fr": "a", "en": "b"}, False, "A code has 2 to 40 characters"),
        ("scope", "1ABC", {"fr": "a", "en": "b"}, False, "starting with a letter"),
        ("scope", "AB-C", {"fr": "a", "en": "b"}, False, "A code has 2 to 40 characters"),
        ("scope", "INTERCOMMUNAUTAIRE", {"fr": "a", "en": "b"}, False, "already used"),
        ("scope", "NOUVEAU", {"fr": "", "en": "b"}, False, "The French label is required."),
        ("scope", "NOUVEAU", {"fr": "a", "en": "  "}, False, "The English label is required."),
        ("scope", "NOUVEAU", {"fr": "a" * 121, "en": "b"}, False, "at most 120 characters"),
        ("scope", "NOUVEAU", {"fr": "a", "en": "b", "xx": "c"}, False, "Labels can only be"),
        ("scope", "NOUVEAU", {"fr": "a", "en": "b"}, True, "Only a conflict type"),
    ],
)
def test_add_term_refuses_bad_input(app, vocab_seed, vocabulary, code, labels, flag, message):
    before = term_count(app)
    with app.app_context(), force_locale("en"):
        with pytest.raises(services.VocabularyError) as caught:
            services.add_term(vocabulary, code, labels, mandatory_referral=flag)
        assert message in str(caught.value)
        db.session.rollback()
    assert term_count(app) == before


def test_the_same_code_may_exist_in_two_vocabularies(app, vocab_seed):
    # VOL_BETAIL is both a conflict type and an alert category; codes are per vocabulary.
    assert term_row(app, "conflict_type", "VOL_BETAIL") is not None
    assert term_row(app, "alert_category", "VOL_BETAIL") is not None


def test_edit_labels_keeps_the_code_and_refuses_bad_labels(app, vocab_seed):
    with app.app_context():
        term = db.session.scalars(sa.select(Term).filter_by(code="VBG")).one()
        services.edit_labels(term, {"fr": "violences basées sur le genre", "en": "GBV"}, False)
        db.session.commit()
        with pytest.raises(services.VocabularyError), force_locale("en"):
            services.edit_labels(term, {"fr": "x" * 100_000, "en": "GBV"})
        db.session.rollback()
    row = term_row(app, "conflict_type", "VBG")
    assert row.labels == {"fr": "violences basées sur le genre", "en": "GBV"}
    assert not row.mandatory_referral


def test_usage_checks_add_up_and_register_once(app, vocab_seed, no_usage_checks):
    def cases(vocabulary, code):
        return 3 if (vocabulary, code) == ("conflict_type", "FONCIER") else 0

    def alerts(vocabulary, code):
        return 2 if code == "FONCIER" else 0

    assert services.register_usage_check(cases) is cases
    services.register_usage_check(cases)
    services.register_usage_check(alerts)
    with app.app_context():
        assert services.usage_count("conflict_type", "FONCIER") == 5
        assert services.usage_count("conflict_type", "VBG") == 0
        counts = services.usage_counts("conflict_type")
    assert counts["FONCIER"] == 5 and counts["VBG"] == 0 and len(counts) == 22


# --- administration screens ---------------------------------------------------------------


def test_the_admin_sees_every_vocabulary_with_its_title_and_count(app, english, admin, vocab_seed):
    html = english.get("/admin/vocabularies").get_data(as_text=True)
    for name, title in services.VOCABULARIES.items():
        assert f'href="/admin/vocabularies/{name}"' in html
        with app.test_request_context(headers={"Accept-Language": "en"}):
            assert str(title) in html
    assert "Community-police activity" in html and '<td data-label="Terms">26</td>' in html


def test_the_term_list_shows_labels_flags_status_and_usage(
    app, english, admin, vocab_seed, no_usage_checks
):
    services.register_usage_check(lambda vocabulary, code: 4 if code == "FONCIER" else 0)
    response = english.get("/admin/vocabularies/conflict_type")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Conflict type" in html
    assert "litige foncier" in html and "land dispute" in html
    assert "★ yes" in html and "Mandatory referral" in html
    assert "4 records" in html and "0 records" in html
    assert html.count("/deactivate") == 22
    # Vocabularies other than conflict types have no ★ column.
    html = english.get("/admin/vocabularies/scope").get_data(as_text=True)
    assert "Mandatory referral" not in html and "within a family" in html


def test_admin_adds_edits_deactivates_and_reactivates_a_term(app, english, admin, vocab_seed):
    response = post_form(
        english,
        "/admin/vocabularies/conflict_type/new",
        {
            "code": "ENLEVEMENT",
            "label_fr": "enlèvement",
            "label_en": "kidnapping",
            "mandatory_referral": "y",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/vocabularies/conflict_type"
    assert "Term ENLEVEMENT added." in english.get(response.headers["Location"]).get_data(
        as_text=True
    )
    term = term_row(app, "conflict_type", "ENLEVEMENT")
    assert term.labels == {"fr": "enlèvement", "en": "kidnapping"}
    assert term.mandatory_referral and term.is_active and term.sort_order == 22

    edit = f"/admin/vocabularies/conflict_type/{term.id}/edit"
    page = english.get(edit).get_data(as_text=True)
    assert "ENLEVEMENT" in page and 'name="code"' not in page and 'value="kidnapping"' in page
    response = post_form(
        english,
        edit,
        # A code sent anyway is ignored: it can never change.
        {"code": "RAPT", "label_fr": "enlèvement, rapt", "label_en": "abduction"},
    )
    assert response.status_code == 302
    term = term_row(app, "conflict_type", "ENLEVEMENT")
    assert term.labels == {"fr": "enlèvement, rapt", "en": "abduction"}
    assert not term.mandatory_referral  # the box was left unticked
    assert term_row(app, "conflict_type", "RAPT") is None

    response = post_form(
        english,
        f"/admin/vocabularies/conflict_type/{term.id}/deactivate",
        page="/admin/vocabularies/conflict_type",
    )
    assert response.status_code == 302
    html = english.get("/admin/vocabularies/conflict_type").get_data(as_text=True)
    assert "Term ENLEVEMENT deactivated" in html and "Reactivate" in html
    with app.app_context():
        assert "ENLEVEMENT" not in dict(services.choices("conflict_type"))
        assert not services.is_valid("conflict_type", "ENLEVEMENT")
        assert services.is_valid("conflict_type", "ENLEVEMENT", allow_inactive=True)
        assert services.label("conflict_type", "ENLEVEMENT", "en") == "abduction"
        kept = services.choices("conflict_type", "en", include="ENLEVEMENT")
        assert ("ENLEVEMENT", "abduction") in kept and len(kept) == 23
        assert "ENLEVEMENT" not in [t.code for t in services.terms("conflict_type")]
    assert term_row(app, "conflict_type", "ENLEVEMENT") is not None  # still there

    response = post_form(
        english,
        f"/admin/vocabularies/conflict_type/{term.id}/activate",
        page="/admin/vocabularies/conflict_type",
    )
    assert response.status_code == 302
    assert term_row(app, "conflict_type", "ENLEVEMENT").is_active
    with app.app_context():
        assert ("ENLEVEMENT", "abduction") in services.choices("conflict_type", "en")


def test_the_referral_flag_exists_only_for_conflict_types(app, english, admin, vocab_seed):
    assert 'name="mandatory_referral"' in english.get(
        "/admin/vocabularies/conflict_type/new"
    ).get_data(as_text=True)
    assert 'name="mandatory_referral"' not in english.get("/admin/vocabularies/scope/new").get_data(
        as_text=True
    )
    response = post_form(
        english,
        "/admin/vocabularies/scope/new",
        {
            "code": "REGIONAL",
            "label_fr": "régional",
            "label_en": "regional",
            "mandatory_referral": "y",
        },
    )
    assert response.status_code == 302
    assert not term_row(app, "scope", "REGIONAL").mandatory_referral


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "enlevement"}, "A code has 2 to 40 characters"),
        ({"code": "E" * 41}, "At most 40 characters."),
        ({"code": "FONCIER"}, "The code FONCIER is already used in this vocabulary."),
        ({"code": ""}, "This field is required."),
        ({"label_fr": ""}, "This field is required."),
        ({"label_fr": "   "}, "This field is required."),
        ({"label_en": "x" * 100_000}, "At most 120 characters."),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    app, english, admin, vocab_seed, data, message
):
    before = all_rows(app)
    form = {"code": "ENLEVEMENT", "label_fr": "enlèvement", "label_en": "kidnapping"} | data
    response = post_form(english, "/admin/vocabularies/conflict_type/new", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert all_rows(app) == before


def test_a_bad_edit_gets_a_clear_error_and_changes_nothing(app, english, admin, vocab_seed):
    term = term_row(app, "scope", "INTRA_FAMILIAL")
    before = all_rows(app)
    response = post_form(
        english,
        f"/admin/vocabularies/scope/{term.id}/edit",
        {"label_fr": "x" * 100_000, "label_en": "family"},
    )
    assert response.status_code == 400
    assert "At most 120 characters." in response.get_data(as_text=True)
    response = post_form(
        english, f"/admin/vocabularies/scope/{term.id}/edit", {"label_fr": "", "label_en": "x"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    assert all_rows(app) == before


def test_unknown_vocabularies_and_terms_are_404(app, english, admin, vocab_seed):
    foncier = term_row(app, "conflict_type", "FONCIER")
    assert english.get("/admin/vocabularies/no_such").status_code == 404
    assert english.get("/admin/vocabularies/no_such/new").status_code == 404
    assert english.get(f"/admin/vocabularies/no_such/{foncier.id}/edit").status_code == 404
    # A term reached through another vocabulary's address does not exist there.
    assert english.get(f"/admin/vocabularies/scope/{foncier.id}/edit").status_code == 404
    assert english.get("/admin/vocabularies/scope/987654/edit").status_code == 404
    response = post_form(
        english, f"/admin/vocabularies/scope/{foncier.id}/deactivate", page="/admin/vocabularies"
    )
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert term_row(app, "conflict_type", "FONCIER").is_active


def test_deactivation_needs_the_csrf_token(app, english, admin, vocab_seed):
    term = term_row(app, "scope", "INTRA_FAMILIAL")
    response = english.post(f"/admin/vocabularies/scope/{term.id}/deactivate")
    assert response.status_code == 400
    assert term_row(app, "scope", "INTRA_FAMILIAL").is_active


@pytest.mark.parametrize("role", ["coordinator", "mediator", "police", "analyst"])
def test_only_admins_reach_vocabulary_administration(
    app, english, make_user, login, vocab_seed, role
):
    term = term_row(app, "scope", "INTRA_FAMILIAL")
    login(make_user(role))
    assert english.get("/admin/vocabularies").status_code == 403
    assert english.get("/admin/vocabularies/scope").status_code == 403
    assert english.get("/admin/vocabularies/scope/new").status_code == 403
    assert english.get(f"/admin/vocabularies/scope/{term.id}/edit").status_code == 403
    response = post_form(english, f"/admin/vocabularies/scope/{term.id}/deactivate", page="/")
    assert response.status_code == 403
    assert "Access denied" in response.get_data(as_text=True)
    response = post_form(
        english,
        "/admin/vocabularies/scope/new",
        {"code": "REGIONAL", "label_fr": "régional", "label_en": "regional"},
        page="/",
    )
    assert response.status_code == 403
    assert term_row(app, "scope", "INTRA_FAMILIAL").is_active
    assert term_row(app, "scope", "REGIONAL") is None


def test_signed_out_visitors_are_sent_to_sign_in(english, vocab_seed):
    response = english.get("/admin/vocabularies/scope")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_no_route_deletes_a_term(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("vocab.")]
    assert {rule.endpoint for rule in rules} == {
        "vocab.list_vocabularies",
        "vocab.list_terms",
        "vocab.add_term",
        "vocab.edit_term",
        "vocab.deactivate_term",
        "vocab.activate_term",
    }
    for rule in rules:
        assert "delete" not in rule.endpoint and "delete" not in rule.rule
        assert "DELETE" not in rule.methods
    assert not hasattr(services, "delete_term")


# --- command line -------------------------------------------------------------------------


def test_the_seed_command_is_idempotent_and_lists_terms(app, runner):
    result = runner.invoke(cli, ["vocab", "seed"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{TOTAL} terms created" in result.output
    result = runner.invoke(cli, ["vocab", "seed"], catch_exceptions=False)
    assert "0 terms created, 0 terms given a missing label" in result.output
    assert term_count(app) == TOTAL

    result = runner.invoke(cli, ["vocab", "list"], catch_exceptions=False)
    assert "conflict_type\t22 terms\t0 inactive" in result.output
    assert "session_place\t7 terms" in result.output
    result = runner.invoke(cli, ["vocab", "list", "conflict_type"], catch_exceptions=False)
    lines = result.output.splitlines()
    assert lines[0] == "FONCIER\tactive\tlitige foncier\tland dispute"
    assert "VBG\tactive,mandatory-referral\tviolence basée sur le genre\tgender-based violence" in (
        lines
    )
    result = runner.invoke(cli, ["vocab", "list", "no_such"])
    assert result.exit_code == 2
