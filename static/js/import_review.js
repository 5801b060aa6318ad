/* The import review page. Every unit select is sent with only its chosen units; the full
   list of units the user may use is written once in #unit-options and copied into each
   select here, keeping the page small when a committee has a thousand units and the
   document twenty tasks. */
(function () {
  "use strict";
  const template = document.getElementById("unit-options");
  if (!template) return;
  const source = template.content;
  document.querySelectorAll("select[data-unit-select]").forEach(function (select) {
    const chosen = new Set(Array.from(select.selectedOptions).map(function (o) { return o.value; }));
    const options = source.cloneNode(true);
    options.querySelectorAll("option").forEach(function (option) {
      if (chosen.has(option.value)) option.selected = true;
    });
    Array.from(select.options).forEach(function (o) { if (o.value) o.remove(); });
    select.appendChild(options);
  });
  document.querySelectorAll(".import-task input[name$='-DELETE']").forEach(function (box) {
    box.addEventListener("change", function () {
      box.closest(".import-task").classList.toggle("removed", box.checked);
    });
  });
})();
