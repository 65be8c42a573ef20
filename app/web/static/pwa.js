// Frontline as an installable app: registers the service worker (sw.js),
// asks it to keep the next module of each course in progress for reading
// offline, and says what happened to quiz answers saved offline. Plain
// JavaScript, no build step; every page works without it.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) {
    return;
  }

  function status() {
    var el = document.getElementById("offline-status");
    if (!el) {
      var main = document.getElementById("main");
      if (!main) {
        return null;
      }
      el = document.createElement("div");
      el.id = "offline-status";
      el.className = "card offline-note";
      el.setAttribute("role", "status");
      el.hidden = true;
      main.insertBefore(el, main.firstChild);
    }
    return el;
  }

  function say(text, link, href) {
    var el = status();
    if (!el) {
      return;
    }
    el.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = link;
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    el.appendChild(p);
    el.hidden = false;
  }

  function post(msg) {
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) {
        reg.active.postMessage(msg);
      }
    });
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    var m = event.data || {};
    if (m.type === "sent") {
      if (m.ok && /^\/attempts\/\d+$/.test(m.url)) {
        say("Your quiz answers saved on this device were sent.", "See your result", m.url);
      } else {
        say("Your quiz answers saved on this device reached the server, but it could not take them (" + m.status + "). Open the quiz again to answer it.", "Go to your courses", "/");
      }
      document.body.setAttribute("data-offline-sent", m.url || "");
    } else if (m.type === "waiting" && m.count > 0) {
      say(m.count === 1 ? "1 quiz is saved on this device and will be sent when you are online." :
        m.count + " quizzes are saved on this device and will be sent when you are online.");
    }
  });

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    post({ type: "send" });
    // The next module of each course in progress, and the module a
    // dashboard card or a course page leads to, kept for reading offline.
    var links = document.querySelectorAll("#next-up a.next-action, li.course .card-actions a.button, .next-step a.button");
    var urls = [];
    links.forEach(function (a) {
      var u = new URL(a.href, location.href);
      if (u.origin === location.origin && /^\/courses\/[^/]+\/[^/]+$/.test(u.pathname)) {
        urls.push(u.pathname);
      }
    });
    if (urls.length > 0) {
      post({ type: "keep", urls: urls });
    }
  }).catch(function () {
    // Without a service worker the site works as before, online only.
  });

  window.addEventListener("online", function () {
    post({ type: "send" });
  });
  window.addEventListener("offline", function () {
    say("You are offline. Lessons you have opened can still be read; quiz answers are kept on this device until you are back online.");
  });

  // Signing out forgets every page kept on this device (the service worker
  // does it too, when it sees the request).
  var logout = document.querySelector('form[action="/logout"]');
  if (logout) {
    logout.addEventListener("submit", function () {
      post({ type: "forget" });
    });
  }
})();
