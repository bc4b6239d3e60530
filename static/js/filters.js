// On narrow screens the filter form starts folded so the results come first;
// it stays open when it shows an error. Without JavaScript it is simply open.
(function () {
  "use strict";
  var toggle = document.querySelector(".filter-toggle");
  if (toggle && !toggle.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 900px)").matches) {
    toggle.open = false;
  }
})();

// After the filter form is sent (its action ends in #results), move the focus to the results, so
// a keyboard or screen-reader user lands on what the filters found rather than at the top.
(function () {
  "use strict";
  var results = document.getElementById("results");
  if (results && window.location.hash === "#results") {
    results.focus();
  }
})();
