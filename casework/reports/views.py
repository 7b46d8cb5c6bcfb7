"""Report screens: the periodic report and the case summary, in the language asked for."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from casework.audit import services as audit
from casework.cases.access import get_case_or_404, sees_details
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import UnitKind
from casework.i18n import _, language_title
from casework.permissions import Action, Resource, requires
from casework.reports import highlights, render
from casework.reports.access import may_report_on, must_anonymise
from casework.reports.exports import (
    EXPORTS,
    ExportError,
    allowed_exports,
    can_export,
    confidential_cases,
    csv_dialect,
    get_spec,
    stream_csv_response,
    xlsx_response,
)
from casework.reports.forms import CsvOptionsForm, HighlightsForm, PeriodicReportForm
from casework.reports.indicators import build_report
from casework.reports.json_report import PERIODIC_SCHEMA
from casework.reports.periods import parse_period

bp = Blueprint("reports", __name__, url_prefix="/reports")

FORMAT_NAMES = {
    "html": "HTML",
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "json": "JSON",
}


def _form() -> PeriodicReportForm:
    form = PeriodicReportForm(request.args)
    kinds = [UnitKind.REGION, UnitKind.CERCLE, UnitKind.COMMUNE]
    anywhere = may_report_on(current_user, None)
    areas = [
        (choice.code, choice.label)
        for choice in geo.choices_within(current_user.area, everything=anywhere, kinds=kinds)
    ]
    form.area.choices = ([("", _("All areas"))] if anywhere else []) + areas
    form.lang.choices = [(code, language_title(code)) for code in ("fr", "en")]
    form.format.choices = list(FORMAT_NAMES.items())
    if not request.args:
        form.lang.data = str(_current_locale())
        form.period.data = utcnow().strftime("%Y-%m")
        form.format.data = "html"
        form.compare.data = True
    return form


def form_page(form: PeriodicReportForm) -> str:
    return render_template(
        "reports/periodic_form.html",
        form=form,
        anonymised_only=must_anonymise(current_user),
        exports_allowed=_exports_allowed(),
    )


def _exports_allowed() -> bool:
    return bool(allowed_exports(current_user))


def _current_locale():
    from flask_babel import get_locale

    return get_locale()


def download(rendered: render.Rendered, name: str) -> Response:
    response = Response(rendered.content, mimetype=rendered.mimetype)
    if rendered.extension != "html":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{name}.{rendered.extension}"'
        )
    return response


@bp.route("/")
@requires(Resource.REPORT, Action.REPORT, or_=[(Resource.ANONYMISED_REPORT, Action.REPORT)])
def periodic_form():
    form = _form()
    return form_page(form)


@bp.route("/periodic")
@requires(Resource.REPORT, Action.REPORT, or_=[(Resource.ANONYMISED_REPORT, Action.REPORT)])
def periodic():
    """Produce the report: errors go back to the form, translated, and no file."""
    form = _form()
    if not form.validate():
        return form_page(form), 400
    area = None
    if form.area.data:
        area = geo.get_unit_by_code(form.area.data)
        if area is None:
            abort(404)
    if not may_report_on(current_user, area):
        abort(403)
    anonymised = bool(form.anonymised.data) or must_anonymise(current_user)
    try:
        period = parse_period(form.period.data)
        with_lang = form.lang.data
        render.check_request(with_lang, form.format.data)
        report = build_report(
            period,
            area,
            anonymised=anonymised,
            compare=bool(form.compare.data),
            highlights=highlights.for_report(area, period),
        )
        rendered = render.render_periodic(report, with_lang, form.format.data)
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return form_page(form), 400
    name = f"report-{period.code}-{area.code if area else 'all'}-{with_lang}"
    audit.record(
        "report",
        object_type="reports",
        details={
            "report": "periodic",
            "period": period.code,
            "area": area.code if area else None,
            "lang": with_lang,
            "format": form.format.data,
            "anonymised": anonymised,
        },
    )
    return download(rendered, name.replace("..", "_"))


def _highlights_form() -> HighlightsForm:
    form = HighlightsForm()
    form.area.choices = [
        (choice.code, choice.label)
        for choice in geo.choices_within(
            current_user.area,
            everything=may_report_on(current_user, None),
            kinds=[UnitKind.REGION, UnitKind.CERCLE, UnitKind.COMMUNE],
        )
    ]
    return form


@bp.route("/highlights", methods=["GET", "POST"])
@requires(Resource.REPORT, Action.EDIT)
def edit_highlights():
    """The coordinator's highlights for an area and a period ("faits marquants")."""
    form = _highlights_form()
    if request.method == "GET":
        form.period.data = request.args.get("period") or utcnow().strftime("%Y-%m")
        form.area.data = request.args.get("area") or (
            current_user.area.code if current_user.area else None
        )
    area = geo.get_unit_by_code(form.area.data) if form.area.data else None
    if form.area.data and area is None:
        abort(404)
    if area is not None and not may_report_on(current_user, area):
        abort(403)
    if request.method == "GET":
        try:
            found = highlights.find(area, parse_period(form.period.data))
        except DomainError:
            found = None
        if found is not None:
            form.text_fr.data, form.text_en.data = found.text_fr, found.text_en
        return render_template("reports/highlights.html", form=form)
    if not form.validate():
        return render_template("reports/highlights.html", form=form), 400
    try:
        period = parse_period(form.period.data)
        highlights.save_highlights(area, period, form.text_fr.data, form.text_en.data, current_user)
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return render_template("reports/highlights.html", form=form), 400
    db.session.commit()
    flash(_("Highlights saved: they appear in the report of this area and period."), "success")
    return redirect(url_for("reports.edit_highlights", area=area.code, period=period.code))


