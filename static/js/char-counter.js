/* Live "n characters left" under every textarea marked data-char-counter (the citation excerpt).
   Loaded as a file, no inline script: works under a CSP without 'unsafe-inline'. The maxlength
   attribute stops typing at the limit without this script. */
(function () {
  "use strict";
  function attach(area) {
    if (area.dataset.charCounterReady) return;
    area.dataset.charCounterReady = "1";
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    if (!limit) return;
    var note = document.createElement("div");
    note.className = "char-counter";
    note.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", note);
    function update() {
      var left = limit - area.value.length;
      note.textContent = left + " / " + limit + " characters left";
      note.classList.toggle("char-counter-low", left < 30);
    }
    area.addEventListener("input", update);
    update();
  }
  function scan() {
    document.querySelectorAll("textarea[data-char-counter]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", scan);
  // Inline rows added with "Add another" arrive later.
  document.addEventListener("formset:added", scan);
})();
