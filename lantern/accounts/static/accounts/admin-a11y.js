/* Names for the admin's controls that Django's own scripts leave unnamed, so
   screen readers announce them (docs/accounts.md):
   - select2 autocomplete boxes (autocomplete_fields): the combobox and its search
     field are named by the field's <label>, which otherwise names only the hidden
     <select> behind them;
   - the two lists and the filter box of a filter_horizontal widget (the box's
     icon becomes an image, so its description may name the box).
   Runs again whenever the page changes (inline rows added, boxes opened). */
(function () {
  "use strict";

  function labelOf(id) {
    if (!id) {
      return null;
    }
    return document.querySelector('label[for="' + CSS.escape(id) + '"]');
  }

  function labelText(label) {
    return label ? label.textContent.replace(/[:*\s]+$/, "").trim() : "";
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      var label = labelOf(select.id);
      var text = labelText(label) || select.name;
      if (label && !label.id) {
        label.id = select.id + "-label";
      }
      container.querySelectorAll('[role="combobox"]').forEach(function (box) {
        var by = box.getAttribute("aria-labelledby") || "";
        if (label && by.split(" ").indexOf(label.id) === -1) {
          box.setAttribute("aria-labelledby", (label.id + " " + by).trim());
        } else if (!label && !box.getAttribute("aria-label")) {
          box.setAttribute("aria-label", text);
        }
      });
      // The box's shown value (empty until chosen) is a read-only textbox of its
      // own: named by the label and its own text.
      container.querySelectorAll('.select2-selection__rendered[role="textbox"]').forEach(function (shown) {
        if (label && !shown.getAttribute("aria-labelledby")) {
          shown.setAttribute("aria-labelledby", label.id + " " + shown.id);
        }
      });
      // A multiple box's "clear" cross sits inside its list of choices, where
      // only list items belong: move it just before the list.
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(function (stray) {
        stray.parentNode.parentNode.insertBefore(stray, stray.parentNode);
      });
      container.querySelectorAll("input.select2-search__field").forEach(function (input) {
        if (!input.getAttribute("aria-label")) {
          input.setAttribute("aria-label", text);
        }
      });
    });
    // The dropdown's own search box, shown while a single-choice box is open.
    document.querySelectorAll(".select2-dropdown input.select2-search__field").forEach(function (input) {
      if (!input.getAttribute("aria-label")) {
        input.setAttribute("aria-label", "Search");
      }
    });
  }

  function nameFilterLists() {
    document.querySelectorAll("select.filtered").forEach(function (list) {
      if (list.getAttribute("aria-label") || list.getAttribute("aria-labelledby") || labelOf(list.id)) {
        return;
      }
      var base = list.id.replace(/_(from|to)$/, "");
      var field = labelText(labelOf(base)) || base.replace(/^id_/, "");
      var chosen = /_to$/.test(list.id);
      list.setAttribute("aria-label", (chosen ? "Chosen " : "Available ") + field);
    });
  }

  // The filter box's magnifier icon carries the box's description as an
  // aria-label, which a plain <span> may not have: as an image it may, and the
  // description then names the box through its <label>.
  function fixFilterIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function run() {
    nameAutocompletes();
    nameFilterLists();
    fixFilterIcons();
  }

  var queued = false;
  function later() {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        run();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
  });
})();
