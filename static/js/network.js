/* The network picture (Cytoscape.js) and sortable tables. Data comes from the page's
   <script type="application/json" id="network-data">; without this script the tables remain. */
(function () {
  "use strict";

  // One colour per partner kind (also in network.css for the legend swatches).
  var KIND_COLOURS = {
    "womens-ngo": "#b8336a", "ngo": "#e07b39", "network": "#7a2e8c", "government": "#1f6fb2",
    "security": "#2f4858", "judiciary": "#4d7ea8", "parliament": "#3a9bdc", "municipal": "#70a9d6",
    "un": "#0b8a6e", "international": "#1a9e3f", "eu-mission": "#5c7f1a", "donor": "#a38b00",
    "media": "#c2571a", "academic": "#9b5de5", "other": "#7b7b7b"
  };
  // A shape per sector, so the picture does not rest on colour alone.
  var SECTOR_SHAPES = {
    "civil-society": "ellipse", "government": "round-rectangle", "security": "diamond",
    "international": "hexagon", "other": "triangle"
  };
  var HUBS = 15;
  var EDGE_COLOURS = { "activity": "#9aa5b1", "case-study": "#c49a6c", "part-of": "#333333" };

  function text(el, value) { el.textContent = value; return el; }
  function make(tag, className) { var el = document.createElement(tag); if (className) el.className = className; return el; }

  function drawGraph(container, data) {
    var n = data.nodes, maxDegree = 1;
    n.forEach(function (node) { if (node.degree > maxDegree) maxDegree = node.degree; });
    // The best-linked partners are labelled at once; every label shows on zooming in.
    var hubs = {};
    n.slice().sort(function (a, b) { return b.degree - a.degree; }).slice(0, HUBS).forEach(function (node) {
      if (node.degree > 0) hubs[node.id] = true;
    });
    var elements = n.map(function (node) {
      return { group: "nodes", data: {
        id: node.id, label: node.label, name: node.name, hub: !!hubs[node.id] || node.id === data.focus, focus: node.id === data.focus, url: node.url, kind: node.kind,
        kindLabel: node.kind_label, country: node.country,
        colour: KIND_COLOURS[node.kind] || "#777", shape: SECTOR_SHAPES[node.sector] || "ellipse",
        size: 12 + 48 * Math.sqrt(node.degree / maxDegree),
        // Hubs' labels are large enough to show at once; the others appear on zooming in.
        fontSize: 9 + 5 * Math.sqrt(node.degree / maxDegree)
      } };
    });
    data.edges.forEach(function (e, i) {
      var source = n[e[0]], target = n[e[1]], kind = e[2];
      elements.push({ group: "edges", data: {
        id: "e" + i, source: source.id, target: target.id, kind: kind, directed: e[3] === 1,
        weight: e[4], records: e[5], width: Math.min(1 + Math.log2(e[4]) * 1.5, 8),
        colour: EDGE_COLOURS[kind] || "#5a3e9b"
      } });
    });
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 4,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", "shape": "data(shape)", "width": "data(size)",
          "height": "data(size)", "label": "", "font-size": "data(fontSize)", "color": "#1d232b",
          "text-valign": "bottom", "text-margin-y": 2, "text-outline-color": "#fff",
          "text-outline-width": 2, "text-wrap": "ellipsis", "text-max-width": 110, "border-width": 1, "border-color": "#fff", "min-zoomed-font-size": 6
        } },
        { selector: "edge", style: {
          "width": "data(width)", "line-color": "data(colour)", "opacity": 0.3,
          "curve-style": "bezier", "target-arrow-color": "data(colour)"
        } },
        { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle", "arrow-scale": 0.8, "opacity": 0.7 } },
        { selector: "node[?hub], node.labelled", style: { "label": "data(label)" } },
        { selector: "node[?focus]", style: { "border-width": 4, "border-color": "#1d232b", "font-weight": "bold" } },
        { selector: ".faded", style: { "opacity": 0.08 } },
        { selector: "edge:selected", style: { "line-color": "#ffbf47", "target-arrow-color": "#ffbf47", "opacity": 1, "width": 6 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1d232b" } }
      ],
      layout: {
        name: "cose", animate: false, randomize: false, numIter: 1500, gravity: 0.4,
        componentSpacing: 40, nodeOverlap: 8,
        nodeRepulsion: function () { return 60000; },
        idealEdgeLength: function (edge) { return edge.data("directed") ? 40 : 90; },
        // Co-participation edges (many, from large meetings) pull less than stated relations.
        edgeElasticity: function (edge) { return edge.data("directed") ? 100 : 20 + 10 * edge.data("weight"); }
      }
    });
    return cy;
  }

  function showEdge(info, data, edge) {
    var d = edge.data(), source = edge.source().data(), target = edge.target().data();
    info.innerHTML = "";
    var heading = make("h3");
    text(heading, source.name + " — " + (data.kinds[d.kind] || d.kind) + " — " + target.name);
    info.appendChild(heading);
    var list = make("ul", "link-list");
    d.records.forEach(function (index) {
      var record = data.records[index], item = make("li");
      if (record[1]) { var a = make("a"); a.href = record[1]; text(a, record[0]); item.appendChild(a); }
      else { text(item, record[0]); }
      if (record[2]) { var date = make("span", "muted small"); text(date, " (" + record[2] + ")"); item.appendChild(date); }
      list.appendChild(item);
    });
    info.appendChild(list);
  }

  function sortable(table) {
    var headers = table.querySelectorAll("th[data-sort]");
    headers.forEach(function (th, column) {
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = make("button", "sort-button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        // First click: numbers largest first, text A to Z; the next click reverses.
        var numeric = th.getAttribute("data-sort") === "number";
        var current = th.getAttribute("aria-sort");
        var descending = current ? current === "ascending" : numeric;
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var vx = x.getAttribute("data-value") || x.textContent.trim();
          var vy = y.getAttribute("data-value") || y.textContent.trim();
          var c = numeric ? (parseFloat(vx) || 0) - (parseFloat(vy) || 0) : vx.localeCompare(vy);
          return descending ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(sortable);
    var container = document.getElementById("network-graph");
    var source = document.getElementById("network-data");
    if (!container || !source || !window.cytoscape) return;
    var data = JSON.parse(source.textContent);
    var info = document.getElementById("network-info");
    if (!data.nodes.length) { text(container, container.getAttribute("data-empty")); return; }
    var cy = drawGraph(container, data);
    container.setAttribute("data-drawn", String(cy.nodes().length));
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) window.location.href = url;
    });
    cy.on("mouseover", "node", function (event) {
      var hood = event.target.closedNeighborhood();
      cy.elements().not(hood).addClass("faded");
      hood.nodes().addClass("labelled");
    });
    cy.on("mouseout", "node", function () { cy.elements().removeClass("faded"); cy.nodes().removeClass("labelled"); });
    var start = cy.zoom();
    cy.on("zoom", function () { cy.nodes().toggleClass("labelled", cy.zoom() > start * 1.8); });
    cy.on("tap", "edge", function (event) { showEdge(info, data, event.target); });
    window.wpsNetwork = cy; // for the browser tests and the curious
  });
})();
