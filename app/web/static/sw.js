// Frontline's service worker, served at /sw.js so that it controls the
// whole site. It does three things, and nothing else:
//
//  1. Lessons readable offline. Learner pages (the dashboard and /courses/…)
//     go to the network first; a copy of each one that answers 200 is kept,
//     and shown when the network is not there. pwa.js asks for the next
//     module of each course in progress to be kept too, before it is opened.
//  2. Quizzes submitted offline. A quiz form that cannot reach the server is
//     kept on this device (IndexedDB) and sent when the connection returns.
//     The form carries its idempotency key and quiz draw, so a form sent
//     twice is stored once.
//  3. Nothing private stays behind. Signing in or out deletes every kept
//     page and every waiting form: the next person on this device finds none.
//
// Everything else (manager, trainer and admin pages, any other POST) goes to
// the network untouched.
"use strict";

const PAGES = "frontline-pages-v1";
const STATIC = "frontline-static-v1";
const STATIC_FILES = ["/static/app.css", "/static/pwa.js", "/static/quiz.js", "/static/icon-192.png"];
const QUIZ = /^\/courses\/[^/]+\/[^/]+\/quiz$/;
const DB = "frontline-offline";
const STORE = "quizzes";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((c) => c.addAll(STATIC_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== PAGES && name !== STATIC) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

// keptPage reports whether a page is a learner's page worth keeping offline.
function keptPage(url) {
  return url.origin === self.location.origin && (url.pathname === "/" || url.pathname.startsWith("/courses/"));
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (req.method === "POST") {
    if (url.pathname === "/logout" || url.pathname === "/login") {
      // A new person may be about to use this device.
      event.waitUntil(forgetEverything());
      return;
    }
    if (QUIZ.test(url.pathname)) {
      event.respondWith(submitQuiz(req));
    }
    return;
  }
  if (req.method !== "GET") {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // The network (and the browser's HTTP cache) first, so a new
    // stylesheet or script reaches everyone on deploy; the kept copy offline.
    event.respondWith(fetch(req).then((res) => {
      if (res.ok && STATIC_FILES.includes(url.pathname)) {
        const copy = res.clone();
        caches.open(STATIC).then((c) => c.put(req, copy));
      }
      return res;
    }).catch(() => caches.match(req).then((hit) => hit || Response.error())));
    return;
  }
  if (req.mode === "navigate" && keptPage(url)) {
    event.respondWith(networkFirst(req));
  } else if (req.mode === "navigate") {
    event.respondWith(fetch(req).catch(() => offlinePage("This page needs a connection.",
      "<p>Lessons you have opened are still here: <a href=\"/\">go to your courses</a>.</p>")));
  }
});

async function networkFirst(req) {
  try {
    const res = await fetch(req);
    // Keep only what the person could see as themselves: a page (200),
    // not a redirect to the sign-in page.
    if (res.ok && !res.redirected) {
      const copy = res.clone();
      const cache = await caches.open(PAGES);
      await cache.put(req.url, copy);
    }
    return res;
  } catch (err) {
    const hit = await caches.match(req.url, { cacheName: PAGES });
    if (hit) {
      return hit;
    }
    return offlinePage("This lesson is not on this device yet.",
      "<p>You are offline, and this page was not opened before. Lessons you have opened, and the next module of each course you are taking, can be read offline.</p><p><a href=\"/\">Go to your courses</a></p>");
  }
}

// submitQuiz sends a quiz form, or keeps it when the network is not there.
async function submitQuiz(req) {
  const body = await req.clone().text();
  try {
    return await fetch(req);
  } catch (err) {
    await queue({ url: req.url, body: body, at: Date.now() });
    if (self.registration.sync) {
      self.registration.sync.register("quizzes").catch(() => {});
    }
    return offlinePage("Saved on this device",
      "<div class=\"card offline-note\" id=\"offline-saved\" role=\"status\"><p><strong>Your answers are saved on this device, and will be sent when you are online.</strong></p>" +
      "<p>Keep this device; there is no need to answer again. Your result appears here once they are sent.</p></div>" +
      "<p><a href=\"/\">Go to your courses</a></p>");
  }
}

// offlinePage answers with a page of our own, under the site's CSP: the
// same stylesheet, and pwa.js to say when the answers were sent.
function offlinePage(title, body) {
  const esc = title.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" })[c]);
  const html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + esc + " · Frontline</title>" +
    "<link rel=\"stylesheet\" href=\"/static/app.css\"><link rel=\"icon\" href=\"data:,\"></head>" +
    "<body data-view=\"offline\"><header class=\"top\"><a class=\"brand\" href=\"/\">Frontline</a></header>" +
    "<main id=\"main\"><div id=\"offline-status\" class=\"card offline-note\" role=\"status\" hidden></div><h1>" + esc + "</h1>" + body + "</main>" +
    "<script src=\"/static/pwa.js\" defer></script></body></html>";
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    },
  });
}

// IndexedDB, in promises.
function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function tx(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    const result = fn(t.objectStore(STORE));
    t.oncomplete = () => { d.close(); resolve(result && "result" in result ? result.result : undefined); };
    t.onerror = () => { d.close(); reject(t.error); };
  });
}

const queue = (item) => tx("readwrite", (s) => s.add(item));
const waiting = () => tx("readonly", (s) => s.getAll());
const drop = (id) => tx("readwrite", (s) => s.delete(id));

let sending = null;

// send tries every waiting form once, oldest first. A form the server
// answers is done with, whatever the answer (a result, or a page saying what
// is wrong, which the person is led to); one the network fails on stays.
function send() {
  if (!sending) {
    sending = (async () => {
      let sent = 0;
      for (const item of await waiting()) {
        let res;
        try {
          res = await fetch(item.url, {
            method: "POST", body: item.body, credentials: "same-origin",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          });
        } catch (err) {
          break; // still offline
        }
        await drop(item.id);
        sent++;
        await tell({ type: "sent", ok: res.ok, status: res.status, url: new URL(res.url).pathname });
      }
      await tell({ type: "waiting", count: (await waiting()).length });
      return sent;
    })().finally(() => { sending = null; });
  }
  return sending;
}

async function tell(msg) {
  for (const c of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    c.postMessage(msg);
  }
}

async function forgetEverything() {
  await caches.delete(PAGES);
  await tx("readwrite", (s) => s.clear());
}

// keep fetches pages the person will want offline (the next module of each
// course in progress) and keeps them. The server is told it is a prefetch:
// it does not count as the person opening the module.
async function keep(urls) {
  const cache = await caches.open(PAGES);
  for (const u of urls) {
    const url = new URL(u, self.location.origin);
    if (!keptPage(url)) {
      continue;
    }
    try {
      const res = await fetch(url.pathname, { credentials: "same-origin", headers: { "Frontline-Prefetch": "1" } });
      if (res.ok && !res.redirected) {
        await cache.put(url.href, res);
      }
    } catch (err) {
      return; // offline: try again on the next page
    }
  }
}

self.addEventListener("message", (event) => {
  const m = event.data || {};
  if (m.type === "send") {
    event.waitUntil(send());
  } else if (m.type === "keep" && Array.isArray(m.urls)) {
    event.waitUntil(keep(m.urls.slice(0, 20)).then(() => tell({ type: "kept", urls: m.urls })));
  } else if (m.type === "forget") {
    event.waitUntil(forgetEverything());
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "quizzes") {
    event.waitUntil(send());
  }
});
