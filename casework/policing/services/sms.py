"""Alerts by SMS, through an Android phone running an SMS gateway (SMSSync's HTTP protocol).

A relay without a smartphone sends ``ALERTE <commune> <category number> <urgency> <text>``
(``ALERT`` in English). The gateway posts the message here; a registered relay's message
becomes an alert with their relay code and the source "SMS", and the reply, in the relay's
language, gives the alert's number or explains the syntax. Unknown numbers, inactive relays,
malformed messages and messages over the hourly limit create nothing: they are counted.

Phone numbers are never stored: only a keyed hash (HMAC-SHA256) to recognise the relay, and
the last two digits so that a coordinator can tell two phones apart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from casework.auth.models import User
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.i18n import _, _l
from casework.policing.access import in_policing_area, policing_area_clause
from casework.policing.models import Alert, SmsMessage, SmsRelay
from casework.policing.services.alerts import AlertData, save_alert
from casework.policing.services.common import DESCRIPTION_MAX, RELAY_CODE_RE, PolicingError
from casework.text import fold
from casework.vocab import services as vocab

SOURCE_CODE = "SMS"  # the alert_source term of alerts received by SMS
KEYWORDS = frozenset({"alerte", "alert"})
OUTCOMES = ("created", "malformed", "unknown_number", "inactive_relay", "rate_limited")
# A message's time as the phone saw it is trusted within this range; otherwise the time it
# reached the server is used.
LATEST_DELAY = timedelta(days=7)
MESSAGE_ID_MAX = 80


class SmsError(PolicingError):
    """A relay's registration was refused."""


# --- numbers ----------------------------------------------------------------------------------


def normalise_number(raw: str | None) -> str | None:
    """The number in international form (+22376123456), or None if it is not a phone number.
    A national number of 8 digits takes the configured country code (Mali: 223)."""
    text = (raw or "").strip()
    if not text:
        return None
    plus = text.startswith("+")
    digits = re.sub(r"[\s.\-()/]", "", text.lstrip("+"))
    if not digits.isdigit():
        return None
    if not plus and digits.startswith("00"):
        digits, plus = digits[2:], True
    if not plus and len(digits) == 8:
        digits = current_app.config["SMS_COUNTRY_CODE"] + digits
    if not 8 <= len(digits) <= 15:
        return None
    return "+" + digits


def _number_key() -> bytes:
    configured = current_app.config.get("SMS_NUMBER_KEY")
    if configured:
        return configured.encode()
    # Derived from SECRET_KEY for one purpose only (see decisions: set CASEWORK_SMS_NUMBER_KEY
    # in production, so that a new SECRET_KEY does not orphan the registered relays).
    return hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"casework sms number key", hashlib.sha256
    ).digest()


def number_hash(number: str) -> str:
    return hmac.new(_number_key(), number.encode(), hashlib.sha256).hexdigest()


def secret_matches(given: str | None) -> bool:
    expected = current_app.config.get("SMS_GATEWAY_SECRET")
    return bool(expected) and hmac.compare_digest((given or "").encode(), str(expected).encode())


# --- category numbers -------------------------------------------------------------------------


def category_numbers() -> list[tuple[int, str, bool]]:
    """(number, code, active) of every alert category, numbered from 1 in display order.
    Inactive terms keep their number, so that the cards printed for relays stay right."""
    return [
        (position, term.code, bool(term.is_active))
        for position, term in enumerate(
            vocab.terms("alert_category", include_inactive=True), start=1
        )
    ]


# --- relays -----------------------------------------------------------------------------------


@dataclass
class RelayData:
    relay_code: str | None
    number: str | None  # required for a new relay; for an existing one, a new number or None
    language: str | None
    unit_id: int | None
    is_active: bool = True


