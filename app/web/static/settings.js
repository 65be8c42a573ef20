// Settings: the Copy button beside the calendar address. Without the script
// the button stays hidden and the address can be selected and copied by hand.
(function () {
  "use strict";
  var button = document.getElementById("calendar-copy");
  var field = document.getElementById("calendar-url");
  var said = document.getElementById("calendar-copied");
  if (!button || !field || !said) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { said.textContent = "Copied. Paste it into your calendar's \"subscribe from URL\"."; };
    var fallback = function () {
      field.focus();
      field.select();
      said.textContent = "Selected: press Ctrl+C (or ⌘C) to copy it.";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
