/* The timeline picture: an SVG drawn from <script type="application/json" id="timeline-data">.
   Each bar spans its activity's first to last possible day; bars that overlap in a lane stack.
   The tables on the page hold the same activities (the picture is hidden from screen readers). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var LABEL = 150, ROW = 14, GAP = 10, AXIS = 22;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function day(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }

  function pack(items) {
    // Greedy: each bar goes on the first row where it does not overlap the previous bar.
    var ends = [];
    return items.map(function (item) {
      var start = day(item[2]), row = 0;
      while (row < ends.length && ends[row] >= start) row++;
      ends[row] = day(item[3]);
      return row;
    });
  }

  // Draws the lanes between the years [first, last]: the items overlapping them, clipped to them.
  function draw(container, data, first, last) {
    container.textContent = "";
    var width = Math.max(container.clientWidth, 320), label = width < 500 ? 90 : LABEL;
    var from = Date.UTC(first, 0, 1), to = Date.UTC(last + 1, 0, 1);
    var x = function (t) { return label + (width - label - 8) * (Math.min(Math.max(t, from), to) - from) / (to - from); };
    var lanes = data.lanes.map(function (lane) {
      var items = lane.items.filter(function (item) { return day(item[2]) < to && day(item[3]) + 86400000 > from; });
      var rows = pack(items);
      return { lane: lane, items: items, rows: rows, height: (Math.max.apply(null, rows.concat([0])) + 1) * ROW };
    }).filter(function (l) { return l.items.length; });
    var height = AXIS + lanes.reduce(function (sum, l) { return sum + l.height + GAP; }, 0);
    var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, class: "timeline-svg" }, container);
    var span = last - first + 1, step = span > 24 ? 5 : span > 10 ? 2 : 1;
    for (var year = first; year <= last + 1; year++) {
      var tx = x(Date.UTC(year, 0, 1));
      el("line", { x1: tx, x2: tx, y1: AXIS - 4, y2: height, class: "tl-grid" }, svg);
      if ((year - first) % step === 0 && year <= last) {
        el("text", { x: tx + 2, y: AXIS - 8, class: "tl-year" }, svg).textContent = year;
      }
    }
    if (span <= 3) {  // zoomed in: months too
      for (var y2 = first; y2 <= last; y2++) {
        for (var m = 1; m < 12; m++) {
          var mx = x(Date.UTC(y2, m, 1));
          el("line", { x1: mx, x2: mx, y1: AXIS - 2, y2: height, class: "tl-grid tl-month" }, svg);
        }
      }
    }
    var y = AXIS;
    lanes.forEach(function (l, index) {
      var name = el("text", { x: 4, y: y + 11, class: "tl-lane" }, svg);
      var chars = Math.floor((label - 8) / 6.5);  // what fits beside the bars (bold 11px)
      name.textContent = l.lane.label.length > chars ? l.lane.label.slice(0, chars - 1) + "…" : l.lane.label;
      el("title", {}, name).textContent = l.lane.label;
      l.items.forEach(function (item, i) {
        var x1 = x(day(item[2])), x2 = x(day(item[3]) + 86400000);
        var link = el("a", { href: item[1], class: "tl-item", tabindex: "-1" }, svg);
        el("rect", { x: x1, y: y + l.rows[i] * ROW + 1, width: Math.max(x2 - x1 - 1, 3), height: ROW - 3, rx: 2, class: "tl-bar lane-" + (index % 6) }, link);
        el("title", {}, link).textContent = item[0] + " (" + item[4] + ")";
      });
      y += l.height + GAP;
      el("line", { x1: 0, x2: width, y1: y - GAP / 2, y2: y - GAP / 2, class: "tl-sep" }, svg);
    });
    if (!lanes.length) container.appendChild(document.createTextNode(container.getAttribute("data-empty")));
    container.setAttribute("data-drawn", String(svg.querySelectorAll("rect").length));
    if (first === data.first_year && last === data.last_year) container.removeAttribute("data-period");
    else container.setAttribute("data-period", first + "-" + last);
  }

  // The zoom: two years and "Show all", made here since they need the script (without it the
  // filters' years narrow the period, on the server).
  function zoom(container, data) {
    var form = document.createElement("div");
    form.className = "tl-zoom";
    form.setAttribute("role", "group");
    form.setAttribute("aria-label", container.getAttribute("data-zoom"));
    function field(id, text, value) {
      var wrap = document.createElement("label");
      wrap.setAttribute("for", id);
      wrap.textContent = text + " ";
      var input = document.createElement("input");
      input.type = "number"; input.id = id; input.min = data.first_year; input.max = data.last_year;
      input.step = 1; input.value = value; input.inputMode = "numeric";
      form.appendChild(wrap); form.appendChild(input);
      return input;
    }
    var title = document.createElement("span");
    title.className = "tl-zoom-title";
    title.textContent = container.getAttribute("data-zoom");
    form.appendChild(title);
    var a = field("timeline-zoom-from", container.getAttribute("data-zoom-from"), data.first_year);
    var b = field("timeline-zoom-to", container.getAttribute("data-zoom-to"), data.last_year);
    var reset = document.createElement("button");
    reset.type = "button"; reset.id = "timeline-zoom-reset";
    reset.textContent = container.getAttribute("data-zoom-reset");
    form.appendChild(reset);
    function clamp(v, d) { v = parseInt(v, 10); return isNaN(v) ? d : Math.min(Math.max(v, data.first_year), data.last_year); }
    function update() {
      var first = clamp(a.value, data.first_year), last = clamp(b.value, data.last_year);
      if (first > last) { var t = first; first = last; last = t; }
      draw(container, data, first, last);
    }
    a.addEventListener("change", update); b.addEventListener("change", update);
    reset.addEventListener("click", function () { a.value = data.first_year; b.value = data.last_year; update(); });
    container.parentNode.insertBefore(form, container);
    return update;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("timeline-chart");
    var source = document.getElementById("timeline-data");
    if (!container || !source) return;
    var data = JSON.parse(source.textContent);
    if (!data.lanes.length) { container.textContent = container.getAttribute("data-empty"); return; }
    var update = zoom(container, data);
    update();
    var width = window.innerWidth;
    window.addEventListener("resize", function () {
      if (window.innerWidth !== width) { width = window.innerWidth; update(); }
    });
  });
})();
