"""Offline in the field (issue 17), in a real Chromium on a 360 px phone: with no network a
coordinator of Gao records a case with two parties, a session on a case kept offline and an
alert; they wait, encrypted, in IndexedDB (no party name readable); back online they are sent
once, and sent again they are still there once; signing out erases the offline store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date, datetime, timedelta

import pytest

from tests.browser.conftest import serve
from tests.browser.helpers import ROOT, SCREENSHOTS, User, expect, record_metrics, sign_in, tr

TODAY = date.today()
PIN = "2468"
PARTIES = ("Boureima Maïga", "Zeinabou Walet Alhassane")

# The case on which a session is recorded offline, put in mediation by the services.
IN_MEDIATION = """
import sys
from casework import create_app
from casework.auth.services import get_user_by_username
from casework.cases import services
from casework.cases.models import Case
from casework.extensions import db
app = create_app()
with app.app_context():
    case = db.session.get(Case, int(sys.argv[1]))
    by = get_user_by_username(sys.argv[2])
    services.transition(case, "ENREGISTRE", by)
    services.transition(case, "EN_MEDIATION", by)
    db.session.commit()
"""

# Everything the offline store holds, as text (what a thief reading the phone would see).
DUMP_STORE = """async () => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("casework-offline"); r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
  });
  const out = {};
  for (const name of db.objectStoreNames) {
    out[name] = await new Promise((ok) => {
      const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result);
    });
  }
  db.close();
  return JSON.stringify(out);
}"""
SAVE_QUEUE = """async () => {
  const db = await new Promise((ok) => { const r = indexedDB.open("casework-offline");
    r.onsuccess = () => ok(r.result); });
  window.savedQueue = await new Promise((ok) => {
    const r = db.transaction("queue").objectStore("queue").getAll();
    r.onsuccess = () => ok(r.result);
  });
  db.close();
  sessionStorage.setItem("savedQueue", JSON.stringify(window.savedQueue));
  return window.savedQueue.length;
}"""
RESTORE_QUEUE = """async () => {
  const items = JSON.parse(sessionStorage.getItem("savedQueue"));
  const db = await new Promise((ok) => { const r = indexedDB.open("casework-offline");
    r.onsuccess = () => ok(r.result); });
  await new Promise((ok) => {
    const t = db.transaction("queue", "readwrite");
    items.forEach((i) => { i.state = "waiting"; t.objectStore("queue").put(i); });
    t.oncomplete = ok;
  });
  db.close();
  return items.length;
}"""
SEED_CASE = """async (body) => {
  const token = (await (await fetch("/offline/token")).json()).csrf;
  const r = await fetch("/api/v1/cases", {method: "POST", body: JSON.stringify(body), headers: {
    "Content-Type": "application/json", "X-CSRFToken": token, "Idempotency-Key": "seed-1"}});
  const data = await r.json();
  return data.id || JSON.stringify(data);
}"""


def seed_case(page, key: str, days_ago: int, title: str, narrative: str, party: str) -> int:
    """A case of the first place the new-case form offers, made online through the API with
    the page's cookie (the page must be on /cases/new); its id."""
    seed = {
        "unit_id": int(page.locator("#unit_id option").nth(1).get_attribute("value")),
        "event_date": (TODAY - timedelta(days=days_ago)).isoformat(),
        "reported_on": (TODAY - timedelta(days=days_ago - 1)).isoformat(),
        "channel": "PLAINTE_DIRECTE",
        "conflict_type": "DEGATS_CHAMPETRES",
        "scope": "INTRACOMMUNAUTAIRE",
        "title": title,
        "narrative": narrative,
        "narrative_lang": "fr",
        "parties": [{"role": "complainant", "name": party}],
    }
    case_id = page.evaluate(SEED_CASE.replace("seed-1", key), seed)
    assert isinstance(case_id, int), case_id
    return case_id


