"""What the browser tests share: the two screen sizes, the catalogue, page checks."""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
SCREENSHOTS = DOCS / "screenshots"
METRICS = DOCS / "browser-metrics.json"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("CASEWORK_CHROMIUM", "/usr/bin/chromium"))
# Chromium as the machine notes say to start it: no sandbox as root, no GPU, and none of
# the background connections to Google that a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PASSWORD = "correct horse battery"
LANGS = ("fr", "en")
SIZES = {
    "phone": {"width": 360, "height": 640},
    "desktop": {"width": 1280, "height": 800},
}
# The browser's language per interface language (its Accept-Language).
ACCEPT = {"fr": "fr-FR", "en": "en-GB"}
PAGE_BUDGET = 60 * 1024  # bytes, compressed, a page with its styles, scripts and images


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Chromium is missing at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


def missing_axe() -> str | None:
    if not AXE.exists():
        return f"axe-core is missing at {AXE.relative_to(ROOT)} (cd tests/browser && npm ci)"
    return None


def other(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


def _catalogue() -> dict[str, str]:
    path = ROOT / "casework/translations/fr/LC_MESSAGES/messages.po"
    with open(path, "rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and isinstance(m.id, str)}


FRENCH = _catalogue()


def tr(msgid: str, lang: str, **values) -> str:
    """A source string as the interface shows it in ``lang`` (the tests follow the catalogue)."""
    text = (FRENCH.get(msgid) or msgid) if lang == "fr" else msgid
    return text % values if values else text


def expect(target, message: str | None = None):
    """Playwright's ``expect``, imported late: without playwright the tests are skipped,
    not broken at collection."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def page_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def assert_fits(page) -> None:
    """Nothing on the page needs horizontal scrolling at the current viewport width."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " window.innerWidth]"
    )
    scroll, client, inner = widths
    assert scroll <= client, f"{page.url} is {scroll}px wide in a {client}px viewport"
    assert client == inner or inner - client <= 20, widths  # at most a vertical scrollbar
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap, pre, table')]
              .filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert not wide, f"{page.url}: parts scroll sideways: {wide}"


@dataclass
class User:
    username: str
    full_name: str
    role: str
    area: str | None = None
    password: str = PASSWORD


@dataclass
class Server:
    base: str
    instance: Path
    users: dict[str, User] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


def sign_in(page, server: Server, username: str) -> None:
    """Sign in through the form (the page must be the sign-in page)."""
    user = server.users[username]
    page.fill("#username", user.username)
    page.fill("#password", user.password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(server.url("/"))


def is_local(url: str, base: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return f"{parts.scheme}://{parts.netloc}" == base


def record_metrics(section: str, key: str, value) -> None:
    """Merge one figure into docs/browser-metrics.json (the doc quotes it). Under a lock and
    written whole (a temporary file renamed over it): another process never reads half a
    file, and no figure is lost when two write at once."""
    METRICS.parent.mkdir(parents=True, exist_ok=True)
    with open(METRICS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(METRICS.read_text()) if METRICS.exists() else {}
        data.setdefault(section, {})[key] = value
        partial = METRICS.with_suffix(".partial")
        partial.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        os.replace(partial, METRICS)
