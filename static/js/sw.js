/* Casework's service worker (issue 17): the app's shell and the capture forms, kept so that
   a mediator can record with no network. It never keeps the API's answers (those are
   encrypted by offline.js in IndexedDB) and it is erased with them on sign-out. */
"use strict";
var CACHE = "casework-v1";
var SHELL = [
  "/static/css/casework.css",
  "/static/js/offline.js",
  "/static/manifest.webmanifest",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
  "/static/favicon.svg"
];
// The blank capture forms, kept for offline use. Pages that show a case are never kept here
// (Cache Storage is not encrypted): offline.js keeps them encrypted in IndexedDB and draws
// them over one of these forms.
var PAGES = [
  /^\/cases\/new$/,
  /^\/policing\/alerts\/new$/,
  /^\/policing\/activities\/new$/
];
// Every page whose form may be kept for later (offline.js knows which API operation).
var CAPTURE = /^\/(cases\/new|cases\/\d+\/(sessions\/new|edit|follow-ups\/\d+)|policing\/(alerts|activities)\/new)$/;
var SHELLS = ["/cases/new", "/policing/alerts/new", "/policing/activities/new"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function kept(url) {
  return PAGES.some(function (re) { return re.test(url.pathname); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && CAPTURE.test(url.pathname)) {
    // A form sent while the phone thinks it is online: if the network fails, the page stays
    // as it is (204) and its script is told to keep the record for later.
    event.respondWith(fetch(request).catch(function () {
      return self.clients.matchAll({ type: "window" }).then(function (windows) {
        windows.forEach(function (w) {
          if (w.url === request.url) w.postMessage({ type: "post-failed", url: request.url });
        });
        return new Response(null, { status: 204 });
      });
    }));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Versioned files (?v=...): the same URL is the same file; without the network, any
    // version of it.
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      }, function () {
        return caches.match(request, { ignoreSearch: true }).then(function (old) {
          return old || Response.error();
        });
      });
    }));
    return;
  }
  if (!kept(url) && request.mode !== "navigate") return;
  // Pages: the network first; a capture page is kept for when the network is gone.
  event.respondWith(fetch(request).then(function (response) {
    if (kept(url) && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(url.pathname).then(function (hit) {
      return hit || SHELLS.reduce(function (found, path) {
        return found.then(function (page) { return page || caches.match(path); });
      }, Promise.resolve(undefined)).then(function (page) { return page || Response.error(); });
    });
  }));
});
