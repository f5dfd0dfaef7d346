/* The charts of the home and country pages: horizontal (stacked) bars drawn as SVG from the
   <script type="application/json"> block each .chart-figure names in data-chart — the same data as
   the table below it, which stays the content for screen readers (the picture is aria-hidden) and
   is folded away once the picture is drawn. Each bar (and each row's label) links to the list
   filtered by that row and series. Colours are SVG attributes: the site's CSP allows no inline
   style. Scales use d3-array's ticks (static/vendor/d3-array). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var ROW = 22, GAP = 6, AXIS = 18;
  // Distinguishable on white (each at least 3:1 against it); a series past the last reuses them.
  var PALETTE = ["#0b4f8a", "#b8336a", "#0b8a6e", "#c2571a", "#7a2e8c", "#8a7400", "#3a7ebf",
                 "#5c7f1a", "#2f4858", "#9b5de5", "#a23b3b", "#6b6b6b"];

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function colour(i) { return PALETTE[i % PALETTE.length]; }
  function linked(parent, url) {
    return url ? el("a", { href: url, tabindex: "-1", class: "chart-link" }, parent) : el("g", {}, parent);
  }

  function legend(container, series) {
    if (series.length < 2) return;
    var list = document.createElement("ul");
    list.className = "chart-legend";
    series.forEach(function (label, i) {
      var item = document.createElement("li");
      var swatch = el("svg", { width: 12, height: 12, viewBox: "0 0 12 12", class: "chart-swatch" });
      el("rect", { width: 12, height: 12, rx: 2, fill: colour(i) }, swatch);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + label));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  // Rows × series as a grid of shaded cells, each with its count, and the row's total: for counts
  // that do not add up along a row (an activity in three countries is in each country's column).
  function heatmap(container, data) {
    var width = Math.max(container.clientWidth, 280);
    var label = 44, head = 96, cols = data.series.length + 1;
    // The slanted column names reach past the last column: leave them room on the right.
    var room = 64, cell = Math.max(Math.min(Math.floor((width - label - room) / cols), 56), 20), row = 22;
    var max = 1;
    data.rows.forEach(function (r) { r.cells.forEach(function (c) { max = Math.max(max, c.value); }); });
    var height = head + data.rows.length * row;
    var full = label + cols * cell + room;
    var svg = el("svg", { width: full, height: height, viewBox: "0 0 " + full + " " + height, class: "chart-svg heatmap" }, container);
    data.series.concat([data.total_heading]).forEach(function (name, i) {
      var cx = label + i * cell + cell / 2;
      var text = el("text", { x: 0, y: 0, class: "chart-label" + (i === data.series.length ? " chart-total-head" : ""), transform: "translate(" + (cx + 4) + "," + (head - 6) + ") rotate(-50)" }, svg);
      text.textContent = name.length > 16 ? name.slice(0, 15) + "…" : name;
      el("title", {}, text).textContent = name;
    });
    var drawn = 0;
    data.rows.forEach(function (r, j) {
      var y = head + j * row;
      var name = el("text", { x: label - 6, y: y + row / 2 + 4, class: "chart-label", "text-anchor": "end" }, linked(svg, r.url));
      name.textContent = r.label;
      r.cells.concat([{ value: r.total, url: r.url, total: true }]).forEach(function (c, i) {
        var x = label + i * cell, link = linked(svg, c.value ? c.url : "");
        var share = c.value / (c.total ? Math.max(max, r.total) : max);
        var fill = c.value ? (c.total ? "#e3e7ec" : "rgba(11, 79, 138, " + (0.12 + 0.88 * share).toFixed(3) + ")") : "#f6f7f9";
        el("rect", { x: x + 1, y: y + 1, width: cell - 2, height: row - 2, rx: 2, fill: fill, class: "chart-bar" }, link);
        if (c.value) {
          el("text", { x: x + cell / 2, y: y + row / 2 + 4, "text-anchor": "middle", class: "chart-count", fill: !c.total && share > 0.45 ? "#ffffff" : "#1d232b" }, link).textContent = c.value;
          el("title", {}, link).textContent = r.label + " · " + (c.total ? data.total_heading : data.series[i]) + ": " + c.value;
          drawn++;
        }
      });
    });
    return drawn;
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    container.textContent = "";
    if (data.extra.heatmap && data.series.length > 1) {
      container.setAttribute("data-drawn", String(heatmap(container, data)));
      return;
    }
    var width = Math.max(container.clientWidth, 280);
    var label = Math.min(Math.round(width * 0.34), 190), right = 34;
    var max = Math.max.apply(null, data.rows.map(function (r) { return r.total; }).concat([1]));
    // With several series a row's bar is its cells stacked; the total may be less than their sum
    // (an activity in two countries counts once in the year's total), so the scale takes the larger.
    var stacked = data.rows.map(function (r) {
      return r.cells.reduce(function (sum, c) { return sum + c.value; }, 0);
    });
    max = Math.max(max, Math.max.apply(null, stacked.concat([1])));
    var ticks = d3.ticks(0, max, width < 480 ? 3 : 6).filter(function (t) { return Number.isInteger(t); });
    var x = function (v) { return label + (width - label - right) * v / max; };
    var height = AXIS + data.rows.length * (ROW + GAP);
    var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, class: "chart-svg" }, container);
    ticks.forEach(function (t) {
      el("line", { x1: x(t), x2: x(t), y1: AXIS - 4, y2: height, class: "chart-gridline" }, svg);
      el("text", { x: x(t), y: AXIS - 7, class: "chart-tick", "text-anchor": "middle" }, svg).textContent = t;
    });
    var bars = 0;
    data.rows.forEach(function (row, r) {
      var y = AXIS + r * (ROW + GAP);
      var name = el("text", { x: label - 6, y: y + ROW / 2 + 4, class: "chart-label", "text-anchor": "end" }, linked(svg, row.url));
      var chars = Math.floor((label - 10) / 6.5);
      name.textContent = row.label.length > chars ? row.label.slice(0, chars - 1) + "…" : row.label;
      el("title", {}, name).textContent = row.label;
      var at = 0;
      row.cells.forEach(function (cell, i) {
        if (!cell.value) return;
        var link = linked(svg, cell.url);
        el("rect", { x: x(at), y: y, width: Math.max(x(at + cell.value) - x(at) - 1, 2), height: ROW, rx: 2, fill: colour(i), class: "chart-bar" }, link);
        el("title", {}, link).textContent = row.label + (data.series.length > 1 ? " · " + data.series[i] : "") + ": " + cell.value;
        at += cell.value;
        bars++;
      });
      el("text", { x: x(at) + 4, y: y + ROW / 2 + 4, class: "chart-total" }, svg).textContent = row.total;
    });
    legend(container, data.series);
    container.setAttribute("data-drawn", String(bars));
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.d3) return;
    var figures = Array.prototype.slice.call(document.querySelectorAll(".chart-figure[data-chart]"));
    figures.forEach(function (figure) {
      draw(figure);
      var table = figure.parentNode.querySelector("details.chart-table");
      if (table) table.open = false;
    });
    var width = window.innerWidth, timer = null;
    window.addEventListener("resize", function () {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(function () { figures.forEach(draw); }, 150);
    });
  });
})();
