"""What every form view does: validate, apply one service, commit or show the error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_wtf import FlaskForm

from casework.core.errors import DomainError
from casework.extensions import db


@dataclass(frozen=True)
class Outcome:
    done: bool
    value: Any = None
    status: int = 200


def apply_form(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    """Run ``action`` when the form is valid, and commit; a refused or invalid POST is a 400
    that changes nothing and shows why on the form."""
    if not form.validate_on_submit():
        return Outcome(False, status=400 if request.method == "POST" else 200)
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return Outcome(False, status=400)
    db.session.commit()
    return Outcome(True, value)


def int_or_none(value) -> int | None:
    """A select field's id (a string, or "" for none) as an int; None when empty, bad, or
    beyond what an id column holds (the database would refuse it with an error)."""
    from casework.core.routing import MAX_ID

    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -MAX_ID <= number <= MAX_ID else None
