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

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("timeline-chart");
    var source = document.getElementById("timeline-data");
    if (!container || !source) return;
    var data = JSON.parse(source.textContent);
    if (!data.lanes.length) { container.textContent = container.getAttribute("data-empty"); return; }
    var width = Math.max(container.clientWidth, 320), label = width < 500 ? 90 : LABEL;
    var from = Date.UTC(data.first_year, 0, 1), to = Date.UTC(data.last_year + 1, 0, 1);
    var x = function (t) { return label + (width - label - 8) * (t - from) / (to - from); };
    var lanes = data.lanes.map(function (lane) {
      var rows = pack(lane.items);
      return { lane: lane, rows: rows, height: (Math.max.apply(null, rows) + 1) * ROW };
    });
    var height = AXIS + lanes.reduce(function (sum, l) { return sum + l.height + GAP; }, 0);
    var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, class: "timeline-svg" }, container);
    var span = data.last_year - data.first_year + 1, step = span > 24 ? 5 : span > 10 ? 2 : 1;
    for (var year = data.first_year; year <= data.last_year + 1; year++) {
      var tx = x(Date.UTC(year, 0, 1));
      el("line", { x1: tx, x2: tx, y1: AXIS - 4, y2: height, class: "tl-grid" }, svg);
      if ((year - data.first_year) % step === 0 && year <= data.last_year) {
        el("text", { x: tx + 2, y: AXIS - 8, class: "tl-year" }, svg).textContent = year;
      }
    }
    var y = AXIS;
    lanes.forEach(function (l, index) {
      var name = el("text", { x: 4, y: y + 11, class: "tl-lane" }, svg);
      name.textContent = l.lane.label.length > 22 ? l.lane.label.slice(0, 21) + "…" : l.lane.label;
      el("title", {}, name).textContent = l.lane.label;
      l.lane.items.forEach(function (item, i) {
        var x1 = x(day(item[2])), x2 = x(day(item[3]) + 86400000);
        var link = el("a", { href: item[1], class: "tl-item", tabindex: "-1" }, svg);
        el("rect", { x: x1, y: y + l.rows[i] * ROW + 1, width: Math.max(x2 - x1 - 1, 3), height: ROW - 3, rx: 2, class: "tl-bar lane-" + (index % 6) }, link);
        el("title", {}, link).textContent = item[0] + " (" + item[4] + ")";
      });
      y += l.height + GAP;
      el("line", { x1: 0, x2: width, y1: y - GAP / 2, y2: y - GAP / 2, class: "tl-sep" }, svg);
    });
    container.setAttribute("data-drawn", String(svg.querySelectorAll("rect").length));
  });
})();
