/*
 * A round's live dashboard: polls the round's JSON every few seconds and updates the
 * counts, the table by area, the chart of answers over time (drawn as SVG) and the map of
 * counts by city (Leaflet circles over country outlines; aggregated, never a person).
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var STATUSES = ["safe", "needs_help", "left"];
  var COLOURS = { safe: "#00703c", needs_help: "#d4351c", left: "#1d70b8" };

  function svg(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function updateCounts(counts) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (node) {
      var key = node.getAttribute("data-count");
      if (counts[key] !== undefined) node.textContent = String(counts[key]);
    });
  }

  function cell(row, text, header) {
    var node = document.createElement(header ? "th" : "td");
    if (header) node.setAttribute("scope", "row");
    node.textContent = text;
    row.appendChild(node);
  }

  function updateAreas(areas) {
    var body = document.getElementById("area-rows");
    if (!body) return;
    var unknown = body.getAttribute("data-unknown") || "";
    while (body.firstChild) body.removeChild(body.firstChild);
    areas.forEach(function (area) {
      var row = document.createElement("tr");
      cell(row, area.code ? (area.name || area.code) : unknown, true);
      ["audience", "reached", "safe", "needs_help", "left", "no_answer"].forEach(function (key) {
        cell(row, String(area[key]));
      });
      body.appendChild(row);
    });
  }

  // Cumulative first answers per status, one line each.
  function drawChart(container, series) {
    while (container.firstChild) container.removeChild(container.firstChild);
    var points = series.points || [];
    if (!points.length) {
      var empty = document.createElement("p");
      empty.textContent = container.getAttribute("data-empty") || "";
      container.appendChild(empty);
      return;
    }
    var width = 640, height = 220, left = 48, bottom = 24, top = 10, right = 10;
    var totals = { safe: 0, needs_help: 0, left: 0 };
    var lines = { safe: [], needs_help: [], left: [] };
    var times = points.map(function (p) { return Date.parse(p.t); });
    points.forEach(function (point) {
      STATUSES.forEach(function (status) {
        totals[status] += point[status] || 0;
        lines[status].push(totals[status]);
      });
    });
    var max = Math.max(1, totals.safe, totals.needs_help, totals.left);
    var start = times[0], end = Math.max(times[times.length - 1], start + 60000);
    function x(t) { return left + (width - left - right) * (t - start) / (end - start); }
    function y(v) { return height - bottom - (height - bottom - top) * v / max; }
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "answer-svg" });
    chart.appendChild(svg("line", { x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: "#505a5f" }));
    chart.appendChild(svg("line", { x1: left, y1: top, x2: left, y2: y(0), stroke: "#505a5f" }));
    var label = svg("text", { x: left - 6, y: y(max) + 4, "text-anchor": "end", "font-size": "12" });
    label.textContent = String(max);
    chart.appendChild(label);
    var title = [];
    STATUSES.forEach(function (status) {
      var path = lines[status].map(function (value, index) {
        return (index ? "L" : "M") + x(times[index]).toFixed(1) + " " + y(value).toFixed(1);
      }).join(" ");
      chart.appendChild(svg("path", {
        d: path, fill: "none", stroke: COLOURS[status], "stroke-width": "2.5",
        "class": "series series-" + status
      }));
      title.push((container.getAttribute("data-label-" + status) || status) + ": " + totals[status]);
    });
    var description = svg("title");
    description.textContent = title.join(", ");
    chart.insertBefore(description, chart.firstChild);
    container.appendChild(chart);
    var legend = document.createElement("ul");
    legend.className = "chart-legend";
    STATUSES.forEach(function (status, index) {
      var item = document.createElement("li");
      item.className = "legend-" + status;
      item.textContent = title[index];
      legend.appendChild(item);
    });
    container.appendChild(legend);
  }

  function Map(container) {
    this.container = container;
    this.map = null;
    this.layer = null;
    this.pending = null;
  }

  Map.prototype.start = function () {
    var self = this;
    if (typeof L === "undefined") return;
    fetch(this.container.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("outlines: HTTP " + response.status);
        return response.json();
      })
      .then(function (outlines) {
        self.map = L.map(self.container, { zoomSnap: 0.25, scrollWheelZoom: false });
        self.map.attributionControl.setPrefix(false);
        self.map.attributionControl.addAttribution("Natural Earth");
        L.geoJSON(outlines, {
          style: function () { return { color: "#ffffff", weight: 0.6, fillColor: "#dcdcdc", fillOpacity: 1 }; }
        }).addTo(self.map);
        self.layer = L.layerGroup().addTo(self.map);
        self.map.setView([30, 20], 2);
        self.container.setAttribute("data-state", "ready");
        if (self.pending) self.update(self.pending, true);
      })
      .catch(function (error) {
        self.container.setAttribute("data-state", "error");
        var message = document.createElement("p");
        message.textContent = self.container.getAttribute("data-error") || "";
        self.container.appendChild(message);
        if (window.console) window.console.warn(error);
      });
  };

  Map.prototype.update = function (cities, fit) {
    this.pending = cities;
    if (!this.map) return;
    var container = this.container, layer = this.layer;
    layer.clearLayers();
    var largest = Math.max.apply(null, [1].concat(cities.map(function (c) { return c.audience; })));
    cities.forEach(function (city) {
      var marker = L.circleMarker([city.lat, city.lon], {
        radius: 5 + 25 * Math.sqrt(city.audience / largest),
        className: "city-marker" + (city.needs_help ? " city-needs-help" : ""),
        color: "#ffffff", weight: 1.5, fillOpacity: 0.8,
        fillColor: city.needs_help ? COLOURS.needs_help : (city.no_answer ? "#505a5f" : COLOURS.safe)
      });
      var text = document.createElement("span");
      text.setAttribute("dir", "auto");
      text.textContent = city.name + " — " + ["audience", "safe", "needs_help", "left", "no_answer"].map(function (key) {
        return (container.getAttribute("data-label-" + key) || key) + ": " + city[key];
      }).join(", ");
      marker.bindTooltip(text, { direction: "top" });
      marker.addTo(layer);
    });
    if (fit && cities.length) {
      var bounds = L.latLngBounds(cities.map(function (c) { return [c.lat, c.lon]; }));
      this.map.fitBounds(bounds.pad(0.5), { maxZoom: 7 });
    }
  };

  function start(section) {
    var url = section.getAttribute("data-url");
    var seconds = Math.max(2, parseInt(section.getAttribute("data-seconds"), 10) || 10);
    var status = document.getElementById("live-status");
    var chart = document.getElementById("answer-chart");
    var mapNode = document.getElementById("welfare-map");
    var map = mapNode ? new Map(mapNode) : null;
    var first = true;
    if (map) map.start();

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          updateCounts(data.counts);
          updateAreas(data.areas || []);
          if (chart) drawChart(chart, data.series || {});
          if (map) map.update(data.cities || [], first);
          first = false;
          section.setAttribute("data-updated", data.updated_at);
          if (status) status.textContent = new Date(data.updated_at).toLocaleTimeString();
        })
        .catch(function (error) {
          if (status) status.textContent = section.getAttribute("data-error") || "";
          if (window.console) window.console.warn(error);
        })
        .then(function () { window.setTimeout(poll, seconds * 1000); });
    }
    poll();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-welfare-live]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
