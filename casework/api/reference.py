"""Reference data: the vocabularies (codes with French and English labels) and the
geography, read by the clients that record cases and alerts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from casework.api.common import blp, page_of
from casework.api.schemas import UnitOut, UnitPage, UnitQuery, VocabularyList, VocabularyOut
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.permissions import Action, Resource, requires
from casework.text import fold
from casework.vocab import services as vocab

# Whoever records cases or police work needs the codes; the vocabulary administrators too.
READ_VOCABULARIES = {"or_": [(Resource.POLICING, Action.VIEW), (Resource.VOCABULARY, Action.VIEW)]}


def dump_vocabulary(name: str) -> dict:
    return {
        "name": name,
        "terms": [
            {
                "vocabulary": name,
                "code": term.code,
                "labels": dict(term.labels),
                "is_active": bool(term.is_active),
                "mandatory_referral": bool(term.mandatory_referral),
            }
            for term in vocab.terms(name, include_inactive=True)
        ],
    }


@blp.route("/vocabularies", methods=["GET"], endpoint="list_vocabularies")
@requires(Resource.CASE, Action.VIEW, **READ_VOCABULARIES)
@blp.response(200, VocabularyList)
def list_vocabularies():
    """Every vocabulary with its terms (inactive ones too: older records hold them)."""
    return {"items": [dump_vocabulary(name) for name in vocab.VOCABULARIES]}


@blp.route("/vocabularies/<string:name>", methods=["GET"], endpoint="get_vocabulary")
@requires(Resource.CASE, Action.VIEW, **READ_VOCABULARIES)
@blp.response(200, VocabularyOut)
def get_vocabulary(name: str):
    if name not in vocab.VOCABULARIES:
        abort(404)
    return dump_vocabulary(name)


def dump_unit(unit: AdminUnit) -> dict:
    return {name: getattr(unit, name) for name in UnitOut().fields}


@blp.route("/units", methods=["GET"], endpoint="list_units")
@requires(Resource.GEOGRAPHY, Action.VIEW)
@blp.arguments(UnitQuery, location="query", as_kwargs=False)
@blp.response(200, UnitPage)
def list_units(args):
    """The administrative units (regions, cercles, communes, villages, fractions)."""
    statement = sa.select(AdminUnit)
    if args.get("kind"):
        statement = statement.where(AdminUnit.kind == args["kind"])
    if args.get("parent_id"):
        statement = statement.where(AdminUnit.parent_id == args["parent_id"])
    if args.get("q"):
        statement = statement.where(
            AdminUnit.name_search.contains(fold(args["q"]), autoescape=True)
        )
    return page_of(statement, AdminUnit.id, args, dump_unit)


@blp.route("/units/<int:unit_id>", methods=["GET"], endpoint="get_unit")
@requires(Resource.GEOGRAPHY, Action.VIEW)
@blp.response(200, UnitOut)
def get_unit(unit_id: int):
    unit = db.session.get(AdminUnit, unit_id)
    if unit is None:
        abort(404)
    return dump_unit(unit)
