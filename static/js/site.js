/* Enhancements only: every page works without this script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var WIDE = "(min-width: 50.01rem)";

  document.addEventListener("DOMContentLoaded", function () {
    var filters = document.getElementById("filters");
    if (!filters) return;
    var panel = filters.querySelector(".filter-panel");
    // The panel is closed in the HTML, so a phone shows the results first; a wide screen has room
    // for it beside the results.
    if (panel && window.matchMedia(WIDE).matches) panel.open = true;

    // Nothing applies until "Apply filters" (a checkbox that reloaded the page would take the
    // keyboard's place away, WCAG 3.2.2). The form goes to the control changed last, by its id in
    // the URL's fragment, and the reloaded page gives that control the focus again.
    var changed = null;
    filters.addEventListener("change", function (event) {
      if (event.target.id) changed = event.target.id;
    });
    filters.addEventListener("submit", function () {
      var base = filters.getAttribute("data-list-url") || filters.action.split("#")[0];
      filters.action = base + "#" + (changed || "results");
    });

    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && filters.contains(target)) {
      if (panel) panel.open = true;
      var more = target.closest("details.facet-more");
      if (more) more.open = true;
      target.focus();
      target.scrollIntoView({ block: "center" });
    } else if (target && target.id === "results") {
      target.focus({ preventScroll: true });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
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
