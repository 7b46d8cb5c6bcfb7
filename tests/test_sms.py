"""Alerts by SMS through an Android gateway speaking SMSSync's HTTP protocol (issue 16): the
gateway posts form fields (from, message, message_id, sent_to, secret, sent_timestamp,
device_id) and reads the reply from the JSON it gets back."""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.extensions import db
from casework.policing.models import Alert, SmsMessage, SmsRelay
from casework.policing.services.sms import normalise_number
from tests.conftest import fetch_one, post_form, query, unit_id
from tests.test_fuzz import CONTROLS, INJECTIONS, RTL

SECRET = "gateway-secret-for-tests"
PHONE = "+22376123456"
GATEWAY = "/policing/sms/smssync"


@pytest.fixture
def gateway(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_GATEWAY_SECRET", SECRET)
    monkeypatch.setitem(app.config, "SMS_MAX_PER_HOUR", 10)


@pytest.fixture
def relay(app, client, seeded, make_user, login, gateway):
    """A relay of the Gao cercle, registered by the region's coordinator through the form."""
    coordinator = make_user("coordinator", username="coord-gao", area="GAO")
    login(coordinator)
    response = post_form(
        client,
        "/policing/sms/relays/new",
        {
            "relay_code": "gao-r-017",
            "number": "76 12 34 56",
            "language": "fr",
            "unit_id": str(unit_id(app, "GAO-GAO")),
            "is_active": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return coordinator


def sms(client, message: str, *, sender: str = PHONE, secret: str = SECRET, message_id=None):
    return client.post(
        GATEWAY,
        data={
            "from": sender,
            "message": message,
            "message_id": message_id or str(uuid.uuid4()),
            "sent_to": "+22370000000",
            "secret": secret,
            "sent_timestamp": str(int(time.time() * 1000)),
            "device_id": "1",
        },
    )


def count(app, model) -> int:
    return query(app, sa.select(sa.func.count()).select_from(model)).scalar_one()


def reply_of(response) -> str:
    payload = response.get_json()["payload"]
    assert payload["success"] is True and payload["task"] == "send"
    (message,) = payload["messages"]
    assert message["to"] == PHONE
    return message["message"]


def test_a_valid_message_creates_an_alert_and_the_reply_gives_its_number(app, client, relay):
    response = sms(client, "ALERTE Tilemsi 1 2 hommes armés vus près du puits")
    assert response.status_code == 200
    reply = reply_of(response)
    alert = fetch_one(app, sa.select(Alert))
    assert f"n° {alert.id}" in reply and "Tilemsi" in reply and "enregistrée" in reply
    assert alert.relay_code == "GAO-R-017" and alert.source_type == "SMS"
    assert alert.category == "TENSION_INTERCOMMUNAUTAIRE" and alert.urgency == 2
    assert alert.unit_id == unit_id(app, "GAO-GAO-TILEMSI")
    assert alert.description == "hommes armés vus près du puits"


def test_the_same_message_delivered_twice_makes_one_alert(app, client, relay):
    first = sms(client, "ALERTE Gao 4 3 coupeurs de route", message_id="abc-1")
    again = sms(client, "ALERTE Gao 4 3 coupeurs de route", message_id="abc-1")
    assert reply_of(first) == reply_of(again)
    assert count(app, Alert) == 1 and count(app, SmsMessage) == 1


def test_three_messages_raise_the_communes_threshold_warning(app, client, relay):
    page = client.get("/policing/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Early warnings" not in page
    for text in ("ALERTE Tilemsi 1 2 a", "alerte TILEMSI 1 3 b", "Alerte tilemsi 1 1"):
        assert "n°" in reply_of(sms(client, text))
    page = client.get("/policing/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Early warnings" in page and "Tilemsi" in page


def test_commune_names_match_without_accents_apostrophes_or_hyphens(app, client, relay):
    reply_of(sms(client, "ALERTE ntillit 3 1 camion"))
    reply_of(sms(client, "ALERTE sony-aliber 7 2 boeufs volés"))
    places = set(query(app, sa.select(Alert.unit_id)).scalars())
    assert places == {unit_id(app, "GAO-GAO-NTILLIT"), unit_id(app, "GAO-GAO-SONY-ALIBER")}


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("Bonjour, des hommes armés", "commencer par ALERTE"),
        ("ALERTE Tilemsi armés", "numéros de catégorie et d'urgence manquants"),
        ("ALERTE Tilemsi 99 2 texte", "numéro de catégorie inconnu"),
        ("ALERTE Tilemsi 1 7 texte", "l'urgence est 1, 2 ou 3"),
        ("ALERTE Paris 1 2 texte", "commune inconnue"),
        ("ALERTE Kidal 1 2 texte", "commune hors de votre zone"),
    ],
)
def test_a_malformed_message_creates_nothing_and_the_reply_explains(
    app, client, relay, message, problem
):
    reply = reply_of(sms(client, message))
    assert problem in reply and "Format\u00a0: ALERTE commune" in reply
    assert count(app, Alert) == 0
    logged = fetch_one(app, sa.select(SmsMessage))
    assert logged.outcome == "malformed" and logged.alert_id is None


def test_a_relay_gets_replies_in_their_language(app, client, relay):
    edited = post_form(
        client,
        f"/policing/sms/relays/{query(app, sa.select(SmsRelay.id)).scalar_one()}/edit",
        {
            "relay_code": "GAO-R-017",
            "number": "",
            "language": "en",
            "unit_id": str(unit_id(app, "GAO-GAO")),
            "is_active": "y",
        },
    )
    assert edited.status_code == 302
    reply = reply_of(sms(client, "ALERT Tilemsi 9 1 rumours at the market"))
    assert reply.startswith("Casework: alert no. ") and "recorded" in reply
    refused = reply_of(sms(client, "ALERT Tilemsi 0 1"))
    assert "unknown category number" in refused and "Format: ALERT commune category" in refused


def test_a_bad_secret_or_a_switched_off_gateway_creates_nothing(app, client, relay, monkeypatch):
    response = sms(client, "ALERTE Tilemsi 1 2 texte", secret="wrong")
    assert response.status_code == 403 and response.get_json()["payload"]["success"] is False
    monkeypatch.setitem(app.config, "SMS_GATEWAY_SECRET", None)
    assert sms(client, "ALERTE Tilemsi 1 2 texte", secret="").status_code == 404
    assert count(app, Alert) == 0 and count(app, SmsMessage) == 0


def test_unknown_numbers_create_nothing_get_no_reply_and_are_counted_for_admins(
    app, client, relay, make_user, login
):
    response = sms(client, "ALERTE Tilemsi 1 2 texte", sender="+22365000000")
    assert response.status_code == 200
    assert response.get_json() == {"payload": {"success": True, "error": None}}
    assert count(app, Alert) == 0
    coordinator_page = client.get("/policing/sms", headers={"Accept-Language": "en"})
    assert "GAO-R-017" in coordinator_page.get_data(as_text=True)
    assert "unknown numbers" not in coordinator_page.get_data(as_text=True)
    admin = app.test_client()
    boss = make_user("admin", username="boss")
    post_form(admin, "/login", {"username": boss.username, "password": boss.password})
    page = admin.get("/policing/sms", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "From unknown numbers" in page
    row = page.split("From unknown numbers", 1)[1][:60]
    assert ">1<" in row


def test_messages_over_the_hourly_limit_create_nothing(app, client, relay, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_MAX_PER_HOUR", 2)
    sms(client, "ALERTE Tilemsi 1 2 a")
    sms(client, "ALERTE Tilemsi 1 2 b")
    third = sms(client, "ALERTE Tilemsi 1 2 c")
    assert third.get_json() == {"payload": {"success": True, "error": None}}
    assert count(app, Alert) == 2
    outcomes = query(app, sa.select(SmsMessage.outcome).order_by(SmsMessage.id)).scalars().all()
    assert outcomes == ["created", "created", "rate_limited"]


def test_an_inactive_relay_creates_nothing(app, client, relay):
    with app.app_context():
        db.session.execute(sa.update(SmsRelay).values(is_active=False))
        db.session.commit()
    response = sms(client, "ALERTE Tilemsi 1 2 texte")
    assert response.get_json() == {"payload": {"success": True, "error": None}}
    assert count(app, Alert) == 0


def test_the_phone_number_is_never_stored_nor_shown(app, client, relay):
    stored = fetch_one(app, sa.select(SmsRelay))
    assert stored.number_hint == "56" and stored.number_hash != PHONE
    assert "76123456" not in stored.number_hash
    sms(client, "ALERTE Tilemsi 1 2 texte")
    page = client.get("/policing/sms").get_data(as_text=True)
    assert "GAO-R-017" in page and "56" in page
    for hidden in ("76123456", "76 12 34 56", "12 34"):
        assert hidden not in page
    edit = client.get(f"/policing/sms/relays/{stored.id}/edit").get_data(as_text=True)
    assert "76123456" not in edit and "76 12 34 56" not in edit
    details = query(app, sa.select(AuditEntry.details)).scalars().all()
    assert details and not any("76123456" in str(entry) for entry in details)


def test_one_number_belongs_to_one_relay(app, client, relay):
    response = post_form(
        client,
        "/policing/sms/relays/new",
        {
            "relay_code": "GAO-R-018",
            "number": "+223 76-12-34-56",
            "language": "fr",
            "unit_id": str(unit_id(app, "GAO-GAO")),
            "is_active": "y",
        },
    )
    assert response.status_code == 400
    assert "déjà enregistré" in response.get_data(as_text=True)
    assert count(app, SmsRelay) == 1


def test_a_relay_outside_the_coordinators_area_is_refused(app, client, relay):
    response = post_form(
        client,
        "/policing/sms/relays/new",
        {
            "relay_code": "KDL-R-001",
            "number": "66 00 00 01",
            "language": "fr",
            "unit_id": str(unit_id(app, "KDL-KIDAL")),
            "is_active": "y",
        },
    )
    assert response.status_code == 400 and count(app, SmsRelay) == 1


@pytest.mark.parametrize("role", ["mediator", "police", "analyst"])
def test_only_coordinators_and_administrators_manage_relays(client, seeded, make_user, login, role):
    login(make_user(role, area="GAO"))
    assert client.get("/policing/sms").status_code == 403
    assert client.get("/policing/sms/relays/new").status_code == 403


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("76 12 34 56", "+22376123456"),
        ("+223 76-12-34-56", "+22376123456"),
        ("0022376123456", "+22376123456"),
        ("+227 90 12 34 56", "+22790123456"),
        ("abc", None),
        ("", None),
        ("123", None),
    ],
)
def test_numbers_are_read_in_international_form(app, typed, expected):
    with app.test_request_context():
        assert normalise_number(typed) == expected


NASTY = [
    *INJECTIONS,
    *CONTROLS,
    *RTL,
    "ALERTE",
    "ALERTE 1",
    "ALERTE Gao 1",
    "ALERTE Gao 1 2 " + "x" * 5000,
]


def test_nothing_the_gateway_posts_breaks_the_endpoint(app, client, relay):
    """Odd numbers, ids, timestamps and texts: never a 500, never an alert unless the
    message is well formed."""
    for number, value in enumerate(NASTY):
        fields = {
            "from": value if number % 3 == 0 else PHONE,
            "message": value,
            "message_id": value if number % 2 else f"id-{number}",
            "sent_timestamp": value if number % 4 else "99999999999999999999",
            "secret": SECRET,
        }
        response = client.post(GATEWAY, data=fields)
        # NUL characters are refused by every route before it runs (400, nothing done).
        expected = 400 if "\x00" in value else 200
        assert response.status_code == expected, (value, response.status_code)
    assert count(app, Alert) == 0
