"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Record ids are INTEGER columns (32-bit on PostgreSQL, 64-bit on SQLite).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in a URL: an id the database can hold. A larger number matches no
    route (404) instead of overflowing the database driver (a 500 before this guard)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_routing(app) -> None:
    """Before any blueprint is registered: their rules are built with these converters."""
    app.url_map.converters["int"] = IdConverter
