"""Static files under fingerprinted URLs.

``url_for('static', filename=...)`` adds ``v=<hash of the file's content>``: a new content
gets a new URL, so a URL that carries the current hash is cached for a year and never
revalidated (``immutable``). A URL without it, or with an old hash (a page kept in a cache,
a bookmark), is still served, and revalidated each time (``no-cache`` with its ETag).
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, current_app, request
from werkzeug.security import safe_join

# (path, modification time, size) -> hash: each process reads a file again only when it
# changes on disk, so processes and hosts that serve the same files give the same URLs.
_HASHES: dict[tuple[str, int, int], str] = {}


def fingerprint(filename: str) -> str | None:
    """The first 12 hex digits of the SHA-256 of a static file (None when there is none)."""
    path = safe_join(current_app.static_folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size)
    found = _HASHES.get(key)
    if found is None:
        with open(path, "rb") as fh:
            found = _HASHES[key] = hashlib.sha256(fh.read()).hexdigest()[:12]
    return found


def _add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        digest = fingerprint(values["filename"])
        if digest is not None:
            values["v"] = digest


def _cache_lifetime(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    if response.status_code == 200 and response.is_streamed:
        # Read into memory (a few KB) and the file closed now: compressed as a stream
        # instead, the file would stay open until garbage collection.
        response.direct_passthrough = False
        wrapper = response.response
        try:
            data = b"".join(response.iter_encoded())
        finally:
            if hasattr(wrapper, "close"):
                wrapper.close()
        response.set_data(data)
    asked = request.args.get("v")
    if asked and asked == fingerprint(filename):
        max_age = current_app.config["STATIC_IMMUTABLE_MAX_AGE"]
        response.headers["Cache-Control"] = f"public, max-age={max_age}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


def init_assets(app: Flask) -> None:
    app.url_defaults(_add_fingerprint)
    app.after_request(_cache_lifetime)
