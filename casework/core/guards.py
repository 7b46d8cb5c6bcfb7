"""Checks every request passes before any view: bad input refused in one place."""

from __future__ import annotations

from flask import Flask, abort, request

from casework.i18n import _l

NUL_MESSAGE = _l(
    "What you sent contains a null character, which Casework cannot store. Remove it and try again."
)


def _has_nul(pairs) -> bool:
    return any("\x00" in (key or "") or "\x00" in (value or "") for key, value in pairs)


def reject_nul_characters():
    """PostgreSQL text cannot hold U+0000 (the driver raised a server error); SQLite stored
    it and cut the text short elsewhere. Refused everywhere alike: a 400 that changes
    nothing."""
    if "\x00" in request.path or _has_nul(request.args.items(multi=True)):
        abort(400, description=str(NUL_MESSAGE))
    if request.method in ("POST", "PUT", "PATCH") and (
        _has_nul(request.form.items(multi=True))
        or any("\x00" in (f.filename or "") for f in request.files.values())
    ):
        abort(400, description=str(NUL_MESSAGE))


def reject_nameless_fields():
    """A multipart part whose name cannot be read comes as a field named None, which form
    lists (WTForms FieldList) cannot handle: a server error before this guard. No browser
    sends one; the request is refused as malformed."""
    if request.method in ("POST", "PUT", "PATCH") and (
        None in request.form or None in request.files
    ):
        abort(400)


def init_guards(app: Flask) -> None:
    app.before_request(reject_nul_characters)
    app.before_request(reject_nameless_fields)
