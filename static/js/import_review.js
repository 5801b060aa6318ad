// The import review page (templates/directives/import_review.html).
//
// 1. Every unit select is sent with only its chosen units; the full list of units the
//    user may use is written once in #unit-options and copied into each select here,
//    keeping the page small when a committee has a thousand units and the document
//    twenty tasks.
// 2. The lead and the coordinating units get the same searchable chooser: a search box
//    that narrows the list (accents ignored); coordinating units are added one by one
//    from that list and shown as removable chips (the multiple select stays the field).
// 3. A task's lead unit, group of units and "not assigned yet" exclude one another.
// 4. The passage of the task being edited is highlighted in the original text.
(function () {
  "use strict";
  var template = document.getElementById("unit-options");
  if (!template) { return; }
  var source = template.content;
  var labels = document.querySelector("[data-testid=import-review-form]").dataset;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  var allUnits = Array.from(source.querySelectorAll("option")).map(function (o) {
    return { value: o.value, name: o.textContent, key: fold(o.textContent) };
  });

  function fillSelect(select, chosen, query, keepBlank) {
    var key = fold(query).trim();
    var first = keepBlank ? select.options[0] : null;
    select.textContent = "";
    if (first) { select.appendChild(first); }
    allUnits.forEach(function (unit) {
      var selected = chosen.has(unit.value);
      if (!selected && key && unit.key.indexOf(key) === -1) { return; }
      var option = document.createElement("option");
      option.value = unit.value;
      option.textContent = unit.name;
      option.selected = selected;
      select.appendChild(option);
    });
  }

  function searchBox(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.placeholder = labels.searchPlaceholder || "";
    input.setAttribute("aria-label", labels.searchPlaceholder || "");
    input.dataset.testid = "unit-search";
    select.parentNode.insertBefore(input, select);
    return input;
  }

  function singleChooser(select) {
    var chosen = new Set(Array.from(select.selectedOptions).map(function (o) { return o.value; }));
    fillSelect(select, chosen, "", true);
    var input = searchBox(select);
    input.addEventListener("input", function () {
      var current = new Set(select.value ? [select.value] : []);
      fillSelect(select, current, input.value, true);
      if (!select.value && select.options.length === 2) { select.options[1].selected = true; }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function multipleChooser(select) {
    var chosen = new Set(Array.from(select.selectedOptions).map(function (o) { return o.value; }));
    fillSelect(select, chosen, "", false);
    select.hidden = true;
    var input = searchBox(select);
    var adder = document.createElement("select");
    adder.className = "form-select form-select-sm";
    adder.dataset.testid = "coordinating-add";
    adder.setAttribute("aria-label", labels.addLabel || "");
    var chips = document.createElement("div");
    chips.className = "unit-chips";
    chips.dataset.testid = "coordinating-chips";
    select.parentNode.insertBefore(adder, select);
    select.parentNode.insertBefore(chips, select);

    function selectedValues() {
      return new Set(Array.from(select.options).filter(function (o) { return o.selected; })
        .map(function (o) { return o.value; }));
    }
    function renderAdder() {
      var taken = selectedValues();
      var key = fold(input.value).trim();
      adder.textContent = "";
      var blank = document.createElement("option");
      blank.value = "";
      blank.textContent = labels.addLabel || "";
      adder.appendChild(blank);
      allUnits.forEach(function (unit) {
        if (taken.has(unit.value) || (key && unit.key.indexOf(key) === -1)) { return; }
        var option = document.createElement("option");
        option.value = unit.value;
        option.textContent = unit.name;
        adder.appendChild(option);
      });
    }
    function renderChips() {
      chips.textContent = "";
      Array.from(select.options).forEach(function (option) {
        if (!option.selected) { return; }
        var chip = document.createElement("span");
        chip.className = "unit-chip";
        chip.dataset.unit = option.value;
        chip.textContent = option.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (labels.removeLabel || "") + " " + option.textContent);
        remove.addEventListener("click", function () {
          option.selected = false;
          renderChips();
          renderAdder();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }
    adder.addEventListener("change", function () {
      var value = adder.value;
      if (!value) { return; }
      Array.from(select.options).forEach(function (o) { if (o.value === value) { o.selected = true; } });
      input.value = "";
      renderChips();
      renderAdder();
    });
    input.addEventListener("input", renderAdder);
    renderChips();
    renderAdder();
  }

  document.querySelectorAll("select[data-unit-select]").forEach(function (select) {
    if (select.multiple) { multipleChooser(select); } else { singleChooser(select); }
  });

  document.querySelectorAll(".import-task input[name$='-DELETE']").forEach(function (box) {
    box.addEventListener("change", function () {
      box.closest(".import-task").classList.toggle("removed", box.checked);
    });
  });

  // A task's lead is one unit, a group of units, or "not assigned yet": choosing one
  // clears the others, as the server would refuse two at once.
  document.querySelectorAll(".import-task").forEach(function (card) {
    var lead = card.querySelector("select[name$='-lead']");
    var group = card.querySelector("select[name$='-lead_group']");
    var none = card.querySelector("input[name$='-unassigned']");
    if (!lead || !group || !none) { return; }
    lead.addEventListener("change", function () {
      if (lead.value) { group.value = ""; none.checked = false; }
    });
    group.addEventListener("change", function () {
      if (group.value) { lead.value = ""; none.checked = false; }
    });
    none.addEventListener("change", function () {
      if (none.checked) { lead.value = ""; group.value = ""; }
    });
  });

  // --- The passage of the task being edited, highlighted in the original text.
  var pre = document.querySelector("[data-testid=import-source]");
  if (!pre) { return; }
  var raw = pre.textContent;
  // The text with every run of white space as one space, and where each character was.
  var flat = "";
  var where = [];
  for (var i = 0; i < raw.length; i++) {
    if (/\s/.test(raw[i])) {
      if (flat.length && flat[flat.length - 1] === " ") { continue; }
      flat += " ";
    } else {
      flat += raw[i];
    }
    where.push(i);
  }
  var flatKey = flat.toLowerCase();

  function locate(text) {
    var needle = (text || "").replace(/\s+/g, " ").trim().toLowerCase();
    var lengths = [needle.length, 120, 60, 30];
    for (var n = 0; n < lengths.length; n++) {
      var part = needle.slice(0, lengths[n]);
      if (part.length < 8) { continue; }
      var at = flatKey.indexOf(part);
      if (at !== -1) {
        var end = Math.min(at + needle.length, where.length) - 1;
        return [where[at], where[end] + 1];
      }
    }
    return null;
  }

  function highlight(card) {
    document.querySelectorAll(".import-task.editing").forEach(function (c) { c.classList.remove("editing"); });
    card.classList.add("editing");
    var span = locate(card.dataset.sourceText);
    pre.textContent = "";
    if (!span) { pre.textContent = raw; return; }
    var mark = document.createElement("mark");
    mark.dataset.testid = "source-highlight";
    mark.textContent = raw.slice(span[0], span[1]);
    pre.append(raw.slice(0, span[0]), mark, raw.slice(span[1]));
    pre.scrollTop = Math.max(0, mark.offsetTop - pre.offsetTop - 40);
  }

  document.querySelectorAll(".import-task").forEach(function (card) {
    card.addEventListener("focusin", function () {
      if (!card.classList.contains("editing")) { highlight(card); }
    });
  });
})();
