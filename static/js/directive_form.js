/* The directive form's "Add another task": clone Django's empty form, number it and bump
   TOTAL_FORMS. */
(function () {
  "use strict";
  const button = document.getElementById("add-task");
  if (!button) return;
  button.addEventListener("click", function () {
    const total = document.getElementById("id_tasks-TOTAL_FORMS");
    const index = parseInt(total.value, 10);
    const html = document.getElementById("task-empty-form").innerHTML.replace(/__prefix__/g, index);
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const card = holder.firstElementChild;
    document.getElementById("task-forms").appendChild(card);
    total.value = index + 1;
    const first = card.querySelector("input[type=text], textarea");
    if (first) first.focus();
  });
})();
