"""The common-password check: a new password must not be one that attackers try first.

The lists are files in ``casework/auth/data`` (their origin is in docs/decisions), read once
per process into a frozenset.
"""

from __future__ import annotations

import re
import string
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
