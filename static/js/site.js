/* Enhancements only: every page works without this script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // Facet checkboxes and the sort menu apply at once.
    var filters = document.getElementById("filters");
    if (filters) {
      filters.addEventListener("change", function (event) {
        if (event.target.matches('input[type="checkbox"]')) {
          filters.requestSubmit ? filters.requestSubmit() : filters.submit();
        }
      });
      // On a phone the filter panel starts closed, so the results show first (active filters are
      // listed above the results, each with a link that removes it).
      var panel = filters.querySelector(".filter-panel");
      if (panel && window.matchMedia("(max-width: 50rem)").matches) {
        panel.removeAttribute("open");
      }
    }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        var form = select.form;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
    });
    // "Cite this": a button that copies the citation (the text stays selectable without it).
    document.querySelectorAll(".cite-text[data-copy-label]").forEach(function (text) {
      if (!navigator.clipboard) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = text.dataset.copyLabel;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(text.textContent.trim()).then(function () {
          button.textContent = text.dataset.copiedLabel;
          setTimeout(function () { button.textContent = text.dataset.copyLabel; }, 2000);
        });
      });
      text.insertAdjacentElement("afterend", button);
    });
  });
})();
