"""Controlled vocabularies: seeding from the package's data file, look-ups for forms and
lists, and their administration.

Records store codes, never labels. A term is never deleted: deactivating it hides it from
new choices while the records that use it keep their code and its label.

Look-ups read a snapshot of each vocabulary that each process keeps while the vocabularies'
version stays the same (casework.core.versions: any process that changes a term gives them a
new version, read once per request), because lists call ``label()`` once per row. Services
flush and never commit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import get_locale
from flask_sqlalchemy.session import Session as FlaskSession

from casework.core import versions
from casework.core.checks import InvalidInput
from casework.core.errors import DomainError
from casework.extensions import db
from casework.i18n import _l
from casework.vocab.models import Term

DATA_FILE = Path(__file__).parent / "data" / "vocabularies.json"

CONFLICT_TYPE = "conflict_type"

# The known vocabularies, in the order of the admin screen, with their translated titles.
# The data file holds the same names (a test keeps the two in step) and their terms.
VOCABULARIES = {
    CONFLICT_TYPE: _l("Conflict type"),
    "scope": _l("Conflict scope"),
    "actor_type": _l("Actor type"),
    "resolution_mechanism": _l("Resolution mechanism"),
    "outcome": _l("Outcome"),
    "referral_target": _l("Referral target"),
    "activity_type": _l("Community-police activity"),
    "alert_category": _l("Alert threat category"),
    "reporting_channel": _l("Reporting channel"),
    "livelihood": _l("Livelihood"),
    "session_place": _l("Session place"),
    "alert_source": _l("Alert source"),
    "fraction_group": _l("Fraction group"),
    "country": _l("Neighbouring country"),
}

# Every term has a label in each of these languages.
LABEL_LANGUAGES = ("fr", "en")
LABEL_MAX = 120
CODE_MAX = 40
CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
CODE_RULE = _l(
    "A code has 2 to %(max)s characters: capital letters A to Z, digits or underscores, "
    "starting with a letter.",
    max=CODE_MAX,
)


class VocabularyError(DomainError):
    """A rule about vocabularies was broken; the message is translated and shown."""


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TermInfo:
    """What look-ups need of a term, read once per request (immune to session expiry)."""

    id: int
    code: str
    labels: Mapping[str, str]
    mandatory_referral: bool
    is_active: bool

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("fr") or self.labels.get("en") or self.code


@dataclass(frozen=True)
class _Loaded:
    infos: tuple[TermInfo, ...]
    by_code: Mapping[str, TermInfo]


_CACHE_KEY = "_casework_vocabularies"
_TERMS_KEY = "_casework_vocabulary_terms"


def _cache() -> dict[str, _Loaded]:
    cached = g.get(_CACHE_KEY)
    if cached is None:
        cached = {}
        setattr(g, _CACHE_KEY, cached)
    return cached


def forget_cache(vocabulary: str | None = None) -> None:
    """Drop the request's snapshot of one vocabulary (or of all) after a change."""
    if not has_app_context():
        return
    for key in (_CACHE_KEY, _TERMS_KEY):
        cached = g.get(key)
        if cached is None:
            continue
        if vocabulary is None:
            cached.clear()
        else:
            cached.pop(vocabulary, None)


@sa.event.listens_for(FlaskSession, "after_soft_rollback")
def _forget_after_rollback(_session, _previous_transaction) -> None:
    # A rolled-back change (a refused form, a failed command) must not linger in look-ups.
    forget_cache()


def _check_known(vocabulary: str) -> None:
    if vocabulary not in VOCABULARIES:
        raise VocabularyError(_l("Unknown vocabulary: %(name)s.", name=vocabulary))


def _rows(vocabulary: str) -> list[Term]:
    return list(
        db.session.scalars(
            sa.select(Term).where(Term.vocabulary == vocabulary).order_by(Term.sort_order, Term.id)
        )
    )


def _build(vocabulary: str) -> _Loaded:
    rows = _rows(vocabulary)
    _request_terms()[vocabulary] = [(term, bool(term.is_active)) for term in rows]
    infos = tuple(
        TermInfo(
            id=term.id,
            code=term.code,
            labels=MappingProxyType(dict(term.labels or {})),
            mandatory_referral=bool(term.mandatory_referral),
            is_active=bool(term.is_active),
        )
        for term in rows
    )
    return _Loaded(infos, MappingProxyType({i.code: i for i in infos}))


def _load(vocabulary: str) -> _Loaded:
    _check_known(vocabulary)
    cached = _cache()
    loaded = cached.get(vocabulary)
    if loaded is None:
        loaded = cached[vocabulary] = versions.cached(
            "vocab", lambda: _build(vocabulary), key=vocabulary
        )
    return loaded


