"""Two languages: choice of language, complete catalogues, locale formatting."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel import support
from babel.messages.pofile import read_po
from flask_babel import force_locale, format_date, format_datetime, format_decimal

from casework.auth.models import User
from casework.core.forms import KeptTranslations
from casework.i18n import format_fcfa
from tests.conftest import post_form, query

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "casework" / "translations"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


# --- choosing the language ------------------------------------------------------------------


def test_french_by_default(client):
    response = client.get("/login")
    assert html_lang(response) == "fr"
    assert "Se connecter" in response.get_data(as_text=True)


def test_the_browser_language_is_honoured(client):
    response = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(response) == "en"
    assert "Sign in" in response.get_data(as_text=True)


def test_an_unsupported_browser_language_falls_back_to_french(client):
    response = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert html_lang(response) == "fr"


def test_the_switch_on_the_sign_in_page_beats_the_browser(client):
    response = post_form(client, "/language", {"lang": "en", "next": "/login"}, page="/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "fr"})
    assert html_lang(page) == "en"
    back = post_form(client, "/language", {"lang": "fr", "next": "/login"}, page="/login")
    assert back.status_code == 302
    assert html_lang(client.get("/login", headers={"Accept-Language": "en"})) == "fr"


def test_the_saved_preference_beats_the_switch_and_the_browser(client, make_user, login):
    user = make_user("mediator", lang="en")
    post_form(client, "/language", {"lang": "fr", "next": "/login"}, page="/login")
    login(user)
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"})) == "en"


def test_switching_while_signed_in_saves_the_preference(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    post_form(client, "/language", {"lang": "en", "next": "/"}, page="/")
    saved = query(app, sa.select(User.preferred_language).where(User.id == user.id)).scalar_one()
    assert saved == "en"
    other_device = app.test_client()
    post_form(other_device, "/login", {"username": user.username, "password": user.password})
    assert html_lang(other_device.get("/", headers={"Accept-Language": "fr"})) == "en"


def test_the_language_choice_survives_sign_in_and_sign_out(client, make_user, login):
    user = make_user("mediator")
    post_form(client, "/language", {"lang": "en", "next": "/login"}, page="/login")
    login(user)
    assert html_lang(client.get("/")) == "en"
    post_form(client, "/logout", page="/")
    assert html_lang(client.get("/login")) == "en"


@pytest.mark.parametrize("code", ["xx", "fr_FR<script>", "", "e" * 50, "../../etc"])
def test_a_malformed_language_code_is_refused_and_changes_nothing(client, code):
    response = post_form(client, "/language", {"lang": code, "next": "/login"}, page="/login")
    assert response.status_code == 400
    assert "Cette langue n&#39;est pas disponible." in response.get_data(as_text=True)
    assert html_lang(client.get("/login")) == "fr"


def test_the_switch_never_redirects_to_another_host(client):
    response = post_form(
        client, "/language", {"lang": "en", "next": "https://evil.example/"}, page="/login"
    )
    assert response.headers["Location"] == "/"


# --- every page in both languages -----------------------------------------------------------

PAGES = [
    # path, French text, English text
    ("/", "Bienvenue", "Welcome"),
    ("/admin/users", "Comptes utilisateurs", "User accounts"),
    ("/admin/users/new", "Nouvel utilisateur", "New user"),
    ("/admin/users/{id}/edit", "Rôle", "Role"),
    ("/account/password", "Changer mon mot de passe", "Change my password"),
    ("/no-such-page", "Page introuvable", "Page not found"),
]


@pytest.mark.parametrize(("path", "french", "english"), PAGES)
def test_each_page_in_both_languages(client, admin, path, french, english):
    path = path.format(id=admin.id)
    for lang, text in (("fr", french), ("en", english)):
        post_form(client, "/language", {"lang": lang, "next": "/"}, page="/")
        response = client.get(path)
        assert html_lang(response) == lang, path
        assert text in response.get_data(as_text=True), (path, lang)


def test_the_sign_in_page_in_both_languages(client):
    for lang, text in (("fr", "Mot de passe"), ("en", "Password")):
        post_form(client, "/language", {"lang": lang, "next": "/login"}, page="/login")
        response = client.get("/login")
        assert html_lang(response) == lang
        assert text in response.get_data(as_text=True)


def test_the_error_page_in_json_is_translated_too(client):
    response = client.get(
        "/nowhere", headers={"Accept": "application/json", "Accept-Language": "en"}
    )
    assert response.status_code == 404
    assert response.json["error"] == "Page not found"


# --- formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "message"),
    [("fr", "Saisissez un nombre entier."), ("en", "Enter a whole number.")],
)
def test_a_form_reads_wtforms_messages_once_and_says_what_is_wrong_in_the_users_language(
    client, seeded, make_user, login, monkeypatch, lang, message
):
    """Every form (not only the case list's filters) takes WTForms' messages from the
    catalogue kept per language (casework/core/forms.py ``AppForm``), read once; and a
    number typed in words is "not a whole number", not "required"."""
    loads = []
    load = support.Translations.load

    def counted(*args, **kwargs):
        if kwargs.get("domain") == "wtforms":
            loads.append(args)
        return load(*args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", counted)
    monkeypatch.setattr(KeptTranslations, "_loaded", {})
    login(make_user("mediator", area="GAO", lang=lang))
    for _ in range(3):
        page = post_form(client, "/account/tokens", {"name": "Tablette", "days": "douze"})
        assert page.status_code == 400  # refused, the form shown again with its errors
        assert message in page.get_data(as_text=True)
    assert len(loads) == 1


def test_dates_numbers_and_amounts_follow_the_locale(app):
    moment = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("fr"):
            assert format_date(date(2026, 11, 28), "long") == "28 novembre 2026"
            assert format_decimal(1234.5) == "1\u202f234,5"
            assert format_fcfa(1234567) == "1\u202f234\u202f567\u00a0FCFA"
            assert "23:30" in format_datetime(moment, "short")
        with force_locale("en"):
            assert format_date(date(2026, 11, 28), "long") == "November 28, 2026"
            assert format_decimal(1234.5) == "1,234.5"
            assert format_fcfa(1234567) == "1,234,567\u00a0FCFA"


def test_times_are_shown_in_bamako(app):
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Africa/Bamako"
    with app.test_request_context(), force_locale("en"):
        # Bamako is UTC+0 all year: a UTC instant keeps its wall-clock time.
        assert format_datetime(datetime(2026, 7, 1, 8, 5, tzinfo=UTC), "HH:mm zzzz") == (
            "08:05 Greenwich Mean Time"
        )


# --- the catalogues -------------------------------------------------------------------------

PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}|%[sd]")
TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")


def load_french():
    with open(CATALOGS / "fr" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale="fr")


def entries(catalog):
    return [message for message in catalog if message.id]


def test_the_french_catalogue_is_complete_and_not_fuzzy():
    catalog = load_french()
    problems = []
    for message in entries(catalog):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(strings):
            problems.append(f"empty: {message.id!r}")
    assert not problems, "\n".join(problems)


def signature(text: str) -> tuple[list, list]:
    placeholders = sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text))
    tags = sorted(TAG_RE.findall(text))
    return placeholders, tags


def test_translations_keep_the_placeholders_and_tags_of_their_source():
    problems = []
    for message in entries(load_french()):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = signature(ids[-1])
        for translated in strings:
            if signature(translated) != expected:
                problems.append(f"{ids[0]!r} -> {translated!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_template_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    def ids(path):
        with open(path, "rb") as fh:
            return {(m.id, m.context) for m in read_po(fh) if m.id}

    committed = ids(CATALOGS / "messages.pot")
    current = ids(fresh)
    assert current == committed, (
        "messages.pot is stale; run `make i18n`. "
        f"new: {sorted(map(str, current - committed))}; "
        f"gone: {sorted(map(str, committed - current))}"
    )
    french = {(m.id, m.context) for m in entries(load_french())}
    assert french == committed, "the French catalogue does not match messages.pot; run make i18n"
