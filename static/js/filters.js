// On narrow screens the filter form starts folded so the results come first;
// it stays open when it shows an error. Without JavaScript it is simply open.
(function () {
  "use strict";
  var toggle = document.querySelector(".filter-toggle");
  if (toggle && !toggle.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 900px)").matches) {
    toggle.open = false;
  }
})();
