"""Throttling holds under a burst: wrong passwords sent at the same moment, each request on
its own connection (as separate workers would), get no more passwords checked than the
limit allows, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from argon2 import PasswordHasher

from casework import create_app
from casework.auth import services as accounts
from casework.extensions import db
from tests.conftest import PASSWORD, app_settings

BURST = 20


@pytest.fixture
def race_app(empty_database):
    """An app on a real database of its own: the tests' rolled-back transaction would put
    every request on one connection, and nothing would run at the same time."""
    app = create_app(app_settings(empty_database, WTF_CSRF_ENABLED=False))
    with app.app_context():
        db.create_all()
        accounts.create_user(
            username="oumar.cisse", full_name="Oumar Cissé", role="mediator", password=PASSWORD
        )
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def checked(monkeypatch):
    """Counts the Argon2 verifications: the passwords actually checked."""
    calls: list[int] = []
    verify = PasswordHasher.verify

    def counting(self, hash, password):
        calls.append(1)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def burst(app, forms: list[dict]) -> Counter:
    """Post every form at the same moment, each from its own client; returns the statuses."""
    start = threading.Barrier(len(forms))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(form):
        try:
            client = app.test_client()
            start.wait(timeout=30)
            statuses.append(client.post("/login", data=form).status_code)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=post, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return Counter(statuses)


def test_a_burst_on_one_account_checks_at_most_five_passwords(race_app, checked):
    forms = [{"username": "oumar.cisse", "password": f"wrong guess {n}"} for n in range(BURST)]
    statuses = burst(race_app, forms)
    # No more than the limit, and no fewer: the first five to come are checked.
    assert len(checked) == 5
    assert statuses[401] == len(checked)
    assert statuses[429] == BURST - statuses[401]
    # Once the burst is over, the account is locked even for the right password.
    client = race_app.test_client()
    form = {"username": "oumar.cisse", "password": PASSWORD}
    assert client.post("/login", data=form).status_code == 429


def test_a_burst_from_one_address_checks_at_most_twenty_passwords(race_app, checked):
    # One guess for each of 30 accounts: only the limit per address applies.
    forms = [{"username": f"guess{n}", "password": "wrong guess"} for n in range(30)]
    statuses = burst(race_app, forms)
    assert len(checked) == 20
    assert statuses[401] == len(checked)
    assert statuses[429] == 30 - statuses[401]
