"""Checking a request for an export: its name, language, format and the user's right."""

from __future__ import annotations

from casework.auth.models import User
from casework.i18n import _l, supported_locales
from casework.reports.exports.catalogue import EXPORTS
from casework.reports.exports.common import FORMATS, ExportError, ExportSpec
from casework.roles import Role

# --- checks -----------------------------------------------------------------------------------


def get_spec(name: str) -> ExportSpec:
    spec = EXPORTS.get(name)
    if spec is None:
        raise ExportError(_l("Unknown export: %(name)s.", name=name))
    return spec


def check_language(lang: str) -> str:
    if lang not in supported_locales():
        raise ExportError(_l("Unsupported language: %(code)s.", code=lang))
    return lang


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(_l("Unknown file format: %(format)s.", format=fmt))
    return fmt


def _has_role(user: User, roles: frozenset[Role]) -> bool:
    return getattr(user, "role", None) in {role.value for role in roles}


def can_export(name: str, user: User) -> bool:
    spec = EXPORTS.get(name)
    return (
        spec is not None
        and bool(getattr(user, "is_authenticated", False))
        and _has_role(user, spec.roles)
    )


def allowed_exports(user: User) -> list[str]:
    """The exports the user may make, in the registry's order (for a menu)."""
    return [name for name in EXPORTS if can_export(name, user)]


def _check(name: str, user: User, lang: str) -> ExportSpec:
    spec = get_spec(name)
    check_language(lang)
    if not can_export(name, user):
        raise ExportError(_l("You are not allowed to make this export."))
    return spec
