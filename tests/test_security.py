"""The sign-in gate, CSRF, security headers, cookies and request limits."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter

from casework import create_app
from casework.auth.models import User
from casework.permissions import is_public_endpoint
from tests.conftest import app_settings, csrf_token, post_form, query

# The only endpoints reachable without signing in. A new public endpoint must be added here.
PUBLIC_ENDPOINTS = {
    "static",
    "auth.login",
    "auth.login_code",
    "home.set_language",
    "home.healthz",
    # The SMS gateway phone authenticates with its shared secret (tests/test_sms.py).
    "policing.smssync",
    # The API's document and its page describe operations and hold no data (issue 16).
    "api_docs.openapi",
    "api_docs.docs",
    "offline.service_worker",  # the service worker's code (issue 17): no data
}


def concrete_url(app, rule) -> str:
    """A URL for a rule, with a plausible value for each argument."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if isinstance(converter, AnyConverter):
            values[arg] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            values[arg] = 1
        elif arg == "filename":
            values[arg] = "css/casework.css"
        elif arg == "target":
            values[arg] = "ENREGISTRE"
        else:
            values[arg] = "x"
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_the_public_endpoints_are_exactly_the_listed_ones(app):
    public = {
        rule.endpoint for rule in app.url_map.iter_rules() if is_public_endpoint(app, rule.endpoint)
    }
    assert public == PUBLIC_ENDPOINTS


def test_every_other_endpoint_sends_an_anonymous_visitor_to_sign_in(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = concrete_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # Without a CSRF token a POST is refused before the gate; with one it reaches it.
            data = {"csrf_token": csrf_token(client)} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            if url.startswith("/api/"):  # the API answers in JSON, never with a redirect
                assert response.status_code == 401, (method, url, response.status_code)
                assert response.get_json()["error"]["code"] == "unauthorized"
                checked += 1
                continue
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/login?next="), (method, url)
            api = client.open(url, method=method, data=data, headers={"Accept": "application/json"})
            assert api.status_code == 401, (method, url, api.status_code)
            assert api.is_json and api.json["error"] == "authentication required"
            checked += 1
    assert checked >= 8  # the walk really covered the application


def test_a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(app, client, admin):
    before = query(app, sa.select(sa.func.count(User.id))).scalar_one()
    for token in (None, "forged-token"):
        data = {"username": "intruder", "full_name": "In Truder", "role": "admin"}
        if token:
            data["csrf_token"] = token
        response = client.post("/admin/users/new", data=data)
        assert response.status_code == 400
        assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count(User.id))).scalar_one() == before


def test_the_language_switch_needs_a_token(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 400
    assert 'lang="fr"' in client.get("/login").get_data(as_text=True)


REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def assert_security_headers(response):
    for name, value in REQUIRED_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"


@pytest.mark.parametrize("path", ["/login", "/", "/no-such-page", "/static/css/casework.css"])
def test_security_headers_when_signed_out(client, path):
    response = client.get(path)
    assert_security_headers(response)
    response.close()


@pytest.mark.parametrize(
    "path", ["/", "/admin/users", "/admin/users/new", "/account/password", "/admin/users/999"]
)
def test_security_headers_when_signed_in(client, admin, path):
    assert_security_headers(client.get(path))


def test_security_headers_on_errors_and_redirects(client, admin):
    assert_security_headers(client.post("/admin/users/new", data={}))  # 400, CSRF
    assert_security_headers(client.get("/admin/users/424242/edit"))  # 404
    assert_security_headers(post_form(client, "/logout", page="/"))  # 302


def test_pages_have_no_inline_script_and_no_external_asset(client, admin):
    for path in ["/", "/admin/users", "/admin/users/new", "/account/password"]:
        html = client.get(path).get_data(as_text=True)
        # Scripts only from the app's own files, none written in the page (issue 17).
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
        assert len(scripts) == html.count("<script")
        assert all(body == "" for body in scripts), path
        assert re.findall(r'<script src="([^"]+)"', html) == [
            re.search(r'src="(/static/js/offline\.js[^"]*)"', html).group(1)
        ]
        assert " style=" not in html
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def test_session_cookie_is_httponly_and_samesite(client, make_user, login):
    response = login(make_user("mediator"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here


def test_session_cookie_is_secure_over_https(database_url_for_tests):
    app = create_app(
        app_settings(database_url_for_tests, SESSION_COOKIE_SECURE=True, FORCE_HTTPS=True)
    )
    client = app.test_client()
    plain = client.get("/login")
    assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
    response = client.get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_an_oversized_request_is_refused_with_413(client):
    response = client.post(
        "/login",
        data={"username": "x", "password": "y" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "trop volumineu" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
