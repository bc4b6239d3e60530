// The admin's language tabs (cooperation/staff/admin/languages.py): a translated field has one
// input per language (title_en, title_kk, …, marked by django-modeltranslation with the classes
// "mt mt-field-title-en"); here each field's rows become one row with a tab per language, English
// first. A language with an error, or with no text yet where English has one, says so on its tab.
(function () {
  "use strict";
  var LANGUAGE = /^mt-field-(.+)-(en|kk|ru|sr|sr_latn)$/;

  function describe(input) {
    for (var i = 0; i < input.classList.length; i += 1) {
      var match = LANGUAGE.exec(input.classList[i]);
      if (match) { return { field: match[1], language: match[2] }; }
    }
    return null;
  }

  function groups() {
    var found = {};
    var order = [];
    document.querySelectorAll("fieldset .form-row .mt").forEach(function (input) {
      var info = describe(input);
      var row = input.closest(".form-row");
      if (!info || !row || row.closest(".inline-related.empty-form")) { return; }
      var key = (row.closest("[id]") || document.body).id + ":" + info.field;
      if (!found[key]) { found[key] = []; order.push(key); }
      found[key].push({ language: info.language, row: row, input: input });
    });
    return order.map(function (key) { return found[key]; });
  }

  function show(group, chosen, buttons) {
    group.forEach(function (item, index) {
      var selected = index === chosen;
      item.row.hidden = !selected;
      buttons[index].setAttribute("aria-selected", selected ? "true" : "false");
      buttons[index].tabIndex = selected ? 0 : -1;
    });
  }

  function tabify() {
  groups().forEach(function (group) {
    if (group.length < 2) { return; }
    var bar = document.createElement("div");
    bar.className = "language-tabs";
    bar.setAttribute("role", "tablist");
    var buttons = [];
    var chosen = 0;
    var english = group[0].input.value;
    group.forEach(function (item, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "tab");
      button.textContent = item.language.replace("_latn", " (lat.)").toUpperCase();
      if (item.row.classList.contains("errors") || item.row.querySelector(".errorlist")) {
        button.classList.add("has-error");
        if (!chosen) { chosen = index; }
      } else if (index > 0 && english && !item.input.value) {
        button.classList.add("is-empty");
        button.title = button.textContent + ": —";
      }
      button.addEventListener("click", function () { show(group, index, buttons); });
      buttons.push(button);
      bar.appendChild(button);
    });
    group[0].row.parentNode.insertBefore(bar, group[0].row);
    show(group, chosen, buttons);
  });
  }

  // The admin loads its media in the head: wait for the form.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tabify);
  } else {
    tabify();
  }
})();
