// Frontline's quiz form: before sending, it lists the questions still
// unanswered and marks them, as the server would when it sends the form
// back (422), without the round trip. Plain JavaScript with no build step;
// the form works without it.
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

  // A question answered loses its mark at once.
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) {
      mark(fieldset, false);
    }
  });
})();
