"""Small helpers about the request itself, shared by every layer: what the client accepts,
where to send it back, where it comes from."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for

HOME = "home.index"


def wants_html() -> bool:
    """Browsers (and clients that accept anything) get pages; API clients get JSON."""
    accept = request.accept_mimetypes
    if not accept:
        return True
    return accept.best_match(["text/html", "application/json"]) == "text/html"


def safe_next(target: str | None, fallback: str = HOME) -> str:
    """A local path to return to, never another host (open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(fallback)


def client_address() -> str:
    return request.remote_addr or "unknown"
