// The publisher's queue: ticking a draft ticks its related drafts (a commitment's status updates…),
// unticking it unticks them; each can still be changed on its own.
(function () {
  "use strict";
  document.querySelectorAll('.publication-queue input[name="publish"]:not([data-with])').forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[data-with="' + box.value + '"]').forEach(function (related) {
        related.checked = box.checked;
      });
    });
  });
})();
