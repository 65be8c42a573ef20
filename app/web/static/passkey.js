// Passkeys (WebAuthn). On the sign-in page: "Sign in with a passkey" asks
// the server for a challenge, lets the browser ask the person to choose a
// passkey for this site (no name typed: discoverable credentials), sends
// the signed answer back and follows the server to the next page. In
// Settings → Passkeys: "Add a passkey" does the same with a registration.
// The server keeps each challenge once, for a few minutes; this script
// keeps nothing. Binary fields travel as base64url, as WebAuthn's JSON does.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !window.fetch || !navigator.credentials) {
    return; // the buttons stay hidden or say passkeys need another browser
  }

  function fromB64url(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) {
      s += "=";
    }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out.buffer;
  }

  function toB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () {
        return { error: "The server did not answer as expected (" + res.status + "). Try again." };
      }).then(function (data) {
        if (!res.ok) {
          throw new Error(data.error || "That did not work. Try again.");
        }
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (c) {
      return { type: c.type, id: fromB64url(c.id), transports: c.transports };
    });
  }

  function show(el, msg) {
    el.textContent = msg;
    el.hidden = false;
  }

  // A person who closes the browser's dialog has not failed at anything.
  function cancelled(err) {
    return err && (err.name === "NotAllowedError" || err.name === "AbortError");
  }

  var signin = document.getElementById("passkey-signin");
  if (signin) {
    var button = document.getElementById("passkey-signin-button");
    var error = document.getElementById("passkey-error");
    signin.hidden = false;
    button.addEventListener("click", function () {
      var csrf = signin.getAttribute("data-csrf");
      error.hidden = true;
      button.disabled = true;
      var key;
      post("/passkey/options", csrf).then(function (opts) {
        key = opts.key;
        var pk = opts.publicKey;
        pk.challenge = fromB64url(pk.challenge);
        pk.allowCredentials = descriptors(pk.allowCredentials);
        return navigator.credentials.get({ publicKey: pk });
      }).then(function (cred) {
        var r = cred.response;
        return post("/passkey/signin", csrf, {
          key: key,
          next: signin.getAttribute("data-next"),
          credential: {
            id: cred.id,
            rawId: toB64url(cred.rawId),
            type: cred.type,
            clientExtensionResults: cred.getClientExtensionResults(),
            response: {
              clientDataJSON: toB64url(r.clientDataJSON),
              authenticatorData: toB64url(r.authenticatorData),
              signature: toB64url(r.signature),
              userHandle: r.userHandle ? toB64url(r.userHandle) : null
            }
          }
        });
      }).then(function (done) {
        window.location.assign(done.next || "/");
      }).catch(function (err) {
        button.disabled = false;
        show(error, cancelled(err) ? "No passkey was chosen. Try again, or sign in with your password." : err.message);
      });
    });
  }

  var add = document.getElementById("passkey-add-form");
  if (add) {
    var addError = document.getElementById("passkey-add-error");
    var addButton = document.getElementById("passkey-add-button");
    add.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var csrf = add.getAttribute("data-csrf");
      var name = document.getElementById("passkey-new-name").value;
      addError.hidden = true;
      addButton.disabled = true;
      var key;
      post("/settings/passkeys/options", csrf).then(function (opts) {
        key = opts.key;
        var pk = opts.publicKey;
        pk.challenge = fromB64url(pk.challenge);
        pk.user.id = fromB64url(pk.user.id);
        pk.excludeCredentials = descriptors(pk.excludeCredentials);
        return navigator.credentials.create({ publicKey: pk });
      }).then(function (cred) {
        var r = cred.response;
        return post("/settings/passkeys", csrf, {
          key: key,
          name: name,
          credential: {
            id: cred.id,
            rawId: toB64url(cred.rawId),
            type: cred.type,
            authenticatorAttachment: cred.authenticatorAttachment || undefined,
            clientExtensionResults: cred.getClientExtensionResults(),
            response: {
              clientDataJSON: toB64url(r.clientDataJSON),
              attestationObject: toB64url(r.attestationObject),
              transports: r.getTransports ? r.getTransports() : []
            }
          }
        });
      }).then(function (done) {
        window.location.assign(done.next);
      }).catch(function (err) {
        addButton.disabled = false;
        show(addError, cancelled(err) ? "No passkey was made. Try again when you are ready." : err.message);
      });
    });
  }
})();
