"""Bytes on the wire: pages, styles and JSON compressed when the client accepts it (brotli or
gzip), never formats that are compressed already; static files under fingerprinted URLs,
kept a year by browsers, old URLs still served."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"
TOKEN_RE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+"')


def same_page(html: str) -> str:
    """The page without its CSRF tokens, which are signed anew on every request."""
    return TOKEN_RE.sub(r'\1"', html)


@pytest.fixture
def signed_in(client, seeded, admin):
    client.get("/")  # the welcome message is shown once
    return client


def test_a_page_asked_with_gzip_comes_back_gzip_and_decodes_to_the_same_html(signed_in):
    plain = signed_in.get("/cases")
    packed = signed_in.get("/cases", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = gzip.decompress(packed.data)
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(body) / 3
    assert same_page(body.decode()) == same_page(plain.get_data(as_text=True))


def test_brotli_is_preferred_when_the_browser_accepts_it(signed_in):
    packed = signed_in.get("/cases", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "br"
    plain = signed_in.get("/cases").get_data(as_text=True)
    assert same_page(brotli.decompress(packed.data).decode()) == same_page(plain)


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get("/login", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True).lstrip().lower().startswith("<!doctype html>")


def test_compression_keeps_the_cache_headers_of_the_page(signed_in):
    plain = signed_in.get("/cases")
    packed = signed_in.get("/cases", headers={"Accept-Encoding": "gzip"})
    assert packed.headers.get("Cache-Control") == plain.headers.get("Cache-Control")


@pytest.mark.parametrize(
    ("fmt", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK"), ("docx", b"PK"), ("json", b"{")]
)
def test_formats_compressed_already_are_sent_as_they_are(
    client, seeded, make_user, login, fmt, magic
):
    login(make_user("coordinator", username="coord", area="GAO", lang="fr"))
    response = client.get(
        "/reports/periodic",
        query_string={"period": "2026", "area": "GAO", "lang": "fr", "format": fmt},
        headers={"Accept-Encoding": "gzip, br"},
    )
    assert response.status_code == 200
    if fmt == "json":  # text: compressed
        assert response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(response.data).startswith(magic)
    else:
        assert "Content-Encoding" not in response.headers
        assert response.data.startswith(magic)


def test_a_static_file_url_carries_its_hash_and_is_kept_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    url = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    content = (STATIC / "css" / "casework.css").read_bytes()
    assert url == "/static/css/casework.css?v=" + hashlib.sha256(content).hexdigest()[:12]

    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == content


@pytest.mark.parametrize("query", ["", "?v=0123456789ab"])
def test_an_old_static_url_is_still_served_and_revalidated(client, query):
    response = client.get("/static/css/casework.css" + query)
    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "casework.css").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers.get("ETag")
