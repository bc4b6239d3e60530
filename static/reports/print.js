// The status report's "Print as an A4 report" button (shown only where this script runs; without
// JavaScript the page says to press Ctrl+P). No inline handler: the Content-Security-Policy.
(function () {
  "use strict";
  var button = document.querySelector(".print-button");
  if (!button) {
    return;
  }
  button.hidden = false;
  document.querySelector(".print-hint").hidden = true;
  button.addEventListener("click", function () {
    window.print();
  });
})();