def save_relay(data: RelayData, by: User, relay: SmsRelay | None = None) -> SmsRelay:
    code = (data.relay_code or "").strip().upper()
    if not RELAY_CODE_RE.match(code):
        raise SmsError(
            _l(
                "A relay code has 2 to 32 capital letters, digits or hyphens (e.g. "
                "GAO-R-017): a pseudonym, never a name."
            )
        )
    taken = db.session.scalar(sa.select(SmsRelay.id).where(SmsRelay.relay_code == code))
    if taken is not None and (relay is None or taken != relay.id):
        raise SmsError(_l("Another relay already has this code."))
    if data.language not in ("fr", "en"):
        raise SmsError(_l("Choose the language of the replies."))
    unit = db.session.get(AdminUnit, data.unit_id) if data.unit_id else None
    if unit is None:
        raise SmsError(_l("Choose the place."))
    if not in_policing_area(by, unit):
        raise SmsError(_l("This place is outside your area."))
    hashed = hint = None
    if data.number or relay is None:
        number = normalise_number(data.number)
        if number is None:
            raise SmsError(
                _l("Give the relay's phone number, e.g. 76 12 34 56 or +223 76 12 34 56.")
            )
        hashed, hint = number_hash(number), number[-2:]
        owner = db.session.scalar(sa.select(SmsRelay.id).where(SmsRelay.number_hash == hashed))
        if owner is not None and (relay is None or owner != relay.id):
            raise SmsError(_l("This phone number is already registered for another relay."))
    if relay is None:
        relay = SmsRelay(registered_by_id=by.id)
        db.session.add(relay)
    relay.relay_code = code
    if hashed is not None:
        relay.number_hash, relay.number_hint = hashed, hint
    relay.language = data.language
    relay.unit_id = unit.id
    relay.is_active = bool(data.is_active)
    db.session.flush()
    return relay


def relays_statement(user: User) -> sa.Select:
    return sa.select(SmsRelay).where(policing_area_clause(user, SmsRelay.unit_id))


def outcome_counts(user: User, since: datetime, *, everywhere: bool) -> dict[str, int]:
    """Messages received since ``since``, by outcome. Messages from unknown numbers belong to
    no area: only a user who sees everywhere counts them."""
    statement = sa.select(SmsMessage.outcome, sa.func.count()).where(
        SmsMessage.received_at >= since
    )
    if not everywhere:
        mine = sa.select(SmsRelay.id).where(policing_area_clause(user, SmsRelay.unit_id))
        statement = statement.where(SmsMessage.relay_id.in_(mine))
    counts = dict.fromkeys(OUTCOMES, 0)
    counts.update(dict(db.session.execute(statement.group_by(SmsMessage.outcome)).all()))
    return counts


# --- messages ---------------------------------------------------------------------------------


@dataclass
class Incoming:
    sender: str | None
    text: str | None
    message_id: str | None = None
    sent_at: datetime | None = None


@dataclass
class Answer:
    outcome: str
    reply: str | None  # the SMS to send back, or None
    to: str | None
    alert: Alert | None = None
    problem: str | None = None  # why a malformed message was refused (a code, never its text)


class Malformed(Exception):
    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


@dataclass
class Parsed:
    commune: AdminUnit
    category: str
    urgency: int
    text: str


def parse(text: str, relay: SmsRelay) -> Parsed:
    """Read ``ALERTE <commune> <category> <urgency> [text]``; the commune may be left out
    when the relay reports on a single commune."""
    words = (text or "").split()
    if not words or fold(words[0]) not in KEYWORDS:
        raise Malformed("keyword")
    rest = words[1:]
    numbers_at = next((i for i, word in enumerate(rest) if word.isdigit()), None)
    if numbers_at is None or numbers_at + 1 >= len(rest) or not rest[numbers_at + 1].isdigit():
        raise Malformed("numbers")
    commune = _commune(" ".join(rest[:numbers_at]), relay)
    category = _category(int(rest[numbers_at]))
    urgency = int(rest[numbers_at + 1])
    if urgency not in (1, 2, 3):
        raise Malformed("urgency")
    free = " ".join(rest[numbers_at + 2 :])
    if len(free) > DESCRIPTION_MAX:
        raise Malformed("length")
    return Parsed(commune, category, urgency, free)


def _squeezed(name: str) -> str:
    return fold(name).replace(" ", "")


def _commune(typed: str, relay: SmsRelay) -> AdminUnit:
    area = relay.area
    within = sa.select(AdminUnit).where(
        AdminUnit.kind == UnitKind.COMMUNE.value, AdminUnit.path.startswith(area.path)
    )
    if not typed.strip():
        if area.kind == UnitKind.COMMUNE.value:
            return area
        raise Malformed("commune")
    wanted = _squeezed(typed)
    found = [
        unit
        for unit in db.session.scalars(within)
        if _squeezed(unit.name) == wanted or fold(unit.code) == fold(typed)
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise Malformed("ambiguous")
    elsewhere = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AdminUnit)
        .where(AdminUnit.kind == UnitKind.COMMUNE.value, AdminUnit.name_search == fold(typed))
    )
    raise Malformed("outside" if elsewhere else "commune")


def _category(number: int) -> str:
    for position, code, active in category_numbers():
        if position == number and active:
            return code
    raise Malformed("category")


