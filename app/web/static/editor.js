// Frontline's course editor: a line/column readout, a live preview, autosave
// with optimistic concurrency (a stale save is refused and both texts are
// shown), problems that move the cursor to their line, and image upload.
// Plain JavaScript with no build step; the page works without it (the form
// then saves on submit).
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) {
    return;
  }
  var source = document.getElementById("source");
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var revision = document.getElementById("revision");
  var fileID = form.getAttribute("data-file");
  var saveURL = form.getAttribute("action");
  var previewURL = form.getAttribute("data-preview");
  var cursor = document.getElementById("cursor");
  var saveState = document.getElementById("save-state");
  var previewEl = document.getElementById("preview");
  var previewState = document.getElementById("preview-state");
  var problemsEl = document.getElementById("problems");
  var noProblems = document.getElementById("no-problems");
  var conflict = document.getElementById("conflict");
  var theirs = document.getElementById("theirs");
  var backupKey = "frontline-draft-" + saveURL;

  var saved = source.value; // the text the server holds
  var saving = null; // the save in flight
  var blocked = false; // a conflict waits for the trainer's choice
  var theirRevision = 0;
  var saveTimer = 0;
  var previewTimer = 0;
  var previewSeq = 0;

  function setState(text) {
    saveState.textContent = text;
  }

  function showCursor() {
    var before = source.value.slice(0, source.selectionStart);
    var line = before.split("\n").length;
    var col = source.selectionStart - before.lastIndexOf("\n");
    cursor.textContent = "Line " + line + ", column " + col;
  }

  function goToLine(n) {
    var lines = source.value.split("\n");
    n = Math.max(1, Math.min(n, lines.length));
    var pos = 0;
    for (var i = 0; i < n - 1; i++) {
      pos += lines[i].length + 1;
    }
    source.focus();
    source.setSelectionRange(pos, pos + lines[n - 1].length);
    var lh = parseFloat(window.getComputedStyle(source).lineHeight) || 20;
    source.scrollTop = Math.max(0, (n - 3) * lh);
    showCursor();
  }

  function post(url, params, keepalive) {
    return fetch(url, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: params,
      credentials: "same-origin",
      keepalive: !!keepalive
    });
  }

  function params(extra) {
    var p = new URLSearchParams();
    p.set("_csrf", csrf);
    p.set("text", source.value);
    Object.keys(extra).forEach(function (k) { p.set(k, extra[k]); });
    return p;
  }

  var problemCount = document.getElementById("problem-count");
  var firstProblem = document.getElementById("first-problem");

  // problemItem fills el with one problem: its place (a link to the line
  // when it has one) and its message.
  function problemItem(el, p) {
    el.className = el.className.replace(/\b(warning|error)\b/g, "").trim() + " " + (p.warning ? "warning" : "error");
    var where;
    if (p.url) {
      where = document.createElement("a");
      where.href = p.url;
      where.className = "problem-link";
      where.setAttribute("data-file", String(p.fileId));
      where.setAttribute("data-line", String(p.line));
    } else {
      where = document.createElement("span");
    }
    where.textContent = p.location;
    el.appendChild(where);
    el.appendChild(document.createTextNode(": " + (p.warning ? "warning: " : "") + p.message));
  }

  // The count beside the save state and the first problem above the text
  // tell the trainer at once, without scrolling, that "Saved" is not "done".
  function renderSummary(list) {
    problemCount.textContent = "";
    firstProblem.textContent = "";
    firstProblem.hidden = list.length === 0;
    if (list.length === 0) {
      return;
    }
    problemCount.appendChild(document.createTextNode(" · "));
    var a = document.createElement("a");
    a.href = "#problems-title";
    a.textContent = list.length + (list.length === 1 ? " problem" : " problems");
    problemCount.appendChild(a);
    problemItem(firstProblem, list[0]);
  }

  function renderProblems(list) {
    list = list || [];
    renderSummary(list);
    problemsEl.textContent = "";
    list.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "problem";
      problemItem(li, p);
      problemsEl.appendChild(li);
    });
    noProblems.hidden = list.length > 0;
  }

  function preview() {
    var seq = ++previewSeq;
    post(previewURL, params({})).then(function (r) {
      if (!r.ok) {
        throw new Error("preview " + r.status);
      }
      return r.json();
    }).then(function (d) {
      if (seq !== previewSeq) {
        return; // a newer preview is on its way
      }
      renderProblems(d.problems);
      if (d.ok) {
        // HTML from the server's one renderer and sanitiser; the CSP
        // forbids inline script besides.
        previewEl.innerHTML = d.html;
        previewState.hidden = true;
      } else {
        previewState.hidden = false;
      }
    }).catch(function () { /* the next keystroke tries again */ });
  }

  function backup() {
    try {
      window.localStorage.setItem(backupKey, JSON.stringify({ revision: revision.value, text: source.value }));
    } catch (e) { /* private mode: the server copy is the backup */ }
  }

  function dropBackup() {
    try {
      window.localStorage.removeItem(backupKey);
    } catch (e) { /* nothing kept */ }
  }

  function save(leaving) {
    if (blocked || source.value === saved) {
      return;
    }
    if (saving && !leaving) {
      schedule(500); // after the one in flight
      return;
    }
    var text = source.value;
    setState("Saving…");
    saving = post(saveURL, params({ revision: revision.value }), leaving).then(function (r) {
      return r.json().then(function (d) {
        if (r.status === 409 && d.conflict) {
          showConflict(d);
          return;
        }
        if (!r.ok) {
          setState("Not saved: " + (d.error || "the server refused it") + ". Your text stays here.");
          return;
        }
        revision.value = String(d.revision);
        saved = text;
        renderProblems(d.problems);
        if (saved === source.value) {
          dropBackup();
          setState("Saved at " + d.savedAt);
        } else {
          setState("Unsaved changes");
        }
      });
    }).catch(function () {
      setState("Not saved: no connection. Your text stays here and is saved when the connection is back.");
      schedule(5000);
    }).then(function () {
      saving = null;
    });
  }

  function schedule(ms) {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(function () { save(false); }, ms);
  }

  function showConflict(d) {
    blocked = true;
    theirRevision = d.revision;
    theirs.value = d.theirs;
    document.getElementById("conflict-message").textContent = d.message;
    // A draft that is gone leaves nothing to compare or keep: only the message.
    var gone = !d.revision;
    ["theirs", "keep-mine", "take-theirs"].forEach(function (id) {
      document.getElementById(id).hidden = gone;
    });
    conflict.hidden = false;
    setState("Not saved: someone else changed this file");
    conflict.scrollIntoView({ block: "nearest" });
  }

  function resolve(takeTheirs) {
    revision.value = String(theirRevision);
    if (takeTheirs) {
      source.value = theirs.value;
      saved = theirs.value;
      dropBackup();
      setState("Saved (their text)");
    } else {
      saved = null; // force the save
    }
    blocked = false;
    conflict.hidden = true;
    preview();
    save(false);
  }

  function changed() {
    showCursor();
    setState("Unsaved changes");
    backup();
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(preview, 350);
    schedule(1200);
  }

  source.addEventListener("input", changed);
  ["keyup", "click", "select", "focus"].forEach(function (ev) {
    source.addEventListener(ev, showCursor);
  });
  document.getElementById("keep-mine").addEventListener("click", function () { resolve(false); });
  document.getElementById("take-theirs").addEventListener("click", function () { resolve(true); });

  // Leaving the page (closing the tab, switching app on a phone) saves at
  // once; keepalive lets the request finish after the page is gone.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save(true);
    }
  });
  window.addEventListener("pagehide", function () { save(true); });

  // A problem in this file moves the cursor to its line; others open their file.
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.problem-link") : null;
    if (a && a.getAttribute("data-file") === fileID) {
      e.preventDefault();
      goToLine(parseInt(a.getAttribute("data-line"), 10) || 1);
    }
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    save(false);
  });

  // Image upload: store it, then put its Markdown where the cursor is.
  var imageForm = document.getElementById("image-form");
  imageForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var result = document.getElementById("image-result");
    var out = document.getElementById("image-markdown");
    result.textContent = "Uploading…";
    fetch(imageForm.getAttribute("action"), {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: new FormData(imageForm),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (d) {
        if (!r.ok) {
          result.textContent = d.error || "The image was not uploaded.";
          return;
        }
        out.value = d.markdown;
        out.hidden = false;
        var pos = source.selectionStart;
        source.setRangeText("\n" + d.markdown + "\n", pos, pos, "end");
        result.textContent = "Uploaded and inserted at the cursor. The Markdown is below if you want it elsewhere.";
        changed();
      });
    }).catch(function () {
      result.textContent = "The image was not uploaded: no connection.";
    });
  });

  // Text typed here but never saved (a crash, a lost connection) comes back,
  // if nobody saved the file since.
  try {
    var kept = JSON.parse(window.localStorage.getItem(backupKey) || "null");
    if (kept && kept.revision === revision.value && kept.text !== source.value) {
      source.value = kept.text;
      changed();
      setState("Restored text that was not saved yet; saving…");
    } else if (kept) {
      dropBackup();
    }
  } catch (e) { /* nothing kept */ }

  var line = parseInt(form.getAttribute("data-line"), 10);
  if (line > 0) {
    goToLine(line);
  }
  showCursor();
})();