def _lang(lang: str | None) -> str:
    if lang:
        return lang
    locale = get_locale()
    return locale.language if locale is not None else LABEL_LANGUAGES[0]


def terms(vocabulary: str, *, include_inactive: bool = False) -> list[Term]:
    """The terms of a vocabulary in their display order (active ones only by default)."""
    _check_known(vocabulary)
    cached = _request_terms()
    found = cached.get(vocabulary)
    if found is None:
        # Whether each is active is read now: after a commit, reading it would reload the term.
        found = cached[vocabulary] = [(term, bool(term.is_active)) for term in _rows(vocabulary)]
    return [term for term, active in found if include_inactive or active]


def _request_terms() -> dict[str, list[tuple[Term, bool]]]:
    """The request's terms as ORM rows (for the screens and reports that need them)."""
    if not has_app_context():
        return {}
    cached = g.get(_TERMS_KEY)
    if cached is None:
        cached = {}
        setattr(g, _TERMS_KEY, cached)
    return cached


def choices(
    vocabulary: str, lang: str | None = None, *, include: str | Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """(code, label) pairs for a select field, in the current locale unless ``lang`` is given.

    Inactive terms are left out, except the codes in ``include``: the value a record already
    holds stays selectable when the record is edited.
    """
    lang = _lang(lang)
    kept = {include} if isinstance(include, str) else set(include or ())
    return [
        (info.code, info.label(lang))
        for info in _load(vocabulary).infos
        if info.is_active or info.code in kept
    ]


def label(vocabulary: str, code: str | None, lang: str | None = None) -> str:
    """The label of a code in the current locale (or ``lang``), active or not.

    Falls back to the code itself when the vocabulary or the code is unknown, so that a
    list never breaks on odd data; an empty code gives an empty string.
    """
    if not code:
        return ""
    if vocabulary not in VOCABULARIES:
        return code
    info = _load(vocabulary).by_code.get(code)
    return info.label(_lang(lang)) if info is not None else code


def is_valid(vocabulary: str, code: str | None, *, allow_inactive: bool = False) -> bool:
    """Whether ``code`` is a term of the vocabulary that a record may hold.

    New values must be active terms; pass ``allow_inactive=True`` to accept the value a
    record already had (see ``choices(include=...)``).
    """
    if not code or vocabulary not in VOCABULARIES:
        return False
    info = _load(vocabulary).by_code.get(code)
    return info is not None and (info.is_active or allow_inactive)


def mandatory_referral_codes() -> set[str]:
    """Conflict types that are never mediated as such (★ in DOMAIN.md).

    Inactive types are included: a record that still holds one must still be referred.
    """
    return {info.code for info in _load(CONFLICT_TYPE).infos if info.mandatory_referral}


def term_counts() -> dict[str, tuple[int, int]]:
    """(all terms, active terms) per known vocabulary, in one query."""
    rows = db.session.execute(
        sa.select(
            Term.vocabulary,
            sa.func.count(Term.id),
            sa.func.count(Term.id).filter(Term.is_active.is_(True)),
        ).group_by(Term.vocabulary)
    )
    found = {name: (total, active) for name, total, active in rows}
    return {name: found.get(name, (0, 0)) for name in VOCABULARIES}


# --- usage by other domains ---------------------------------------------------------------

UsageCheck = Callable[[str, str], int]
_usage_checks: list[UsageCheck] = []


def register_usage_check(check: UsageCheck) -> UsageCheck:
    """Let a domain count its records that use a term: ``check(vocabulary, code) -> int``.

    Registering the same function twice counts it once. Usable as a decorator.
    """
    if check not in _usage_checks:
        _usage_checks.append(check)
    return check


def usage_count(vocabulary: str, code: str) -> int:
    """How many records, in every domain, hold this code (information only: terms are
    never deleted)."""
    return sum(int(check(vocabulary, code)) for check in _usage_checks)


def usage_counts(vocabulary: str) -> dict[str, int]:
    """``usage_count`` for every term of a vocabulary (no query when no domain counts)."""
    codes = [info.code for info in _load(vocabulary).infos]
    if not _usage_checks:
        return dict.fromkeys(codes, 0)
    return {code: usage_count(vocabulary, code) for code in codes}


# --- seeding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated_labels: int


@cache
def seed_data() -> dict:
    """The vocabularies shipped with Casework (casework/vocab/data/vocabularies.json)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def seed_vocabularies() -> SeedResult:
    """Load the shipped vocabularies; safe to run any number of times.

    Creates the terms that are missing and never deletes one. An existing term is left as
    an administrator made it: its labels, ★ flag, order and active state are never
    overwritten (an admin's edit wins over the file). The one thing filled in on an
    existing term is a label in a language it does not have yet (``updated_labels``
    counts those terms), e.g. after a language is added to the file.
    """
    data = seed_data()
    existing = {
        (term.vocabulary, term.code): term
        for term in db.session.scalars(sa.select(Term).where(Term.vocabulary.in_(list(data))))
    }
    created = updated = 0
    for vocabulary, spec in data.items():
        _check_known(vocabulary)
        for position, item in enumerate(spec["terms"]):
            labels = {lang: item[lang] for lang in LABEL_LANGUAGES if item.get(lang)}
            term = existing.get((vocabulary, item["code"]))
            if term is None:
                db.session.add(
                    Term(
                        vocabulary=vocabulary,
                        code=item["code"],
                        labels=labels,
                        mandatory_referral=bool(item.get("mandatory_referral", False)),
                        sort_order=position,
                        is_active=True,
                    )
                )
                created += 1
                continue
            current = term.labels or {}
            missing = {lang: text for lang, text in labels.items() if not current.get(lang)}
            if missing:
                # A new dict, so that the JSON column sees the change.
                term.labels = {**current, **missing}
                updated += 1
    db.session.flush()
    forget_cache()
    return SeedResult(created, updated)


# --- administration ---------------------------------------------------------------------


def _clean_labels(labels: Mapping[str, str | None]) -> dict[str, str]:
    unknown = sorted(set(labels) - set(LABEL_LANGUAGES))
    if unknown:
        raise VocabularyError(
            _l("Labels can only be given in: %(languages)s.", languages=", ".join(LABEL_LANGUAGES))
        )
    cleaned = {lang: (labels.get(lang) or "").strip() for lang in LABEL_LANGUAGES}
    if not cleaned["fr"]:
        raise VocabularyError(_l("The French label is required."))
    if not cleaned["en"]:
        raise VocabularyError(_l("The English label is required."))
    for text in cleaned.values():
        if len(text) > LABEL_MAX:
            raise VocabularyError(_l("A label has at most %(max)s characters.", max=LABEL_MAX))
    return cleaned


def _check_referral_flag(vocabulary: str, mandatory_referral: bool | None) -> None:
    if mandatory_referral and vocabulary != CONFLICT_TYPE:
        raise VocabularyError(_l("Only a conflict type can require referral."))


def add_term(
    vocabulary: str,
    code: str,
    labels: Mapping[str, str | None],
    *,
    mandatory_referral: bool = False,
) -> Term:
    """Add a term at the end of its vocabulary. The code is final: it can never change."""
    _check_known(vocabulary)
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise VocabularyError(CODE_RULE)
    cleaned = _clean_labels(labels)
    _check_referral_flag(vocabulary, mandatory_referral)
    taken = db.session.scalar(
        sa.select(Term.id).where(Term.vocabulary == vocabulary, Term.code == code)
    )
    if taken is not None:
        raise VocabularyError(
            _l("The code %(code)s is already used in this vocabulary.", code=code)
        )
    last = db.session.scalar(
        sa.select(sa.func.max(Term.sort_order)).where(Term.vocabulary == vocabulary)
    )
    term = Term(
        vocabulary=vocabulary,
        code=code,
        labels=cleaned,
        mandatory_referral=bool(mandatory_referral),
        sort_order=0 if last is None else last + 1,
        is_active=True,
    )
    db.session.add(term)
    db.session.flush()
    forget_cache(vocabulary)
    return term


def edit_labels(
    term: Term, labels: Mapping[str, str | None], mandatory_referral: bool | None = None
) -> Term:
    """Change a term's labels and, for a conflict type, its ★ flag (None: unchanged).

    The code does not change: records keep pointing at the same term.
    """
    cleaned = _clean_labels(labels)
    _check_referral_flag(term.vocabulary, mandatory_referral)
    # A new dict, so that the JSON column sees the change; other languages are kept.
    term.labels = {**(term.labels or {}), **cleaned}
    if mandatory_referral is not None:
        term.mandatory_referral = bool(mandatory_referral)
    db.session.flush()
    forget_cache(term.vocabulary)
    return term


def set_active(term: Term, active: bool) -> Term:
    """Deactivate a term (hidden from new choices; records keep it) or reactivate it."""
    term.is_active = bool(active)
    db.session.flush()
    forget_cache(term.vocabulary)
    return term


def check_code(
    vocabulary: str, code: str | None, label, *, required: bool = True, current: str | None = None
) -> None:
    if not code:
        if required:
            raise InvalidInput(_l("%(field)s is required.", field=label))
        return
    # A record may keep a term that was deactivated since; a new value must be active.
    if not is_valid(vocabulary, code, allow_inactive=(code == current)):
        raise InvalidInput(_l("Unknown value for %(field)s: %(code)s.", field=label, code=code))
