"""The audit trail: an append-only, hash-chained record of who did what, when and from where."""

from __future__ import annotations

from flask import Flask
from flask_login import user_logged_out


def init_audit(app: Flask) -> None:
    from casework.audit import services

    app.after_request(services.write_pending)
    user_logged_out.connect(_signed_out, app)


def _signed_out(_app, user=None, **_extra) -> None:
    from casework.audit import services

    if user is not None and getattr(user, "id", None) is not None:
        services.record(
            "sign_out",
            object_type="users",
            object_id=user.id,
            actor=services.Actor(user.id, user.username, services.current_actor().address),
            later=True,
        )
