/*
 * Maps of the public site, drawn with Leaflet from Natural Earth outlines (no tile server).
 *
 * Each map is an element with data-map="world" or data-map="country", data-outlines (the
 * GeoJSON URL) and data-map-data (JSON written by the page). The map only repeats what
 * the page says in text: every level shown here is also in a list or table.
 */
(function () {
  "use strict";

  var NO_LEVEL = "#d5d9dc";
  var BORDER = "#ffffff";
  var CONTEXT = "#e4e7e9";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function label(title, detail) {
    var box = el("span", "map-label");
    box.setAttribute("dir", "auto");
    box.appendChild(el("strong", "", title));
    if (detail) {
      box.appendChild(document.createElement("br"));
      box.appendChild(el("span", "", detail));
    }
    return box;
  }

  function fail(container, error) {
    container.setAttribute("data-state", "error");
    var message = container.getAttribute("data-error") || "The map could not be loaded.";
    container.appendChild(el("p", "map-error", message));
    if (window.console && error) window.console.warn(error);
  }

  function loadOutlines(container) {
    return fetch(container.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("outlines: HTTP " + response.status);
        return response.json();
      });
  }

  function baseMap(container, options) {
    var map = L.map(container, Object.assign({
      attributionControl: true,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      worldCopyJump: false,
      preferCanvas: false
    }, options));
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    return map;
  }

  function markPath(layer, code, level) {
    var path = layer.getElement && layer.getElement();
    if (!path) return;
    if (code) path.setAttribute("data-country", code);
    if (level) path.setAttribute("data-level", String(level));
  }

  function worldMap(container, data, outlines) {
    var scale = data.scale || {};
    var levels = data.levels || {};
    var names = data.names || {};
    var urlTemplate = container.getAttribute("data-country-url");
    var noLevel = container.getAttribute("data-no-level") || "";
    var map = baseMap(container, {
      minZoom: 1,
      maxZoom: 7,
      maxBounds: [[-65, -220], [88, 220]],
      maxBoundsViscosity: 0.8
    });
    var layer = L.geoJSON(outlines, {
      filter: function (feature) {
        return feature.id !== "AQ" || Boolean(levels.AQ);
      },
      style: function (feature) {
        var level = levels[feature.id];
        var classes = "country" + (feature.id ? " country-" + feature.id : "");
        if (level) classes += " level-" + level;
        return {
          className: classes,
          color: BORDER,
          weight: 0.6,
          fillColor: level && scale[level] ? scale[level].color : NO_LEVEL,
          fillOpacity: 1
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var code = feature.id;
        var level = levels[code];
        var name = (code && names[code]) || feature.properties.name;
        var detail = level && scale[level] ? scale[level].label : noLevel;
        featureLayer.bindTooltip(label(name, detail), { sticky: true, direction: "top" });
        if (code && names[code] && urlTemplate) {
          featureLayer.on("click", function () {
            window.location.assign(urlTemplate.replace("XX", code));
          });
        }
        featureLayer.on("add", function () { markPath(featureLayer, code, level); });
      }
    });
    map.fitBounds([[-50, -170], [78, 180]]);
    layer.addTo(map);
    return layer;
  }

  function largestPartBounds(layer) {
    var bounds = layer.getBounds();
    if (bounds.getEast() - bounds.getWest() <= 180) return bounds;
    // Split at longitude 180 (Russia, Fiji): frame the largest part.
    var best = null;
    var bestSize = -1;
    layer.getLatLngs().forEach(function (part) {
      var partBounds = L.latLngBounds(L.LineUtil.isFlat(part) ? part : part[0]);
      var size = (partBounds.getEast() - partBounds.getWest()) *
        (partBounds.getNorth() - partBounds.getSouth());
      if (size > bestSize) {
        best = partBounds;
        bestSize = size;
      }
    });
    return best || bounds;
  }

  function countryMap(container, data, outlines) {
    var map = baseMap(container, { minZoom: 1, maxZoom: 10 });
    var target = null;
    var countries = L.geoJSON(outlines, {
      style: function (feature) {
        var own = feature.id === data.country;
        return {
          className: "country" + (feature.id ? " country-" + feature.id : "") +
            (own ? " country-current" : ""),
          color: own ? "#0b0c0c" : BORDER,
          weight: own ? 1.5 : 0.6,
          fillColor: own && data.level ? data.level.color : CONTEXT,
          fillOpacity: 1
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var own = feature.id === data.country;
        if (own) target = featureLayer;
        featureLayer.on("add", function () {
          markPath(featureLayer, feature.id, own && data.level ? data.level.number : null);
        });
      }
    });
    // A Leaflet map needs its view before layers are added.
    if (target) {
      map.fitBounds(largestPartBounds(target), { padding: [16, 16], maxZoom: 8 });
    } else {
      map.setView([20, 0], 1);
    }
    countries.addTo(map);
    (data.areas || []).forEach(function (area) {
      var style = {
        className: "area area-" + area.code + " level-" + area.level,
        color: "#0b0c0c",
        weight: 1.5,
        dashArray: "4 3",
        fillColor: area.color,
        fillOpacity: 0.85
      };
      var shape = area.type === "circle"
        ? L.circle(area.center, Object.assign({ radius: area.radius_m }, style))
        : L.geoJSON(area.geometry, { style: function () { return style; } });
      shape.bindTooltip(label(area.label), { sticky: true });
      shape.addTo(map);
    });
  }

  function start(container) {
    var data;
    try {
      data = JSON.parse(container.getAttribute("data-map-data") || "{}");
    } catch (error) {
      fail(container, error);
      return;
    }
    container.setAttribute("data-state", "loading");
    loadOutlines(container)
      .then(function (outlines) {
        if (container.getAttribute("data-map") === "world") {
          worldMap(container, data, outlines);
        } else {
          countryMap(container, data, outlines);
        }
        container.setAttribute("data-state", "ready");
      })
      .catch(function (error) { fail(container, error); });
  }

  function init() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
