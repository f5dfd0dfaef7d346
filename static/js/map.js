/* The map: world-atlas's countries (TopoJSON, shipped in static/vendor, read with topojson-client)
   drawn with d3-geo, coloured by the counts in the <script type="application/json"> block the
   .map-figure names in data-map. Each counted country links to the list of its records. Two views:
   the region the portal is about (fitted to its countries), and the world. The table on the page
   holds every count (the picture is aria-hidden). Colours are SVG attributes (no inline style under
   the site's CSP). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  // Light to dark; the darkest classes pass 3:1 against the light land colour.
  var SCALE = ["#c9ddf0", "#93bde2", "#5a98cc", "#2a6fae", "#0b4f8a", "#06325a"];
  var LAND = "#e6e9ed";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  // Classes of counts on a 1-2-5 scale (counts are skewed: one country holds most records), at
  // most as many as the scale has colours: [1], [2], [3–5], [6–10], … up to the largest count.
  function classes(max) {
    var breaks = [1], step = 0;
    while (breaks[breaks.length - 1] < max) {
      breaks.push([2, 5, 10][step % 3] * Math.pow(10, Math.floor(step / 3)));
      step++;
    }
    breaks[breaks.length - 1] = max;
    // Too many: the small classes merge first (1–5 rather than 1, 2, 3–5).
    while (breaks.length > SCALE.length) breaks.splice(0, 1);
    return breaks.map(function (b, i) { return [i ? breaks[i - 1] + 1 : 1, b]; });
  }
  function colourOf(value, bounds) {
    if (!value) return LAND;
    for (var i = 0; i < bounds.length; i++) if (value <= bounds[i][1]) return SCALE[SCALE.length - bounds.length + i];
    return SCALE[SCALE.length - 1];
  }

  function view(container, title, features, byKey, data, bounds, fit, projection, labels) {
    var wrap = document.createElement("div");
    wrap.className = "map-view";
    var heading = document.createElement("h3");
    heading.textContent = title;
    wrap.appendChild(heading);
    container.querySelector(".map-views").appendChild(wrap);
    var width = Math.max(wrap.clientWidth, 260), height = Math.round(width * (labels ? 0.8 : 0.52));
    projection.fitExtent([[8, 8], [width - 8, height - 8]], fit);
    var path = d3.geoPath(projection);
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, class: "map-svg", width: width, height: height }, wrap);
    var drawn = 0, placed = [];
    features.forEach(function (feature) {
      var country = byKey[feature.key];
      var d = path(feature);
      if (!d) return;
      var value = country ? country[data.measure] : 0;
      if (!country) { el("path", { d: d, class: "map-land", fill: LAND }, svg); return; }
      var link = el("a", { href: country.links[data.measure], tabindex: "-1", class: "map-link", "data-code": country.code }, svg);
      el("path", { d: d, class: "map-country", fill: colourOf(value, bounds) }, link);
      el("title", {}, link).textContent = country.name + ": " + Object.keys(data.labels).map(function (m) {
        return data.labels[m] + " " + country[m];
      }).join(", ");
      drawn++;
      // Narrow, a country is named by its code (the table below names it in full).
      if (labels && country.region === data.region) placed.push([path.centroid(feature), width < 480 ? country.code : country.name, value]);
    });
    placed.forEach(function (p) {
      if (!isFinite(p[0][0])) return;
      var text = el("text", { x: p[0][0], y: p[0][1] - 2, class: "map-label", "text-anchor": "middle" }, svg);
      el("tspan", { x: p[0][0] }, text).textContent = p[1];
      el("tspan", { x: p[0][0], dy: "1.1em", class: "map-label-count" }, text).textContent = p[2];
    });
    return drawn;
  }

  function legend(container, data, bounds) {
    var list = document.createElement("ul");
    list.className = "map-legend";
    var items = [[container.getAttribute("data-none"), LAND]].concat(bounds.map(function (b) {
      return [b[0] === b[1] ? String(b[0]) : b[0] + "–" + b[1], colourOf(b[1], bounds)];
    }));
    var caption = document.createElement("li");
    caption.textContent = data.labels[data.measure] + ":";
    list.appendChild(caption);
    items.forEach(function (item) {
      var li = document.createElement("li");
      var swatch = el("svg", { width: 14, height: 14, viewBox: "0 0 14 14" });
      el("rect", { width: 14, height: 14, rx: 2, fill: item[1], stroke: "#9aa5b1", "stroke-width": 0.5 }, swatch);
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(" " + item[0]));
      list.appendChild(li);
    });
    container.appendChild(list);
  }

  function draw(container, topology) {
    var data = JSON.parse(document.getElementById(container.getAttribute("data-map")).textContent);
    var features = topojson.feature(topology, topology.objects.countries).features;
    features.forEach(function (f) { f.key = f.id ? String(f.id) : "name:" + f.properties.name; });
    var byKey = {};
    data.countries.forEach(function (c) { if (c.atlas) byKey[c.atlas] = c; });
    var max = Math.max.apply(null, data.countries.map(function (c) { return c[data.measure]; }).concat([1]));
    var bounds = classes(max);
    container.textContent = "";
    var views = document.createElement("div");
    views.className = "map-views";
    container.appendChild(views);
    var region = features.filter(function (f) { var c = byKey[f.key]; return c && c.region === data.region; });
    var fit = { type: "FeatureCollection", features: region.length ? region : features };
    var drawn = 0, names = container.getAttribute("data-views").split(" ");
    if (names.indexOf("region") >= 0) {
      drawn += view(container, container.getAttribute("data-region-title"), features, byKey, data, bounds, fit, d3.geoMercator(), true);
    }
    if (names.indexOf("world") >= 0) {
      view(container, container.getAttribute("data-world-title"), features, byKey, data, bounds, { type: "Sphere" }, d3.geoEqualEarth(), false);
    }
    legend(container, data, bounds);
    container.setAttribute("data-drawn", String(drawn));
    var table = container.closest("section") && container.closest("section").querySelector("details.chart-table");
    if (table) table.open = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.d3 || !window.topojson || !d3.geoPath) return;
    var figures = document.querySelectorAll(".map-figure[data-map]");
    if (!figures.length) return;
    fetch(figures[0].getAttribute("data-atlas"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (topology) {
        Array.prototype.forEach.call(figures, function (figure) { draw(figure, topology); });
      })
      .catch(function () { /* the table below carries everything */ });
  });
})();
