"""The keys of the audit trail's chain (HMAC-SHA256).

Whoever owns the database can recompute a plain SHA-256 chain after changing it; an HMAC
chain only with the key. The key is CASEWORK_AUDIT_KEY, kept outside the database (the
service's environment file, readable by root and the service only). Without it the key is
derived from SECRET_KEY: weaker, since SECRET_KEY lives on the same server as the database,
but still out of reach of someone who holds only the database or a copy of it.

Each entry records the id of its key (a short fingerprint, never the key). After a rotation
the retired keys stay in CASEWORK_AUDIT_OLD_KEYS so that the entries they signed still
verify; entries written before the chain was keyed have no key id and a plain SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app

# The key material is never used as it is: one HMAC turns it into the chain's key, so that
# the same secret (SECRET_KEY above all) serves no two purposes with one key.
LABEL = b"casework audit chain v1"
KEY_ID_LENGTH = 12


@dataclass(frozen=True)
class ChainKey:
    id: str
    secret: bytes = b""
    source: str = ""  # where it comes from, for the operator: never the key itself

    def __repr__(self) -> str:  # no key in a log or a traceback
        return f"ChainKey(id={self.id!r}, source={self.source!r})"


def derive(raw: str, source: str) -> ChainKey:
    secret = hmac.new(raw.encode(), LABEL, hashlib.sha256).digest()
    key_id = hashlib.sha256(b"casework audit key id\n" + secret).hexdigest()[:KEY_ID_LENGTH]
    return ChainKey(key_id, secret, source)


def signing_key() -> ChainKey:
    """The key new entries are chained with."""
    raw = current_app.config.get("AUDIT_KEY")
    if raw:
        return derive(raw, "CASEWORK_AUDIT_KEY")
    return derive(current_app.config["SECRET_KEY"], "derived from SECRET_KEY")


def known_keys() -> dict[str, ChainKey]:
    """Every key an entry may have been chained with: the current one, the retired ones and
    the one derived from SECRET_KEY (used while CASEWORK_AUDIT_KEY was not set)."""
    keys = [derive(raw, "CASEWORK_AUDIT_OLD_KEYS") for raw in old_keys()]
    keys.append(derive(current_app.config["SECRET_KEY"], "derived from SECRET_KEY"))
    keys.append(signing_key())
    return {key.id: key for key in keys}


def old_keys() -> tuple[str, ...]:
    value = current_app.config.get("AUDIT_OLD_KEYS") or ()
    if isinstance(value, str):
        value = parse_keys(value)
    return tuple(value)


def parse_keys(text: str) -> tuple[str, ...]:
    """Keys separated by commas or white space."""
    return tuple(part for part in text.replace(",", " ").split() if part)


def new_key() -> tuple[str, str]:
    """A new random key and its id."""
    raw = secrets.token_hex(32)
    return raw, derive(raw, "").id
