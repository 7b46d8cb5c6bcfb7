"""An axe-core audit of every main page, in French and in English, on a phone and a desktop:
no violation of serious or critical impact.

axe-core comes from the npm registry (tests/browser/package.json) and is injected into the
page by the test; the app never serves it. Injecting a script needs the page's
Content-Security-Policy (no inline script) to be bypassed, in the test's browser only.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    AXE,
    LANGS,
    SIZES,
    assert_fits,
    missing_axe,
    record_metrics,
    sign_in,
)

BLOCKING = {"serious", "critical"}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    count: v.nodes.length,
  }));
}"""


def audit(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_accessibility_violation(demo_server, main_pages, open_page, lang, size):
    reason = missing_axe()
    if reason:
        pytest.skip(reason)
    page = open_page(demo_server.base, lang, size, bypass_csp=True)
    blocking: list[str] = []
    minor: dict[str, list[str]] = {}
    for name, path in main_pages.items():
        page.goto(demo_server.url(path))
        if name == "sign-in":
            assert page.url.endswith("/login")
        assert page.locator("html").get_attribute("lang") == lang, name
        assert_fits(page)
        for violation in audit(page):
            line = f"{name} ({path}): [{violation['impact']}] {violation['id']}: "
            line += f"{violation['help']} ({violation['count']}×: {violation['targets']})"
            if violation["impact"] in BLOCKING:
                blocking.append(line)
            else:
                minor.setdefault(name, []).append(f"{violation['impact']} {violation['id']}")
        if name == "sign-in":
            sign_in(page, demo_server, "aissata")
    record_metrics(
        "accessibility",
        f"{lang}-{size}",
        {
            "pages": len(main_pages),
            "serious_or_critical": len(blocking),
            "moderate_or_minor": minor,
        },
    )
    assert not blocking, "\n".join(blocking)
