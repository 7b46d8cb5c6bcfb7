"""Shared by the API's tests: tokens, a case's JSON, calls with a token."""

from __future__ import annotations

from datetime import timedelta

from casework.auth import tokens
from casework.auth.models import User
from casework.core.dates import today
from casework.extensions import db
from tests.conftest import unit_id
from tests.test_cases import GAO_COMMUNE


def token_for(app, user, scope: str = "read-write", days: int = 30) -> str:
    with app.app_context():
        owner = db.session.get(User, user.id)
        _token, secret = tokens.create_token(owner, "test", scope, days, owner)
        db.session.commit()
        return secret


def bearer(secret: str, lang: str = "en") -> dict:
    return {"Authorization": f"Bearer {secret}", "Accept-Language": lang}


def case_json(app, unit: str = GAO_COMMUNE, **overrides) -> dict:
    body = {
        "unit_id": unit_id(app, unit),
        "event_date": (today() - timedelta(days=10)).isoformat(),
        "reported_on": (today() - timedelta(days=8)).isoformat(),
        "channel": "PLAINTE_DIRECTE",
        "conflict_type": "DEGATS_CHAMPETRES",
        "scope": "INTRACOMMUNAUTAIRE",
        "title": "Champ de mil détruit par un troupeau",
        "narrative": "Un troupeau de bovins a traversé le champ de mil.",
        "narrative_lang": "fr",
        "livestock_heads": 12,
        "parties": [
            {"role": "complainant", "name": "Amadou Maïga"},
            {"role": "respondent", "name": "Hama Ag Ahmed"},
        ],
    }
    body.update(overrides)
    return body
