/* Casework offline (issue 17): the pages work without this script; with it, a capture form
   filled with no network is kept in an encrypted queue in IndexedDB and sent to the API
   (/api/v1) once the network returns, each record with its own UUID as Idempotency-Key.

   At rest everything is AES-GCM encrypted with a key derived (PBKDF2) from an offline PIN;
   five wrong PINs, signing out, or too many days without a sync erase it all. */
(function () {
  "use strict";
  var body = document.body;
  var cfg = {};
  try { cfg = JSON.parse(body.getAttribute("data-offline") || "{}"); } catch (e) { cfg = {}; }
  if (!cfg.user || !window.indexedDB || !window.crypto || !crypto.subtle) return;

  var DB = "casework-offline", ITERATIONS = 310000, MAX_TRIES = 5, DAY = 86400000;
  var KEY_SLOT = "casework-offline-key";
  var msg = cfg.msg;  // (cfg, msg and body change when a kept page is drawn)
  var key = null, bar = null, busy = false, again = false;

  function say(name, values) {
    return msg[name].replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }

  // --- IndexedDB: "meta" (salt, PIN check, tries, last sync, owner), "queue", "data" ------
  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("meta");
        db.createObjectStore("queue", { keyPath: "id" });
        db.createObjectStore("data");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode), result;
        var req = work(t.objectStore(store));
        if (req) req.onsuccess = function () { result = req.result; };
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  function get(store, k) { return tx(store, "readonly", function (s) { return s.get(k); }); }
  function put(store, v, k) {
    return tx(store, "readwrite", function (s) { return k === undefined ? s.put(v) : s.put(v, k); });
  }
  function del(store, k) { return tx(store, "readwrite", function (s) { return s.delete(k); }); }
  function all(store) { return tx(store, "readonly", function (s) { return s.getAll(); }); }

  function wipe() {
    key = null;
    sessionStorage.removeItem(KEY_SLOT);
    var jobs = [new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(DB);
      req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
    })];
    if (window.caches) {
      jobs.push(caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (k) { return caches.delete(k); }));
      }));
    }
    return Promise.all(jobs);
  }

  // --- Web Crypto ---------------------------------------------------------------------------
  var enc = new TextEncoder(), dec = new TextDecoder();
  function b64(buf) { return btoa(String.fromCharCode.apply(null, new Uint8Array(buf))); }
  function unb64(s) { return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); }); }

  function derive(pin, salt) {
    return crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveKey"])
      .then(function (base) {
        return crypto.subtle.deriveKey(
          { name: "PBKDF2", salt: salt, iterations: ITERATIONS, hash: "SHA-256" },
          base, { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
      });
  }
  function seal(value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, enc.encode(JSON.stringify(value)))
      .then(function (ct) { return { iv: b64(iv), ct: b64(ct) }; });
  }
  function unseal(box, withKey) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(box.iv) }, withKey || key, unb64(box.ct))
      .then(function (plain) { return JSON.parse(dec.decode(plain)); });
  }
  // The key of this tab, so that each page does not ask the PIN again (gone with the tab).
  function remember() {
    return crypto.subtle.exportKey("raw", key).then(function (raw) {
      sessionStorage.setItem(KEY_SLOT, b64(raw));
    });
  }
  function recall() {
    var raw = sessionStorage.getItem(KEY_SLOT);
    if (!raw) return Promise.resolve(null);
    return crypto.subtle.importKey("raw", unb64(raw), "AES-GCM", true, ["encrypt", "decrypt"]);
  }

  function unlock(pin) {
    return get("meta", "salt").then(function (salt) {
      if (!salt) {  // first PIN: a new store for this user
        salt = crypto.getRandomValues(new Uint8Array(16));
        return derive(pin, salt).then(function (k) {
          key = k;
          return seal("casework").then(function (check) {
            return Promise.all([put("meta", salt, "salt"), put("meta", check, "check"),
              put("meta", 0, "tries"), put("meta", cfg.user, "owner"),
              put("meta", Date.now(), "synced")]);
          });
        }).then(remember).then(function () { return true; });
      }
      return Promise.all([derive(pin, salt), get("meta", "check")]).then(function (r) {
        return unseal(r[1], r[0]).then(function () {
          key = r[0];
          return put("meta", 0, "tries").then(remember).then(function () { return true; });
        }, function () {
          return get("meta", "tries").then(function (tries) {
            tries = (tries || 0) + 1;
            if (tries >= MAX_TRIES) return wipe().then(function () { return "wiped"; });
            return put("meta", tries, "tries").then(function () { return MAX_TRIES - tries; });
          });
        });
      });
    });
  }

  // --- The form, as the API's JSON ----------------------------------------------------------
  function convert(type, value, values) {
    if (type === "ints") return values.map(function (v) { return parseInt(v, 10); });
    if (type === "csv") {
      return value.split(",").map(function (v) { return v.trim(); }).filter(Boolean);
    }
    if (value === "") return undefined;
    if (type === "int") return /^-?\d+$/.test(value.trim()) ? parseInt(value, 10) : value;
    if (type === "bool") return value === "y" || value === "yes" || value === "on" || value === "true";
    if (type === "moment") return value.length === 16 ? value + ":00+00:00" : value;
    return value;
  }
  function toJson(entries, spec) {
    var out = {}, parties = {};
    Object.keys(spec.shape).forEach(function (name) {
      var type = spec.shape[name];
      if (type === "parties") return;
      var values = entries.filter(function (e) { return e[0] === name; }).map(function (e) { return e[1]; });
      if (!values.length && type !== "ints" && type !== "csv") return;
      var v = convert(type, values[0] || "", values);
      if (v !== undefined) out[name] = v;
    });
    entries.forEach(function (e) {
      var m = /^parties-(\d+)-(\w+)$/.exec(e[0]);
      if (!m || !spec.party[m[2]]) return;
      var party = parties[m[1]] = parties[m[1]] || {};
      var v = convert(spec.party[m[2]], e[1], [e[1]]);
      party[m[2]] = v === undefined && m[2] === "consent_to_share" ? null : v;
    });
    if (spec.shape.parties) {
      out.parties = Object.keys(parties).sort(function (a, b) { return a - b; })
        .map(function (i) { return parties[i]; }).filter(function (p) { return p.name; })
        .map(function (p) {
          Object.keys(p).forEach(function (k) { if (p[k] === undefined) delete p[k]; });
          return p;
        });
    }
    return out;
  }
  function entriesOf(form) {
    var list = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrf_token") list.push([name, value]);
    });
    return list;
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function enqueue(form, spec) {
    var entries = entriesOf(form);
    var record = {
      url: spec.api, body: toJson(entries, spec), entries: entries,
      method: spec.method || "POST", conflict: spec.conflict,
      version: (entries.filter(function (e) { return e[0] === "version"; })[0] || [])[1],
      page: location.pathname, label: document.title.split(" · ")[0] + " · " + new Date().toLocaleString(cfg.lang)
    };
    return seal(record).then(function (box) {
      return put("queue", { id: uuid(), at: Date.now(), state: "waiting", box: box });
    });
  }

  // --- Sending ------------------------------------------------------------------------------
  function fetchJson(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin" }, options)).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, data: data, redirected: r.redirected };
      });
    });
  }
  function log(line) {
    return get("meta", "log").then(function (box) {
      return box ? unseal(box) : [];
    }).then(function (lines) {
      lines.unshift(line);
      return seal(lines.slice(0, 10));
    }).then(function (box) { return put("meta", box, "log"); });
  }

  function sendOne(item, csrf) {
    return unseal(item.box).then(function (record) {
      var headers = {
        "Content-Type": "application/json", "Accept": "application/json",
        "Accept-Language": cfg.lang, "Idempotency-Key": item.id, "X-CSRFToken": csrf
      };
      // An edit names the version it was made on: 412 when the case changed since.
      if (record.method === "PATCH") headers["If-Match"] = '"v' + record.version + '"';
      return fetchJson(record.url, {
        method: record.method || "POST",
        headers: headers,
        body: JSON.stringify(record.body)
      }).then(function (answer) {
        if (answer.status === 200 || answer.status === 201) {
          return del("queue", item.id).then(function () {
            return log({ ok: true, label: record.label });
          });
        }
        var error = (answer.data && answer.data.error) || {};
        if (answer.status >= 500 || answer.status === 401 || error.code === "csrf") {
          throw new Error("try again later");
        }
        record.error = { message: error.message || String(answer.status), fields: error.fields || {} };
        if (answer.status === 412) record.error = { message: msg.conflict, fields: {}, conflict: true };
        return seal(record).then(function (box) {
          item.box = box; item.state = "failed";
          return put("queue", item);
        });
      });
    });
  }

  function sync() {
    if (!key || !navigator.onLine) return Promise.resolve();
    if (busy) { again = true; return Promise.resolve(); }  // once more when this one ends
    busy = true;
    return fetchJson(cfg.token_url).then(function (t) {
      if (t.status !== 200 || !t.data.csrf) throw new Error("signed out");
      return all("queue").then(function (items) {
        var waiting = items.filter(function (i) { return i.state === "waiting"; })
          .sort(function (a, b) { return a.at - b.at; });
        return waiting.reduce(function (chain, item) {
          return chain.then(function () { return sendOne(item, t.data.csrf); });
        }, Promise.resolve());
      });
    }).then(refresh).then(function () {
      return put("meta", Date.now(), "synced");
    }).catch(function () { /* the network again: the queue waits for the next try */ })
      .then(function () {
        busy = false;
        if (again) { again = false; return sync(); }
        return show();
      });
  }

  // Offline reading: the user's open, visible cases, and the capture pages kept by the worker.
  function refresh() {
    return fetchJson(cfg.cases_url).then(function (answer) {
      if (answer.status !== 200) return;
      var cases = (answer.data.items || []).filter(function (c) {
        return c.details_visible && !c.archived && cfg.open.indexOf(c.status) >= 0;
      });
      // The blank forms are kept by the worker; the pages that show a case (and the home
      // page) only encrypted, here.
      var forms = ["/cases/new", "/policing/alerts/new", "/policing/activities/new"];
      var pages = ["/"];
      cases.forEach(function (c) { pages.push("/cases/" + c.id + "/sessions/new", "/cases/" + c.id + "/edit"); });
      // Each case's last session and its agreements' terms, for the palaver without network.
      return Promise.all(cases.map(function (c) {
        var base = cfg.cases_url.split("?")[0] + "/" + c.id;
        return Promise.all([fetchJson(base + "/sessions?limit=100"), fetchJson(base + "/agreements?limit=100"),
          fetchJson(base + "/follow-ups?limit=100")])
          .then(function (r) {
            (r[2].data.items || []).forEach(function (f) {  // the visits still to make
              if (!f.done_on) pages.push("/cases/" + c.id + "/follow-ups/" + f.id);
            });
            var sessions = (r[0].data.items || []).map(function (x) { return x.held_on; }).sort();
            c.last_session = sessions.length ? sessions[sessions.length - 1] : null;
            c.terms = [];
            (r[1].data.items || []).forEach(function (a) {
              (a.terms || []).forEach(function (t) { c.terms.push({ text: t.description, due: t.due_on }); });
            });
          });
      })).then(function () { return seal(cases); })
        .then(function (box) { return put("data", box, "cases"); })
        .then(function () {
          return Promise.all(forms.map(function (p) {
            return fetch(p, { credentials: "same-origin" }).catch(function () {});
          }).concat(pages.map(keepPage)));
        });
    });
  }

  function keepPage(path) {
    return fetch(path, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok || r.redirected) return;
      return r.text().then(seal).then(function (box) { return put("data", box, "page:" + path); });
    }).catch(function () {});
  }

  // Offline, the worker answers a page it does not keep with a blank form of the app: the
  // page asked for is then drawn from its encrypted copy, once the PIN has unlocked it.
  function kept() {
    if (cfg.path === location.pathname) return Promise.resolve(false);
    // A blank form standing in for another page: not to be filled as if it were that page.
    document.getElementById("main").hidden = true;
    if (!key) return Promise.resolve(false);
    return get("data", "page:" + location.pathname).then(function (box) {
      if (!box) return false;
      return unseal(box).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.title = doc.title;
        document.body.replaceWith(document.importNode(doc.body, true));
        body = document.body;
        cfg = JSON.parse(body.getAttribute("data-offline") || "{}");
        msg = cfg.msg;
        bar = null;
        return true;
      });
    });
  }

  // --- Offline reading: the cases kept on this phone -----------------------------------------
  function casesKept(cases) {
    var box = el("details", { "class": "offline-cases" });
    box.appendChild(el("summary", {}, say("cases", { n: cases.length })));
    cases.forEach(function (c) {
      var item = el("section", { "class": "offline-case" });
      item.appendChild(el("h2", {}, c.reference + " · " + c.title));
      item.appendChild(el("p", {}, say("level", { n: c.ladder_level }) + " · " +
        say("last_session", { date: c.last_session || "—" })));
      var parties = el("ul");
      c.parties.forEach(function (p) { parties.appendChild(el("li", {}, p.name + " (" + p.role + ")")); });
      item.appendChild(parties);
      if (c.terms.length) {
        item.appendChild(el("p", {}, msg.terms));
        var terms = el("ul");
        c.terms.forEach(function (t) {
          terms.appendChild(el("li", {}, t.text + (t.due ? " · " + say("due", { date: t.due }) : "")));
        });
        item.appendChild(terms);
      }
      item.appendChild(el("a", { href: "/cases/" + c.id + "/sessions/new" }, msg.session));
      box.appendChild(item);
    });
    return box;
  }

  // --- The status bar -----------------------------------------------------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }
  function count(n) {
    return n === 0 ? msg.none : n === 1 ? msg.waiting_one : say("waiting", { n: n });
  }
  function pinForm() {
    var form = el("form", { "class": "offline-pin" });
    var id = "offline-pin";
    return get("meta", "salt").then(function (salt) {
      form.appendChild(el("label", { "for": id }, salt ? msg.pin_ask : msg.pin_new));
      var input = el("input", { id: id, type: "password", inputmode: "numeric", autocomplete: "off",
        minlength: "4", required: "" });
      form.appendChild(input);
      form.appendChild(el("button", { type: "submit" }, msg.pin_ok));
      var note = el("p", { "class": "offline-note", role: "alert" });
      form.appendChild(note);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (input.value.length < 4) return;
        unlock(input.value).then(function (result) {
          if (result === true) {
            if (cfg.path !== location.pathname) { location.reload(); return; }
            show().then(sync);
            return;
          }
          input.value = "";
          if (result !== "wiped") { note.textContent = say("pin_wrong", { n: result }); return; }
          show().then(function () {
            bar.insertBefore(el("p", { "class": "offline-wiped", role: "alert" }, msg.wiped), bar.firstChild);
          });
        });
      });
      return form;
    });
  }
  function show() {
    if (!bar) {
      // Beside the page's main part, not in it: the page's own forms stay the only ones there.
      bar = el("section", { "class": "offline-bar", "aria-live": "polite", "id": "offline-bar",
        "aria-label": msg.title });
      var main = document.getElementById("main");
      main.parentNode.insertBefore(bar, main);
    }
    if (!key) {
      return all("queue").then(function (items) {
        bar.textContent = "";
        if (items.length) bar.appendChild(el("p", { "class": "offline-count" }, count(items.length)));
        return pinForm().then(function (form) { bar.appendChild(form); });
      });
    }
    return Promise.all([all("queue"), get("meta", "log"), get("data", "cases")]).then(function (r) {
      var kept = r[2] ? unseal(r[2]) : Promise.resolve([]);
      var items = r[0];
      return Promise.all([Promise.all(items.map(function (i) { return unseal(i.box); })),
        r[1] ? unseal(r[1]) : []]).then(function (open) {
        bar.textContent = "";
        var waiting = items.filter(function (i) { return i.state === "waiting"; }).length;
        bar.appendChild(el("p", { "class": "offline-count" },
          count(items.length)));
        var send = el("button", { type: "button", "class": "offline-send" }, msg.send);
        send.disabled = !waiting;
        send.addEventListener("click", sync);
        bar.appendChild(send);
        var list = el("ul", { "class": "offline-list" });
        items.forEach(function (item, n) {
          var record = open[0][n];
          if (item.state !== "failed") { list.appendChild(el("li", {}, record.label)); return; }
          var li = el("li", { "class": "offline-failed" },
            say("failed", { label: record.label, reason: record.error.message }) + " ");
          li.appendChild(record.error.conflict
            ? el("a", { href: record.conflict, "class": "offline-conflict" }, msg.see)
            : el("a", { href: record.page + "?offline=" + item.id }, msg.fix));
          list.appendChild(li);
        });
        open[1].forEach(function (line) {
          list.appendChild(el("li", { "class": "offline-sent" }, say("sent", { label: line.label })));
        });
        bar.appendChild(list);
        return kept.then(function (cases) { if (cases.length) bar.appendChild(casesKept(cases)); });
      });
    });
  }

  function flat(value) {  // the API's messages of a field, of a list's items, of a party's
    if (typeof value === "string") return [value];
    var values = Array.isArray(value) ? value : Object.keys(value).map(function (k) { return value[k]; });
    return values.reduce(function (acc, v) { return acc.concat(flat(v)); }, []);
  }

  // A refused record back in its form, with what the user typed and why it was refused.
  function restore(form) {
    var id = new URLSearchParams(location.search).get("offline");
    if (!id || !key) return Promise.resolve(null);
    return get("queue", id).then(function (item) {
      if (!item) return null;
      return unseal(item.box).then(function (record) {
        record.entries.forEach(function (e) {
          var fields = form.querySelectorAll("[name='" + e[0].replace(/'/g, "") + "']");
          Array.prototype.forEach.call(fields, function (f) {
            if (f.type === "checkbox" || f.type === "radio") f.checked = f.value === e[1];
            else if (f.multiple) Array.prototype.forEach.call(f.options, function (o) { if (o.value === e[1]) o.selected = true; });
            else f.value = e[1];
          });
        });
        var box = el("div", { "class": "form-errors", role: "alert" });
        box.appendChild(el("p", {}, record.error.message));
        var fields = record.error.fields || {};
        Object.keys(fields).forEach(function (name) {
          var text = flat(fields[name]).join(" ");
          var input = form.querySelector("[name='" + name.replace(/'/g, "") + "']");
          var field = input && input.closest(".field");
          if (!field) { box.appendChild(el("p", {}, name + " : " + text)); return; }
          field.classList.add("has-error");
          input.setAttribute("aria-invalid", "true");
          field.appendChild(el("p", { "class": "error", id: input.id + "-error" }, text));
          input.setAttribute("aria-describedby", input.id + "-error");
        });
        form.parentNode.insertBefore(box, form);
        return id;
      });
    });
  }

  function capture() {
    var form = cfg.form && document.querySelector("main form[method='post']:not(.offline-pin)");
    if (!form) return;
    var replaced = null;
    restore(form).then(function (id) { replaced = id; });
    function keep() {
      if (!key) { show(); document.getElementById("offline-pin").focus(); return; }
      enqueue(form, cfg.form).then(function () {
        form.reset();
        return show();
      }).then(function () {
        var note = el("p", { "class": "flash flash-info", role: "status" }, msg.queued);
        form.parentNode.insertBefore(note, form);
        note.scrollIntoView();
      });
    }
    // A sending is kept once: by the submit offline, or, sent online, when the worker says the
    // network failed on the way. Never by a message this page did not send for: after a keep
    // the form is reset, and a second keep would queue its original values as the user's.
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (replaced && key) del("queue", replaced);
      if (navigator.onLine) { sent = true; return; }  // the page's own POST, as without JavaScript
      event.preventDefault();
      sent = false;
      keep();
    });
    // Sent online but the network failed on the way: the worker kept the page; keep the record.
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (!sent || !event.data || event.data.type !== "post-failed" || event.data.url !== location.href) return;
        sent = false;
        keep();
      });
    }
  }

  // The conflict page shown: the refused edit is kept in the case's history, not here.
  function seen() {
    return all("queue").then(function (items) {
      return Promise.all(items.filter(function (i) { return i.state === "failed"; }).map(function (i) {
        return unseal(i.box).then(function (r) {
          if (r.error.conflict && r.conflict === location.pathname) return del("queue", i.id);
        });
      }));
    });
  }

  // Sign-out erases everything kept offline, before the page's own POST.
  function guardSignOut() {
    Array.prototype.forEach.call(document.querySelectorAll("form[action$='/logout']"), function (f) {
      f.addEventListener("submit", function (event) {
        if (f.dataset.wiped) return;
        event.preventDefault();
        wipe().then(function () { f.dataset.wiped = "1"; f.submit(); });
      });
    });
  }

  function start() {
    return Promise.all([get("meta", "owner"), get("meta", "synced")]).then(function (r) {
      var stale = r[1] && Date.now() - r[1] > cfg.stale_days * DAY;
      if ((r[0] && r[0] !== cfg.user) || stale) return wipe();
    }).then(recall).then(function (k) { key = k; })
      .then(kept)
      .then(function () { guardSignOut(); return key && seen(); })
      .then(show).then(capture).then(sync);
  }

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(cfg.sw, { scope: "/" }).catch(function () {});
  window.addEventListener("online", sync);
  setInterval(sync, 60000);
  window.caseworkOffline = { sync: sync, wipe: wipe };
  start();
})();