PROBLEMS = {
    "keyword": _l("start with ALERT"),
    "numbers": _l("category and urgency numbers missing"),
    "commune": _l("unknown commune"),
    "ambiguous": _l("two communes have this name: write the code"),
    "outside": _l("commune outside your area"),
    "category": _l("unknown category number"),
    "urgency": _l("urgency is 1, 2 or 3"),
    "length": _l("text too long"),
    "refused": _l("alert refused"),
}


def syntax_help() -> str:
    count = len(category_numbers())
    return _(
        "Format: ALERT commune category(1-%(count)s) urgency(1-3) text. "
        "E.g. ALERT Ber 1 2 armed men seen",
        count=count,
    )


def receive(incoming: Incoming) -> Answer:
    """Handle one message from the gateway: at most one alert, one log row, one reply."""
    number = normalise_number(incoming.sender)
    hashed = number_hash(number or (incoming.sender or "").strip() or "-")
    message_id = _message_id(incoming, hashed)
    earlier = db.session.scalar(
        sa.select(SmsMessage).where(SmsMessage.gateway_message_id == message_id)
    )
    if earlier is not None:  # the gateway sent it again: answer as the first time
        return Answer(earlier.outcome, earlier.reply, number, earlier.alert)
    now = utcnow()
    log = SmsMessage(gateway_message_id=message_id, number_hash=hashed, received_at=now)
    relay = db.session.scalar(sa.select(SmsRelay).where(SmsRelay.number_hash == hashed))
    log.relay_id = relay.id if relay else None
    answer = _answer(incoming, relay, hashed, now)
    log.outcome, log.reply = answer.outcome, answer.reply
    log.problem = answer.problem
    log.alert_id = answer.alert.id if answer.alert else None
    if relay is not None and answer.outcome == "created":
        relay.last_message_at = now
    db.session.add(log)
    db.session.flush()
    return replace(answer, to=number)


def _answer(incoming: Incoming, relay: SmsRelay | None, hashed: str, now: datetime) -> Answer:
    if relay is None:
        return Answer("unknown_number", None, None)
    if not relay.is_active:
        return Answer("inactive_relay", None, None)
    hour_ago = now - timedelta(hours=1)
    recent = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SmsMessage)
        .where(SmsMessage.number_hash == hashed, SmsMessage.received_at >= hour_ago)
    )
    if recent >= current_app.config["SMS_MAX_PER_HOUR"]:
        return Answer("rate_limited", None, None)
    with force_locale(relay.language):
        try:
            parsed = parse(incoming.text or "", relay)
        except Malformed as refused:
            return _refusal(refused.problem)
        description = parsed.text or vocab.label("alert_category", parsed.category)
        try:  # save_alert checks everything before it adds anything
            alert = save_alert(
                AlertData(
                    occurred_at=_when(incoming.sent_at, now),
                    unit_id=parsed.commune.id,
                    category=parsed.category,
                    urgency=parsed.urgency,
                    source_type=SOURCE_CODE,
                    description=description,
                    relay_code=relay.relay_code,
                ),
                relay.registered_by,
            )
        except PolicingError:
            return _refusal("refused")
        reply = _(
            "Casework: alert no. %(number)s recorded (%(commune)s, %(category)s, urgency "
            "%(urgency)s). Thank you.",
            number=alert.id,
            commune=parsed.commune.name,
            category=vocab.label("alert_category", parsed.category),
            urgency=parsed.urgency,
        )
        return Answer("created", reply, None, alert)


def _refusal(problem: str) -> Answer:
    reply = _("Casework: message not understood (%(problem)s).", problem=PROBLEMS[problem])
    return Answer("malformed", f"{reply} {syntax_help()}", None, problem=problem)


def _when(sent_at: datetime | None, now: datetime) -> datetime:
    if sent_at is not None and now - LATEST_DELAY <= sent_at <= now:
        return sent_at
    return now


def _message_id(incoming: Incoming, hashed: str) -> str:
    given = (incoming.message_id or "").strip()
    if given:
        return given[:MESSAGE_ID_MAX]
    # No id from the gateway: the same number, time and text are the same message.
    stamp = incoming.sent_at.isoformat() if incoming.sent_at else ""
    digest = hashlib.sha256(f"{hashed}\n{stamp}\n{incoming.text or ''}".encode()).hexdigest()
    return f"sha256:{digest[:64]}"


def timestamp(value: str | None) -> datetime | None:
    """SMSSync's ``sent_timestamp``: Unix time in seconds or milliseconds."""
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    if number > 10**11:
        number //= 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None
