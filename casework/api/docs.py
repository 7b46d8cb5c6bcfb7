"""The OpenAPI document and a page that reads it: served by this app, no external asset
(no CDN, no script), so that it works offline and under the app's Content-Security-Policy."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from casework.permissions import public

METHODS = ("get", "post", "patch", "put", "delete")
# A plain blueprint: the document does not describe itself.
bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


def spec() -> dict:
    return current_app.extensions["casework_api"].spec.to_dict()


@bp.route("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document (public: it describes, it holds no data)."""
    return jsonify(spec())


@bp.route("/docs")
@public
def docs():
    document = spec()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    schemas = document.get("components", {}).get("schemas", {})
    return render_template(
        "api/docs.html", document=document, operations=operations, schemas=schemas
    )