# What the offline install keeps, gzip-compressed (what a server compressing would send).
INSTALL_BYTES = """async () => {
  let total = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = (await cache.match(request)).body.pipeThrough(new CompressionStream("gzip"));
      total += (await new Response(body).arrayBuffer()).byteLength;
    }
  }
  return total;
}"""
# Everything the service worker keeps (Cache Storage is not encrypted), as text.
CACHED_TEXT = """async () => {
  let text = "";
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) text += await (await cache.match(request)).text();
  }
  return text;
}"""
STORES = """async () => ({
  databases: (await indexedDB.databases()).map((d) => d.name),
  pages: (await Promise.all((await caches.keys()).map(async (name) =>
    (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname))))
    .flat().filter((path) => !path.startsWith("/static/")),
})"""


@pytest.fixture(scope="module")
def field_server(tmp_path_factory):
    users = [User("kadidia", "Kadidia Maïga", "coordinator", area="GAO")]
    yield from serve(tmp_path_factory.mktemp("offline"), users)


def count(server, table: str) -> int:
    with closing(sqlite3.connect(server.instance / "casework.sqlite3")) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def put_in_mediation(server, case_id: int, username: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(CASEWORK_INSTANCE_PATH=str(server.instance), CASEWORK_CONFIG="development")
    subprocess.run(
        [sys.executable, "-c", IN_MEDIATION, str(case_id), username], cwd=ROOT, env=env, check=True
    )


def shot(page, name: str) -> None:
    """A screenshot for the README, from the top of the page (the offline bar)."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / name))


def wait_until_kept(page, *paths: str) -> None:
    """Until these pages are kept: the blank forms by the service worker, the others
    encrypted in IndexedDB (a sync asks for them)."""
    deadline = time.monotonic() + 30
    check = """async (paths) => {
      const db = await new Promise((ok) => { const r = indexedDB.open("casework-offline");
        r.onsuccess = () => ok(r.result); });
      const sealed = await new Promise((ok) => {
        const r = db.transaction("data").objectStore("data").getAllKeys();
        r.onsuccess = () => ok(r.result); });
      db.close();
      const found = await Promise.all(paths.map(async (p) =>
        !!(await caches.match(p)) || sealed.includes("page:" + p)));
      return found.every(Boolean);
    }"""
    while not page.evaluate(check, list(paths)):
        assert time.monotonic() < deadline, (paths, page.evaluate(STORES))
        time.sleep(0.2)


def unlock(page, lang: str) -> None:
    page.fill("#offline-pin", PIN)
    page.locator(".offline-pin button").click()
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))


def waiting(lang: str, n: int) -> str:
    if n == 1:
        return tr("1 record waiting to be sent", lang)
    return tr("%(n)s records waiting to be sent", lang, n=n)


def test_records_made_offline_are_sent_once_and_erased_on_sign_out(field_server, open_page):
    server, lang = field_server, "en"
    page = open_page(server.base, lang, "phone")
    context = page.context
    page.goto(server.url("/login"))
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    shot(page, f"offline-pin-{lang}-360.png")

    # A case in mediation, made online through the API with the page's cookie.
    page.goto(server.url("/cases/new"))
    case_id = seed_case(
        page, "seed-1", 9, "Puits disputé", "Deux familles se disputent le puits.", "Hamidou Touré"
    )
    put_in_mediation(server, case_id, "kadidia")

    # The service worker in charge; a sync keeps the capture pages and the open cases.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.evaluate("window.caseworkOffline.sync()")
    session_page = f"/cases/{case_id}/sessions/new"
    wait_until_kept(page, session_page, "/cases/new", "/policing/alerts/new")
    # Offline reading: the open case, its parties and level, kept (encrypted) at the sync.
    page.reload()
    kept = page.locator(".offline-cases")
    expect(kept.locator("summary")).to_have_text(tr("Cases kept on this phone (%(n)s)", lang, n=1))
    kept.locator("summary").click()
    expect(kept).to_contain_text("Hamidou Touré")
    expect(kept).to_contain_text(tr("Level %(n)s", lang, n=0))

    # No network from here.
    context.set_offline(True)
    page.goto(server.url("/cases/new"))
    page.select_option("#unit_id", index=1)
    page.fill("#event_date", (TODAY - timedelta(days=3)).isoformat())
    page.fill("#reported_on", (TODAY - timedelta(days=2)).isoformat())
    page.select_option("#channel", "PLAINTE_DIRECTE")
    page.select_option("#conflict_type", "DEGATS_CHAMPETRES")
    page.select_option("#scope", "INTRACOMMUNAUTAIRE")
    page.fill("#title", "Champ de mil piétiné")
    page.fill("#narrative", "Un troupeau a traversé le champ de mil.")
    page.select_option("#narrative_lang", "fr")
    page.fill("#livestock_heads", "7")
    for index, name in enumerate(PARTIES):
        page.fill(f"#parties-{index}-name", name)
        page.select_option(f"#parties-{index}-sex", "M" if index == 0 else "F")
        page.select_option(f"#parties-{index}-consent_to_share", "yes")
    page.locator("main form.wide [type=submit]").click()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 1))
    expect(page.locator("main .flash-info")).to_contain_text(
        tr("No network: the record is kept on this phone and will be sent later.", lang)
    )
    shot(page, f"offline-queued-{lang}-360.png")

    page.goto(server.url(session_page))
    # Drawn from its encrypted copy over a blank form.
    expect(page.locator("#held_on")).to_be_visible()
    page.fill("#held_on", TODAY.isoformat())
    page.select_option("#place", "ARBRE_PALABRE")
    page.select_option("#mechanism", "CONCILIATION_CHEF")
    page.fill("#women", "2")
    page.fill("#men", "6")
    page.select_option("#result", "continue")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 2))

    page.goto(server.url("/policing/alerts/new"))
    moment = (datetime.utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#occurred_at", moment)
    page.select_option("#unit_id", index=1)
    page.select_option("#category", "TENSION_INTERCOMMUNAUTAIRE")
    page.select_option("#urgency", "2")
    page.select_option("#source_type", "RELAIS_COMMUNAUTAIRE")
    page.fill("#relay_code", "GAO-R-017")
    page.fill("#description", "Des jeunes se rassemblent près du puits.")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 3))

    # Reloaded with no network, all three still wait; the store shows no party's name.
    page.reload()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 3))
    assert page.locator(".offline-list li").count() == 3
    stored = page.evaluate(DUMP_STORE)
    for secret in (*PARTIES, "Hamidou Touré", "GAO-R-017", "Champ de mil"):
        assert secret not in stored and json.dumps(secret)[1:-1] not in stored, secret
    cached = page.evaluate(CACHED_TEXT)
    for secret in (*PARTIES, "Hamidou Touré", "Puits disputé"):
        assert secret not in cached, secret
    assert page.evaluate(SAVE_QUEUE) == 3
    before = {t: count(server, t) for t in ("cases", "parties", "mediation_sessions", "alerts")}

    # The network returns: each record is sent, once.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))
    after = {t: count(server, t) for t in before}
    assert after == {
        "cases": before["cases"] + 1,
        "parties": before["parties"] + 2,
        "mediation_sessions": before["mediation_sessions"] + 1,
        "alerts": before["alerts"] + 1,
    }
    expect(page.locator(".offline-sent")).to_have_count(3)
    # Each by its author, with the dates and times typed offline.
    with closing(sqlite3.connect(server.instance / "casework.sqlite3")) as connection:
        one = lambda sql: connection.execute(sql).fetchone()  # noqa: E731
        author = one("SELECT id FROM users WHERE username = 'kadidia'")[0]
        assert one("SELECT created_by_id FROM cases WHERE title = 'Champ de mil piétiné'") == (
            author,
        )
        by, held_on = one("SELECT recorded_by_id, held_on FROM mediation_sessions")
        assert (by, str(held_on)) == (author, TODAY.isoformat())
        by, occurred = one("SELECT recorded_by_id, occurred_at FROM alerts")
        assert by == author and str(occurred).startswith(moment.replace("T", " ")), occurred
    shot(page, f"offline-sent-{lang}-360.png")

    # The same three sent again (a sync cut before the answers came back): still once.
    assert page.evaluate(RESTORE_QUEUE) == 3
    page.reload()
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))
    assert {t: count(server, t) for t in before} == after

    # Signing out erases the offline store and the kept pages (the sign-in page's own
    # styles and script may be kept again: they are the same for everyone).
    assert page.evaluate(STORES)["pages"]
    page.get_by_role("button", name=tr("Sign out", lang)).click()
    page.wait_for_url("**/login**")
    stores = page.evaluate(STORES)
    assert "casework-offline" not in stores["databases"] and stores["pages"] == []


def test_wrong_pins_five_times_erase_the_store(field_server, open_page):
    server, lang = field_server, "fr"
    page = open_page(server.base, lang, "phone")
    page.goto(server.url("/login"))
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    page.evaluate("sessionStorage.clear()")
    page.reload()
    for left in (4, 3, 2, 1):
        page.fill("#offline-pin", "0000")
        page.locator(".offline-pin button").click()
        expect(page.locator(".offline-note")).to_have_text(
            tr("Wrong PIN: %(n)s tries left.", lang, n=left)
        )
    page.fill("#offline-pin", "0000")
    page.locator(".offline-pin button").click()
    expect(page.locator(".offline-wiped")).to_have_text(tr("Offline data erased.", lang))
    # The store is new and empty: no salt, no PIN check, no record.
    assert json.loads(page.evaluate(DUMP_STORE)) == {"data": [], "meta": [], "queue": []}


def test_install_and_sync_over_a_2g_link(field_server, open_page):
    """Not a timed test: the figures go to docs/browser-metrics.json."""
    server, lang = field_server, "en"
    page = open_page(server.base, lang, "phone")
    page.goto(server.url("/login"))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    slow = {
        "offline": False,
        "latency": 300,
        "downloadThroughput": 250_000 / 8,
        "uploadThroughput": 250_000 / 8,
    }
    cdp.send("Network.emulateNetworkConditions", slow)
    # From signing in to every capture page kept: the app installed for offline use.
    started = time.monotonic()
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until_kept(page, "/", "/cases/new", "/policing/alerts/new", "/policing/activities/new")
    install = time.monotonic() - started
    installed = page.evaluate(INSTALL_BYTES)
    assert installed <= 200 * 1024, installed
    # No network for the page (its own emulation, over the 2G one), ten alerts.
    page.goto(server.url("/policing/alerts/new"))
    cdp.send("Network.emulateNetworkConditions", {**slow, "offline": True})
    for n in range(10):
        page.fill(
            "#occurred_at", (datetime.utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        )
        page.select_option("#unit_id", index=1)
        page.select_option("#category", "TENSION_INTERCOMMUNAUTAIRE")
        page.select_option("#source_type", "RELAIS_COMMUNAUTAIRE")
        page.fill("#description", f"Rassemblement {n}")
        page.locator("main form [type=submit]").click()
        expect(page.locator(".offline-count")).to_have_text(waiting(lang, n + 1))
    alerts = count(server, "alerts")
    cdp.send("Network.emulateNetworkConditions", slow)
    started = time.monotonic()
    page.evaluate("window.caseworkOffline.sync()")
    expect(page.locator(".offline-count")).to_have_text(
        tr("No record waiting to be sent.", lang), timeout=60_000
    )
    sync = time.monotonic() - started
    assert count(server, "alerts") == alerts + 10
    record_metrics("offline", "install_2g_seconds", round(install, 1))
    record_metrics("offline", "sync_10_records_2g_seconds", round(sync, 1))
    record_metrics("offline", "install_compressed_bytes", installed)


def test_a_refused_record_returns_to_its_form_with_the_input(field_server, open_page):
    server, lang = field_server, "fr"
    page = open_page(server.base, lang, "phone")
    page.goto(server.url("/login"))
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until_kept(page, "/policing/alerts/new")

    # Offline, an alert without its description: the page cannot check it, the API will.
    page.context.set_offline(True)
    page.goto(server.url("/policing/alerts/new"))
    moment = (datetime.utcnow() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#occurred_at", moment)
    page.select_option("#unit_id", index=1)
    page.select_option("#category", "TENSION_INTERCOMMUNAUTAIRE")
    page.select_option("#source_type", "RELAIS_COMMUNAUTAIRE")
    page.fill("#relay_code", "GAO-R-099")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 1))
    shot(page, f"offline-queued-{lang}-360.png")
    alerts = count(server, "alerts")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator(".offline-failed")
    expect(refused).to_contain_text(tr("Some fields are not valid: see the list of fields.", lang))
    assert count(server, "alerts") == alerts
    shot(page, f"offline-refused-{lang}-360.png")

    # Back in its form: what was typed, and the field's message in French.
    refused.get_by_role("link", name=tr("Correct it", lang)).click()
    expect(page.locator("#relay_code")).to_have_value("GAO-R-099")
    expect(page.locator("#occurred_at")).to_have_value(moment)
    expect(page.locator("#description-error")).to_have_text(tr("This field is required.", lang))
    page.fill("#description", "Des hommes armés vus près du marché.")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert count(server, "alerts") == alerts + 1
    page.goto(server.url("/"))
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))


def test_an_offline_edit_of_a_changed_case_leads_to_both_versions(field_server, open_page):
    server, lang = field_server, "en"
    phone = open_page(server.base, lang, "phone")
    phone.goto(server.url("/login"))
    sign_in(phone, server, "kadidia")
    unlock(phone, lang)
    phone.goto(server.url("/cases/new"))
    case_id = seed_case(
        phone,
        "seed-conflict",
        6,
        "Limite de champ contestée",
        "Deux voisins se disputent une limite.",
        "Aliou Cissé",
    )
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    wait_until_kept(phone, f"/cases/{case_id}/edit")

    # The phone, with no network, changes the title on the version it kept.
    phone.context.set_offline(True)
    phone.goto(server.url(f"/cases/{case_id}/edit"))
    phone.fill("#title", "Limite de champ entre deux familles (hors ligne)")
    phone.locator("main form [type=submit]").click()
    expect(phone.locator(".offline-count")).to_have_text(waiting(lang, 1))

    # Meanwhile another device, online, changes it too.
    desk = open_page(server.base, lang, "desktop")
    desk.goto(server.url("/login"))
    sign_in(desk, server, "kadidia")
    desk.goto(server.url(f"/cases/{case_id}/edit"))
    desk.fill("#title", "Limite de champ: bornage demandé")
    desk.locator("main form [type=submit]").click()
    expect(desk.locator(".flash-success")).to_be_visible()

    # Back online: the phone's edit is refused (412), kept, and shown beside the other.
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    link = phone.locator(".offline-conflict")
    expect(link).to_have_text(tr("See both versions", lang))
    link.click()
    expect(phone.locator("h1")).to_have_text(
        tr("Someone else changed this case after you opened it", lang)
    )
    table = phone.locator("main table")
    expect(table).to_contain_text("Limite de champ entre deux familles (hors ligne)")
    expect(table).to_contain_text("Limite de champ: bornage demandé")
    shot(phone, f"offline-conflict-{lang}-360.png")
    with closing(sqlite3.connect(server.instance / "casework.sqlite3")) as connection:
        kinds = connection.execute(
            "SELECT kind, data FROM case_revisions WHERE case_id = ? ORDER BY id", (case_id,)
        ).fetchall()
    titles = {kind: json.loads(data)["title"] for kind, data in kinds if kind != "created"}
    assert titles.get("conflict") == "Limite de champ entre deux familles (hors ligne)", kinds
    assert "Limite de champ: bornage demandé" in [json.loads(d)["title"] for _k, d in kinds]
    # Seen, the conflict leaves the queue (it is in the case's history).
    expect(phone.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))


def test_a_follow_up_visit_recorded_offline(field_server, open_page):
    server, lang = field_server, "fr"
    page = open_page(server.base, lang, "phone")
    page.goto(server.url("/login"))
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    page.goto(server.url("/cases/new"))
    case_id = seed_case(
        page,
        "seed-visit",
        20,
        "Récolte détruite",
        "Des chèvres ont mangé la récolte.",
        "Oumar Dicko",
    )
    put_in_mediation(server, case_id, "kadidia")

    # Online: a session that reaches an agreement, which plans the visits.
    page.goto(server.url(f"/cases/{case_id}/sessions/new"))
    page.fill("#held_on", (TODAY - timedelta(days=5)).isoformat())
    page.select_option("#place", "ARBRE_PALABRE")
    page.select_option("#mechanism", "CONCILIATION_CHEF")
    page.select_option("#result", "agreement")
    page.locator("main form [type=submit]").click()
    page.goto(server.url(f"/cases/{case_id}/agreement/new"))
    page.fill("#concluded_on", (TODAY - timedelta(days=4)).isoformat())
    page.select_option("#form", "written")
    page.select_option("#outcome", "ACCORD_TOTAL")
    page.fill("#terms-0-description", "Rembourser deux sacs de mil")
    page.fill("#terms-0-due_on", (TODAY + timedelta(days=20)).isoformat())
    page.locator("main form [type=submit]").click()
    visit = page.get_by_role("link", name=tr("record the visit", lang), exact=True).first
    path = visit.get_attribute("href")
    page.reload()
    wait_until_kept(page, path)
    kept = page.locator(".offline-cases")
    kept.locator("summary").click()
    expect(kept).to_contain_text("Rembourser deux sacs de mil")

    # Offline, the visit; back online it is recorded once.
    page.context.set_offline(True)
    page.goto(server.url(path))
    page.fill("#done_on", TODAY.isoformat())
    page.select_option("#compliance", "respected")
    page.fill("#notes", "Les sacs ont été rendus.")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 1))
    done = "follow_ups WHERE done_on IS NOT NULL"
    before = count(server, done)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))
    assert count(server, done) == before + 1


def test_a_sync_cut_half_way_sends_the_rest_once(field_server, open_page):
    server, lang = field_server, "en"
    page = open_page(server.base, lang, "phone")
    page.goto(server.url("/login"))
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until_kept(page, "/policing/alerts/new")
    page.context.set_offline(True)
    page.goto(server.url("/policing/alerts/new"))
    for n in range(3):
        moment = (datetime.utcnow() - timedelta(hours=4 + n)).strftime("%Y-%m-%dT%H:%M")
        page.fill("#occurred_at", moment)
        page.select_option("#unit_id", index=1)
        page.select_option("#category", "TENSION_INTERCOMMUNAUTAIRE")
        page.select_option("#source_type", "RELAIS_COMMUNAUTAIRE")
        page.fill("#description", f"Coupure {n}")
        page.locator("main form [type=submit]").click()
        expect(page.locator(".offline-count")).to_have_text(waiting(lang, n + 1))
    alerts = count(server, "alerts")

    # The second alert reaches the server, but its answer is lost, and the network with it.
    calls = []

    def cut(route):
        calls.append(route.request.url)
        if len(calls) == 2:
            route.fetch()
        if len(calls) >= 2:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/v1/alerts", cut)
    page.context.set_offline(False)
    page.evaluate("window.caseworkOffline.sync()")
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 2))
    assert count(server, "alerts") == alerts + 2

    # The retry sends the rest: the second is recognised by its key, the third made.
    page.unroute("**/api/v1/alerts")
    page.get_by_role("button", name=tr("Send now", lang)).click()
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))
    assert count(server, "alerts") == alerts + 3
    with closing(sqlite3.connect(server.instance / "casework.sqlite3")) as connection:
        texts = [row[0] for row in connection.execute("SELECT description FROM alerts")]
    assert sorted(t for t in texts if t.startswith("Coupure")) == [f"Coupure {n}" for n in range(3)]


def test_a_form_sent_when_the_network_fails_on_the_way_is_kept(field_server, open_page):
    """The phone believes it is online, the POST fails: the page stays, the record waits."""
    server, lang = field_server, "fr"
    page = open_page(server.base, lang, "phone")
    page.goto(server.url("/login"))
    sign_in(page, server, "kadidia")
    unlock(page, lang)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(server.url("/policing/alerts/new"))
    page.wait_for_function("!!navigator.serviceWorker.controller")

    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("connectionreset")
        else:
            route.continue_()

    page.context.route("**/policing/alerts/new", drop_posts)
    page.fill("#occurred_at", (datetime.utcnow() - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#unit_id", index=1)
    page.select_option("#category", "TENSION_INTERCOMMUNAUTAIRE")
    page.select_option("#source_type", "RELAIS_COMMUNAUTAIRE")
    page.fill("#description", "Réseau coupé pendant l'envoi.")
    alerts = count(server, "alerts")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".offline-count")).to_have_text(waiting(lang, 1))
    assert count(server, "alerts") == alerts

    page.context.unroute("**/policing/alerts/new")
    page.get_by_role("button", name=tr("Send now", lang)).click()
    expect(page.locator(".offline-count")).to_have_text(tr("No record waiting to be sent.", lang))
    assert count(server, "alerts") == alerts + 1
