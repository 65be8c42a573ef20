// Sign-in during a rush. When the server is busy checking other people's
// passwords it answers 503 with Retry-After and "Frontline-Sign-In: busy",
// having checked (and counted) nothing; this script waits that long, says so, and sends the same form
// again, so a rush is a short wait instead of an error. The password stays
// in this page's memory only. Any other answer replaces the page, as a
// normal form submission would. Without JavaScript the form posts as usual
// and the busy page asks the person to try again.
(function () {
  "use strict";
  var form = document.getElementById("login-form");
  var status = document.getElementById("login-busy");
  if (!form || !status || !window.fetch) {
    return;
  }
  var sending = false;

  function wait(seconds) {
    return new Promise(function (resolve) {
      var left = seconds;
      function tick() {
        if (left <= 0) {
          status.textContent = "Trying again now…";
          resolve();
          return;
        }
        status.textContent = "Many people are signing in right now. Trying again in " + left + " s…";
        left -= 1;
        setTimeout(tick, 1000);
      }
      status.hidden = false;
      tick();
    });
  }

  function send(body) {
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (res) {
      var retry = parseInt(res.headers.get("Retry-After") || "", 10);
      if (res.status === 503 && retry > 0 && res.headers.get("Frontline-Sign-In") === "busy") {
        return wait(Math.min(retry, 60)).then(function () { return send(body); });
      }
      if (res.redirected) {
        window.location.assign(res.url);
        return;
      }
      return res.text().then(function (html) {
        document.open();
        document.write(html);
        document.close();
      });
    });
  }

  form.addEventListener("submit", function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    sending = true;
    var body = new URLSearchParams(new FormData(form)).toString();
    send(body).catch(function () {
      // The network failed: fall back to an ordinary submission.
      sending = false;
      form.submit();
    });
  });
})();
