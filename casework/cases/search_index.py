"""The index behind case search: substring matching on the folded ``cases.search_text``.

SQLAlchemy cannot declare these objects, so they are created here, beside the table (by
``create_all`` through DDL events, and by migration 0004 with the same statements):

- SQLite: ``cases_search``, an FTS5 table with the trigram tokenizer whose content is
  ``cases.search_text`` (external content: it stores only the index), kept in step by
  three triggers. ``MATCH '"word"'`` finds every row containing the word as a substring,
  as ``LIKE '%word%'`` does, through the index.
- PostgreSQL: a GIN index with ``gin_trgm_ops`` (pg_trgm) on ``cases.search_text``, which
  the planner uses for ``LIKE '%word%'`` itself. When pg_trgm cannot be created (a user
  without the right, a server without contrib), the index is left out and search scans.

The schema comparison of the migration test leaves these objects out by name
(``include_name`` / ``include_object`` below): they are not the models' to describe.
"""

from __future__ import annotations

import sqlalchemy as sa

FTS_TABLE = "cases_search"
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
TRGM_INDEX = "ix_cases_search_text_trgm"
TRIGGERS = ("cases_search_ai", "cases_search_ad", "cases_search_au")
# Trigram queries need at least three characters; shorter words fall back to LIKE.
MIN_TRIGRAM = 3

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_search USING fts5("
    "search_text, content='cases', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS cases_search_ai AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_ad AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_au AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Rows written before the index existed (an upgrade of a filled database).
    "INSERT INTO cases_search(cases_search) VALUES ('rebuild')",
)
SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS) + (
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
PG_OPCLASS_VISIBLE = (
    "SELECT count(*) FROM pg_opclass WHERE opcname = 'gin_trgm_ops' AND pg_opclass_is_visible(oid)"
)
PG_CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON cases USING gin (search_text gin_trgm_ops)"
)
PG_DROP_INDEX = f"DROP INDEX IF EXISTS {TRGM_INDEX}"


def create(connection: sa.Connection) -> bool:
    """Create the search index on this connection's database; False when it could not be."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_CREATE:
            connection.exec_driver_sql(statement)
        return True
    if dialect == "postgresql":
        if not connection.scalar(sa.text(PG_OPCLASS_VISIBLE)):
            try:
                with connection.begin_nested():
                    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except sa.exc.DBAPIError:
                return False  # no right to create it: search works, without the index
        if not connection.scalar(sa.text(PG_OPCLASS_VISIBLE)):
            return False  # pg_trgm lives in a schema outside the search path
        connection.exec_driver_sql(PG_CREATE_INDEX)
        return True
    return False


def drop(connection: sa.Connection) -> None:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)
    elif dialect == "postgresql":
        connection.exec_driver_sql(PG_DROP_INDEX)


def is_search_index_name(name: str | None) -> bool:
    if not name:
        return False
    return name in (TRGM_INDEX, FTS_TABLE) or (
        name.startswith(FTS_TABLE + "_") and name[len(FTS_TABLE) :] in FTS_SHADOW_SUFFIXES
    )


def include_name(name, type_, parent_names) -> bool:
    """Alembic hook: leave the search index's tables and index out of schema comparisons."""
    return not (type_ in ("table", "index") and is_search_index_name(name))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ in ("table", "index") and is_search_index_name(name))


def install(table: sa.Table) -> None:
    """Create and drop the search index with the ``cases`` table (``create_all``/``drop_all``)."""
    sa.event.listen(table, "after_create", lambda target, connection, **kw: create(connection))
    sa.event.listen(table, "before_drop", lambda target, connection, **kw: drop(connection))
