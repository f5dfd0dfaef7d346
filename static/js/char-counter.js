/* Live "n / m characters left" under every textarea marked data-char-counter (the citation
   excerpt). Loaded as a file, no inline script: works under a CSP without 'unsafe-inline'. The
   maxlength attribute stops typing at the limit without this script.
   The words are the page's language, from the catalogues: data-char-counter holds the language and
   the message in each of its plural forms ({"one": …, "few": …, "other": …}, wps_portal/forms.py),
   chosen here with Intl.PluralRules. Without them the counter shows the numbers only. */
(function () {
  "use strict";
  function attach(area) {
    if (area.dataset.charCounterReady) return;
    area.dataset.charCounterReady = "1";
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    if (!limit) return;
    var counter = {};
    try { counter = JSON.parse(area.dataset.charCounter || "{}"); } catch (error) { counter = {}; }
    var forms = counter.forms || {};
    var rules = null;
    try { rules = new Intl.PluralRules(counter.language || document.documentElement.lang || "en"); } catch (error) { rules = null; }
    function message(left) {
      var form = forms[rules ? rules.select(left) : "other"] || forms.other;
      if (!form) return left + " / " + limit;
      return form.replace("%(left)s", left).replace("%(limit)s", limit);
    }
    var note = document.createElement("div");
    note.className = "char-counter";
    note.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", note);
    function update() {
      var left = limit - area.value.length;
      note.textContent = message(left);
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
