"""The yardstick of the case list: a generic admin list, Flask-Admin's ``ModelView`` over one
flat ``cases`` table that holds the same cases as the benchmark database (reference, title,
place, type, status, level, date reported), served by gunicorn in the same run as Casework.

No sign-in, no scope, no translations, no filter form: what a generic tool gives for free.
25 rows per page, newest first (an index on the date, as anyone would add), the count of
rows at the top. ``/bare`` is a bare Flask endpoint (no hook at all).

    gunicorn 'bench.generic_admin:create_generic_app()'   # GENERIC_DATABASE_URL=...
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import sqlalchemy as sa

from bench.app import PID_PATH
from bench.databases import DATA, BenchDatabase, prepare_schema
from bench.measure import list_rows

LIST_PATH = "/admin/flatcase/"
BARE_PATH = "/bare"
BATCH = 5000

metadata = sa.MetaData()
FLAT = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(40), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("place", sa.String(120), nullable=False),
    sa.Column("conflict_type", sa.String(40), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("ladder_level", sa.Integer, nullable=False),
    sa.Column("reported_on", sa.Date, nullable=False, index=True),
)


def _source_rows(source: sa.Connection):
    from casework.cases.models import Case

    return source.execution_options(yield_per=BATCH).execute(list_rows().order_by(Case.id))


def _fill(target_url: str, source_url: str) -> float:
    started = time.perf_counter()
    target = sa.create_engine(target_url)
    source = sa.create_engine(source_url)
    metadata.drop_all(target)
    metadata.create_all(target)
    names = [column.name for column in FLAT.columns]
    with source.connect() as reading, target.begin() as writing:
        for batch in _source_rows(reading).partitions(BATCH):
            writing.execute(FLAT.insert(), [dict(zip(names, row, strict=True)) for row in batch])
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if "postgresql" in target_url else "ANALYZE")
    target.dispose()
    source.dispose()
    return time.perf_counter() - started


def generic_database(source: BenchDatabase, pg_url: str | None = None) -> str:
    """The flat table of the same cases: a SQLite file beside the bench database, or a schema
    of the PostgreSQL database; built once per bench database."""
    if source.backend == "sqlite":
        path = DATA / f"generic-{source.key}.sqlite3"
        url = f"sqlite:///{path}"
        if not path.exists():
            for stale in DATA.glob(f"generic-{source.scale}-*.sqlite3*"):
                stale.unlink()
            partial = path.with_name("partial-" + path.name)
            partial.unlink(missing_ok=True)
            print(f"Copying the cases into the generic list's table ({path.name}) …", flush=True)
            _fill(f"sqlite:///{partial}", source.url)
            partial.rename(path)
        return url
    from casework.config import database_url

    base = database_url(pg_url, DATA)
    schema = "generic_" + source.key.replace("-", "_")
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    url = url.render_as_string(hide_password=False)
    engine = sa.create_engine(base)
    with engine.begin() as connection:
        done = prepare_schema(connection, schema, "generic_ready", f"generic\\_{source.scale}\\_%")
    if not done:
        print(f"Copying the cases into the generic list's schema {schema} …", flush=True)
        _fill(url, source.url)
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE TABLE "{schema}".generic_ready (id int)'))
    engine.dispose()
    return url


def create_generic_app():
    """Flask + Flask-SQLAlchemy + Flask-Admin, as their documentation sets them up."""
    from flask import Flask
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.orm import DeclarativeBase

    class Base(DeclarativeBase):
        pass

    app = Flask(__name__, root_path=str(Path(__file__).parent))
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["GENERIC_DATABASE_URL"]
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "bench-only-secret")
    db = SQLAlchemy(app, model_class=Base)
    # Flask-Admin translates its own labels through Flask-Babel when it is installed.
    from flask_babel import Babel

    Babel(app)

    class FlatCase(db.Model):
        __table__ = FLAT.to_metadata(db.metadata)

    class CaseList(ModelView):
        can_create = can_edit = can_delete = False
        page_size = 25
        column_default_sort = ("reported_on", True)
        column_list = (
            "reference", "title", "place", "conflict_type", "status", "ladder_level",
            "reported_on",
        )  # fmt: skip

    admin = Admin(app, name="Cases")
    admin.add_view(CaseList(FlatCase, db.session))

    @app.route(BARE_PATH)
    def bare():
        return "ok"

    @app.route(PID_PATH)
    def pid():
        return str(os.getpid())

    return app
