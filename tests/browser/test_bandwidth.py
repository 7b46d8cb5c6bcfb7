"""Low bandwidth: every main page, with its styles, scripts and images, moves at most 60 KB
over the wire and asks nothing of another host; on a 2G-like link (250 kbit/s each way,
300 ms of latency) the case list is usable within 5 seconds.

The app compresses its responses (brotli or gzip, whichever the browser accepts): the weight
of a response is what the browser received, its body as sent (compressed) and its headers.
Figures go into docs/browser-metrics.json; docs/performance.md quotes them.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.helpers import (
    LANGS,
    PAGE_BUDGET,
    expect,
    is_local,
    record_metrics,
    sign_in,
)

# Chrome DevTools' own presets call 250 kbit/s with 300 ms "2G"-like (Slow 2G is slower).
LATENCY_MS = 300
KBIT_S = 250
USABLE_WITHIN_S = 5.0


def header_bytes(response) -> int:
    return sum(len(h["name"]) + len(h["value"]) + 4 for h in response.headers_array())


def weigh(context, url: str, base: str) -> dict:
    """Load ``url`` in a new tab with the cache off and weigh every response it took."""
    from playwright.sync_api import Error as PlaywrightError

    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        document = assets = raw = headers = 0
        files = []
        document_encoding = None
        for response in responses:
            assert is_local(response.url, base), f"{url} asked another host: {response.url}"
            sizes = response.request.sizes()
            headers += sizes["responseHeadersSize"] or header_bytes(response)
            if 300 <= response.status < 400:
                continue
            try:
                body = response.body()
            except PlaywrightError:  # the icon, fetched by the browser itself, may be gone
                body = context.request.get(response.url).body()
            raw += len(body)
            sent = sizes["responseBodySize"]  # as it came over the wire (compressed)
            encoding = response.headers.get("content-encoding", "identity")
            if response.request.resource_type == "document":
                document += sent
                document_encoding = encoding
            else:
                assets += sent
                files.append(response.url.removeprefix(base))
    finally:
        page.close()
    return {
        "document_bytes": document,
        "assets_bytes": assets,
        "headers": headers,
        "total_transferred": document + assets + headers,
        "uncompressed": raw,
        "document_encoding": document_encoding,
        "requests": len(responses),
        "assets": sorted(files),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_main_page_is_light_and_local(demo_server, main_pages, open_page, lang):
    page = open_page(demo_server.base, lang, "phone")
    heavy = []
    for name, path in main_pages.items():
        figures = weigh(page.context, demo_server.url(path), demo_server.base)
        record_metrics("page_weights", f"{name} ({lang})", {"path": path, **figures})
        assert figures["document_encoding"] in ("br", "gzip"), figures  # compressed
        if figures["total_transferred"] > PAGE_BUDGET:
            heavy.append(f"{name}: {figures['total_transferred']} bytes")
        if name == "sign-in":
            page.goto(demo_server.url("/login"))
            sign_in(page, demo_server, "aissata")
    assert not heavy, f"over {PAGE_BUDGET} bytes over the wire: {heavy}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_case_list_is_usable_over_2g(demo_server, open_page, lang):
    page = open_page(demo_server.base, lang, "phone")
    page.goto(demo_server.url("/login"))
    sign_in(page, demo_server, "aissata")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # a first visit
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": KBIT_S * 1000 / 8,  # bytes per second
            "uploadThroughput": KBIT_S * 1000 / 8,
        },
    )
    started = time.monotonic()
    page.goto(demo_server.url("/cases"), wait_until="load")
    wall = time.monotonic() - started
    expect(page.locator("table.stack tbody tr").first).to_be_visible()
    timing = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          return {dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
                  load_ms: Math.round(nav.loadEventEnd),
                  first_contentful_paint_ms: paint ? Math.round(paint.startTime) : null,
                  document_bytes: nav.decodedBodySize,
                  document_bytes_transferred: nav.encodedBodySize,
                  rows: document.querySelectorAll('table.stack tbody tr').length};
        }"""
    )
    figures = {
        "latency_ms": LATENCY_MS,
        "down_up_kbit_s": KBIT_S,
        "wall_clock_to_load_s": round(wall, 2),
        **timing,
    }
    record_metrics("throttled_case_list", lang, figures)
    assert wall < USABLE_WITHIN_S, figures
    assert timing["load_ms"] < USABLE_WITHIN_S * 1000, figures
