/* Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can
   forbid inline scripts:
   - <select data-autosubmit> submits its form when changed (the language menu);
   - a form, or the button that submits it, with data-confirm="question" asks first;
   - a button with data-copy="element-id" copies that element's value (a new API key). */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.requestSubmit();
    }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button[data-copy]");
    const field = button && document.getElementById(button.dataset.copy);
    if (!field) {
      return;
    }
    field.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copied || button.textContent;
      });
    }
  });
})();
