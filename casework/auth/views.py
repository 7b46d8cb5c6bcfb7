"""Sign-in, sign-out, own password, and the administration of users."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from casework.auth import services
from casework.auth.forms import ChangePasswordForm, ConfirmForm, LoginForm, NewUserForm, UserForm
from casework.auth.models import User
from casework.auth.roles import Role
from casework.core.forms import apply_form
from casework.db import reading_first
from casework.extensions import db
from casework.i18n import SESSION_KEY, _, ngettext
from casework.security import client_address, mark_signed_in, public, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        # The password check is slow: it reads only, without the write lock; the attempt
        # is then recorded in a short write transaction.
        with reading_first():
            check = services.check_sign_in(form.username.data, form.password.data, client_address())
            db.session.rollback()
        result = services.record_sign_in(check)
        db.session.commit()
        if result.throttled:
            status = 429
            form.form_errors.append(
                ngettext(
                    "Too many failed sign-ins. Try again in %(num)d minute.",
                    "Too many failed sign-ins. Try again in %(num)d minutes.",
                    result.retry_after_minutes,
                )
            )
        elif result.user is None:
            status = 401
            form.form_errors.append(_("Wrong username or password, or the account is inactive."))
        else:
            # Renew the session: nothing from before sign-in survives but the language choice.
            lang = session.get(SESSION_KEY)
            session.clear()
            if lang:
                session[SESSION_KEY] = lang
            login_user(result.user)
            mark_signed_in()
            if result.user.must_change_password:
                return redirect(url_for("auth.change_password"))
            flash(_("Welcome, %(name)s.", name=result.user.full_name), "success")
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    lang = session.get(SESSION_KEY) or current_user.preferred_language
    logout_user()
    session.clear()
    if lang:
        session[SESSION_KEY] = lang
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    outcome = apply_form(
        form,
        lambda: services.change_password(
            current_user, form.current_password.data, form.new_password.data
        ),
    )
    if outcome.done:
        # The session token changed: sign in again on this device only.
        login_user(current_user._get_current_object())
        mark_signed_in()
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("core.index"))
    return render_template("auth/change_password.html", form=form), outcome.status


# --- administration of users -------------------------------------------------------------


def _require_admin() -> None:
    if not current_user.has_role(Role.ADMIN):
        abort(403)


def get_user_or_404(user_id: int) -> User:
    _require_admin()
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users")
def list_users():
    _require_admin()
    users = db.session.scalars(sa.select(User).order_by(User.is_active.desc(), User.username))
    return render_template("auth/list_users.html", users=list(users))


@bp.route("/admin/users/new", methods=["GET", "POST"])
def create_user():
    _require_admin()
    form = NewUserForm()
    password = services.generate_password()
    outcome = apply_form(
        form,
        lambda: services.create_user(
            username=form.username.data,
            full_name=form.full_name.data,
            role=form.role.data,
            preferred_language=form.preferred_language.data,
            password=password,
            must_change_password=True,
            area_id=_area(form),
        ),
    )
    if outcome.done:
        return render_template(
            "auth/temporary_password.html", user=outcome.value, password=password, created=True
        )
    return render_template("auth/edit_user.html", form=form, user=None), outcome.status


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = get_user_or_404(user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.preferred_language.data = user.preferred_language or ""
        form.area_id.data = str(user.area_id or "")
    outcome = apply_form(
        form,
        lambda: services.update_user(
            user,
            full_name=form.full_name.data,
            role=form.role.data,
            preferred_language=form.preferred_language.data,
            area_id=_area(form),
        ),
    )
    if outcome.done:
        flash(_("User %(username)s saved.", username=user.username), "success")
        return redirect(url_for("auth.list_users"))
    return render_template("auth/edit_user.html", form=form, user=user), outcome.status


def _area(form) -> int | None:
    return int(form.area_id.data) if form.area_id.data else None


def _set_active(user_id: int, active: bool):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.set_active(user, active, by=current_user)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        if active:
            flash(_("User %(username)s reactivated.", username=user.username), "success")
        else:
            flash(_("User %(username)s deactivated.", username=user.username), "success")
    return redirect(url_for("auth.list_users"))


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate_user(user_id: int):
    return _set_active(user_id, False)


@bp.route("/admin/users/<int:user_id>/activate", methods=["POST"])
def activate_user(user_id: int):
    return _set_active(user_id, True)


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = services.reset_password(user)
    db.session.commit()
    return render_template(
        "auth/temporary_password.html", user=user, password=password, created=False
    )
