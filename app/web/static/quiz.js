// Frontline's quiz form: before sending, it lists the questions still
// unanswered and marks them, as the server would when it sends the form
// back (422), without the round trip. On a phone it also offers to show one
// question per screen, with a progress bar. Plain JavaScript with no build
// step; without it the form is one page of every question, and works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-quiz]");
  var warning = document.getElementById("quiz-warning");
  if (!form || !warning) {
    return;
  }

  function mark(fieldset, missing) {
    fieldset.classList.toggle("missing", missing);
    fieldset.querySelectorAll("input").forEach(function (input) {
      if (missing) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }

  form.addEventListener("submit", function (event) {
    var missing = [];
    form.querySelectorAll("fieldset.question").forEach(function (fieldset, i) {
      var unanswered = fieldset.querySelector("input:checked") === null;
      mark(fieldset, unanswered);
      if (unanswered) {
        missing.push({ number: i + 1, id: fieldset.id });
      }
    });
    if (missing.length === 0) {
      warning.hidden = true;
      return;
    }
    event.preventDefault();
    if (stepper.on) {
      stepper.show(indexOf(missing[0].id));
    }
    warning.textContent = "";
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "Answer every question before you submit.";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" " + (missing.length === 1 ? "1 question is" : missing.length + " questions are") + " not answered yet:"));
    var list = document.createElement("ul");
    missing.forEach(function (m) {
      var a = document.createElement("a");
      a.href = "#" + m.id;
      a.textContent = "Question " + m.number;
      var li = document.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    warning.appendChild(p);
    warning.appendChild(list);
    warning.hidden = false;
    warning.focus();
  });

  // One question per screen. Offered on narrow screens only; the choice is
  // remembered on this device.
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  var submit = form.querySelector('button[type="submit"]');
  var stepper = { on: false, at: 0 };
  var KEY = "frontline-one-question-per-screen";

  function indexOf(id) {
    for (var i = 0; i < questions.length; i++) {
      if (questions[i].id === id) {
        return i;
      }
    }
    return 0;
  }

  function button(text, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button " + cls;
    b.textContent = text;
    return b;
  }

  if (questions.length > 1 && window.matchMedia("(max-width: 40rem)").matches) {
    var toggle = button("One question at a time", "secondary stepper-toggle");
    toggle.setAttribute("aria-pressed", "false");
    var bar = document.createElement("div");
    bar.className = "stepper-bar";
    bar.hidden = true;
    var label = document.createElement("span");
    label.id = "stepper-label";
    label.setAttribute("aria-live", "polite");
    var progress = document.createElement("progress");
    progress.max = questions.length;
    progress.setAttribute("aria-labelledby", "stepper-label");
    bar.appendChild(label);
    bar.appendChild(progress);
    var nav = document.createElement("div");
    nav.className = "stepper-nav";
    nav.hidden = true;
    var prev = button("Previous question", "secondary stepper-prev");
    var next = button("Next question", "stepper-next");
    nav.appendChild(prev);
    nav.appendChild(next);
    form.insertBefore(toggle, questions[0]);
    form.insertBefore(bar, questions[0]);
    submit.parentNode.insertBefore(nav, submit);

    stepper.show = function (i, focus) {
      stepper.at = Math.max(0, Math.min(questions.length - 1, i));
      questions.forEach(function (q, j) {
        q.classList.toggle("current", j === stepper.at);
      });
      label.textContent = "Question " + (stepper.at + 1) + " of " + questions.length;
      progress.value = stepper.at + 1;
      prev.hidden = stepper.at === 0;
      var last = stepper.at === questions.length - 1;
      next.hidden = last;
      submit.hidden = !last;
      if (focus) {
        questions[stepper.at].setAttribute("tabindex", "-1");
        questions[stepper.at].focus();
      }
    };
    stepper.set = function (on) {
      stepper.on = on;
      form.classList.toggle("one-by-one", on);
      toggle.textContent = on ? "Show all questions" : "One question at a time";
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      bar.hidden = !on;
      nav.hidden = !on;
      if (on) {
        var first = form.querySelector("fieldset.question.missing");
        stepper.show(first ? indexOf(first.id) : stepper.at);
      } else {
        submit.hidden = false;
        questions.forEach(function (q) { q.classList.remove("current"); });
      }
      try {
        localStorage.setItem(KEY, on ? "1" : "0");
      } catch (e) {
        // Private browsing may refuse storage: the choice lasts this page.
      }
    };
    toggle.addEventListener("click", function () { stepper.set(!stepper.on); });
    prev.addEventListener("click", function () { stepper.show(stepper.at - 1, true); });
    next.addEventListener("click", function () { stepper.show(stepper.at + 1, true); });
    // A link to a question (the list of unanswered ones) shows it.
    document.addEventListener("click", function (event) {
      var a = event.target.closest && event.target.closest('a[href^="#q-"]');
      if (a && stepper.on) {
        stepper.show(indexOf(a.getAttribute("href").slice(1)), true);
      }
    });
    var saved = null;
    try {
      saved = localStorage.getItem(KEY);
    } catch (e) {
      saved = null;
    }
    if (saved === "1") {
      stepper.set(true);
    }
  }

  // A question answered loses its mark at once.
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) {
      mark(fieldset, false);
    }
  });
})();
