"""Configuration, the database connection settings, the WSGI entry point, error pages."""

from __future__ import annotations

import importlib
import os
import stat
import sys
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from casework import create_app
from casework.config import database_url, load_secret_key, settings_from_env
from casework.extensions import db
from tests.conftest import app_settings, post_form


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_starts_with_a_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value-for-this-test")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app("production")
    assert app.config["SECRET_KEY"] == "a-long-random-value-for-this-test"
    assert not app.debug and not app.testing


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    def fake_app():
        return SimpleNamespace(config={"NAME": "development"}, instance_path=str(tmp_path))

    first = fake_app()
    load_secret_key(first)
    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    second = fake_app()
    load_secret_key(second)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_database_url_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'casework.sqlite3'}"
    assert database_url("postgresql://u:p@h/db", tmp_path) == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgres://u:p@h/db", tmp_path) == "postgresql+psycopg://u:p@h/db"
    assert database_url("sqlite:////srv/cw.db", tmp_path) == "sqlite:////srv/cw.db"


def test_settings_come_from_the_environment():
    settings = settings_from_env(
        {
            "DATABASE_URL": "postgresql://x@y/z",
            "SECRET_KEY": "k",
            "CASEWORK_HTTPS": "1",
            "CASEWORK_IDLE_MINUTES": "10",
        }
    )
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://x@y/z"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["IDLE_TIMEOUT"].total_seconds() == 600


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    app = create_app(app_settings(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    with app.app_context():
        db.engine.dispose()


def test_wsgi_exposes_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "wsgi-test-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'wsgi.sqlite3'}")
    sys.modules.pop("wsgi", None)
    wsgi = importlib.import_module("wsgi")
    assert wsgi.app.name == "casework"
    assert wsgi.app.config["NAME"] == "production"
    sys.modules.pop("wsgi", None)


# --- error pages ----------------------------------------------------------------------------


@pytest.fixture
def failing_app(database_url_for_tests, monkeypatch):
    from casework.permissions import Action, Resource, requires

    app = create_app(app_settings(database_url_for_tests, PROPAGATE_EXCEPTIONS=False))

    @app.route("/boom")
    @requires(Resource.ACCOUNT, Action.VIEW)
    def boom():
        db.session.execute(sa.text("SELECT 1"))
        raise RuntimeError("a bug")

    return app


def test_a_server_error_shows_a_translated_page(failing_app, make_user):
    client = failing_app.test_client()
    user = make_user("admin")
    post_form(client, "/login", {"username": user.username, "password": user.password})
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.get_data(as_text=True)
    english = client.get("/boom", headers={"Accept-Language": "en"})
    assert english.status_code == 500
    assert "Server error" in english.get_data(as_text=True)


def test_a_wrong_method_gets_a_translated_405(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert "Méthode non autorisée" in response.get_data(as_text=True)
