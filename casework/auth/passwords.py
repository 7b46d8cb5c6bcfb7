"""Password checks: a new password must not be one that attackers try first, nor contain
the username.

The lists are files in ``casework/auth/data`` (their origin is in docs/decisions), read once
per process into a frozenset.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

DATA_FILES = ("common_passwords.txt", "common_passwords_local.txt")
# What people add around a common word to pass a length rule: "password2024!", "!!dragon!!".
_EDGES = string.digits + string.punctuation + string.whitespace
_REPEATED = re.compile(r"(.+?)\1+", re.DOTALL)
# A password that is one short unit repeated ("aaaaaaaaaaaa", "121212121212") is refused too.
SHORT_UNIT = 3


@cache
def common_passwords() -> frozenset[str]:
    """The lower-cased common passwords, loaded once."""
    folder = files("casework.auth") / "data"
    words: set[str] = set()
    for name in DATA_FILES:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            word = line.strip().lower()
            if word and not word.startswith("#"):
                words.add(word)
    return frozenset(words)


def _candidates(password: str) -> Iterator[str]:
    lowered = password.strip().lower()
    yield lowered
    core = lowered.strip(_EDGES)
    yield core
    yield "".join(core.split())


def is_common(password: str) -> bool:
    """Whether the password is easy to guess: a common one (ignoring case, spaces, and digits
    or punctuation added at either end), a common word or a short unit repeated, or nothing
    but digits and punctuation."""
    words = common_passwords()
    if any(candidate in words for candidate in _candidates(password)):
        return True
    core = "".join(password.lower().strip(_EDGES).split())
    if not core:
        return True
    repeated = _REPEATED.fullmatch(core)
    if repeated:
        unit = repeated.group(1)
        return len(unit) <= SHORT_UNIT or unit.strip(_EDGES) in words
    return False


# A part of the username this long or longer must not appear in the password; shorter
# parts ("ba" in "amy.ba") are common sequences of letters, refusing them would refuse
# many good passwords.
NAME_PART_MIN = 4


def compact(text: str) -> str:
    """Letters and digits only, lower-case, without accents: "Oumar_Cissé" -> "oumarcisse"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def username_in(password: str, username: str) -> str | None:
    """What of the username the password contains, compared without case, accents,
    punctuation or spaces: the whole username ("oumarcisse-long-2026" for "oumar.cisse"),
    or one of its parts of NAME_PART_MIN characters or more ("cisse"); None when neither."""
    whole = compact(username)
    if not whole:
        return None
    text = compact(password)
    if whole in text:
        return whole
    for part in re.split(r"[^0-9a-z]+", username.lower()):
        if len(part) >= NAME_PART_MIN and part in text:
            return part
    return None