@bp.route("/periodic.schema.json")
@requires(Resource.REPORT, Action.REPORT, or_=[(Resource.ANONYMISED_REPORT, Action.REPORT)])
def periodic_schema():
    """The JSON Schema that the JSON periodic report follows."""
    content = json.dumps(PERIODIC_SCHEMA, ensure_ascii=False, indent=2)
    return Response(content, mimetype="application/schema+json")


@bp.route("/case/<int:case_id>")
@requires(Resource.CASE, Action.VIEW)
def case_summary(case_id: int):
    case = get_case_or_404(case_id)
    lang = request.args.get("lang") or str(_current_locale())
    fmt = request.args.get("format", "html")
    redacted = request.args.get("redacted") == "1"
    restricted = not sees_details(current_user, case)
    try:
        rendered = render.render_case_summary(
            case, lang, fmt, redacted=redacted, restricted=restricted
        )
    except DomainError as error:
        abort(400, description=str(error))
    audit.record(
        "report",
        obj=case,
        details={
            "report": "case_summary",
            "lang": lang,
            "format": fmt,
            "redacted": redacted,
            "level": case.confidentiality,
        },
    )
    return download(rendered, f"{case.reference}-{lang}")


# --- data exports ---------------------------------------------------------------------------


@bp.route("/exports")
@requires(Resource.CASE, Action.EXPORT, or_=[(Resource.POLICING, Action.EXPORT)])
def list_exports():
    names = allowed_exports(current_user)
    if not names:
        abort(403)
    form = CsvOptionsForm(request.args)
    valid = form.validate()
    page = render_template(
        "reports/exports.html",
        names=names,
        exports=EXPORTS,
        lang=str(_current_locale()),
        form=form,
        sep=form.sep.data if valid and form.sep.data else None,
    )
    return page if valid else (page, 400)


@bp.route("/exports/<name>.<any(csv, xlsx):fmt>")
@requires(Resource.CASE, Action.EXPORT, or_=[(Resource.POLICING, Action.EXPORT)])
def export(name: str, fmt: str):
    lang = request.args.get("lang") or str(_current_locale())
    sep = request.args.get("sep") or None
    try:
        get_spec(name)
    except ExportError:
        abort(404)
    if not can_export(name, current_user):
        abort(403)
    if fmt == "csv":
        try:
            csv_dialect(lang, sep)
        except ExportError as error:
            abort(400, description=str(error))
    details = {"export": name, "format": fmt, "lang": lang}
    audit.record("export", object_type="exports", details=details)
    # Each restricted or secret case in the rows: an entry of its own, in its history.
    for case_id, level in confidential_cases(name, current_user):
        audit.record(
            "export",
            object_type="cases",
            object_id=case_id,
            case_id=case_id,
            details={**details, "level": level},
        )
    try:
        if fmt == "csv":
            return stream_csv_response(name, current_user, lang, sep)
        return xlsx_response(name, current_user, lang)
    except ExportError as error:
        abort(400, description=str(error))
