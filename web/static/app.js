// ladder serve: the only script. Everything works without it; it adds a print button to the minutes.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
