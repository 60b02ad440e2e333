/*
 * The console's incident map: country outlines (Natural Earth, no tile server) and one
 * marker per place, with the number of incidents there. Everything on the map is also in
 * the list under it. Data comes from data-map-data, written by the page.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function popup(point, urlTemplate) {
    var box = el("div", "map-label");
    box.setAttribute("dir", "auto");
    box.appendChild(el("strong", "", point.label));
    var list = el("ul", "plain");
    point.incidents.forEach(function (item) {
      var li = el("li");
      var link = el("a", "", item.title);
      link.href = urlTemplate.replace("/0/", "/" + item.id + "/");
      li.appendChild(link);
      li.appendChild(document.createTextNode(" (" + item.date + ", " + item.type + ")"));
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function marker(point) {
    var size = point.count > 9 ? 36 : 28;
    var label = el("span", "", String(point.count));
    return L.marker([point.lat, point.lon], {
      title: point.label,
      icon: L.divIcon({ className: "incident-marker", html: label, iconSize: [size, size] })
    });
  }

  function fail(container, error) {
    container.setAttribute("data-state", "error");
    container.appendChild(el("p", "map-error", container.getAttribute("data-error")));
    if (window.console && error) window.console.warn(error);
  }

  function start(container) {
    var data = JSON.parse(container.getAttribute("data-map-data") || "{}");
    var map = L.map(container, { minZoom: 1, maxZoom: 12, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    var markers = (data.points || []).map(function (point) {
      return marker(point).bindPopup(popup(point, data.url));
    });
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [40, 40], maxZoom: 8 });
    } else {
      map.setView([30, 30], 3);
    }
    container.setAttribute("data-state", "loading");
    return fetch(container.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("outlines: HTTP " + response.status);
        return response.json();
      })
      .then(function (outlines) {
        L.geoJSON(outlines, {
          style: function () {
            return { color: "#ffffff", weight: 0.6, fillColor: "#e4e7e9", fillOpacity: 1 };
          }
        }).addTo(map);
        markers.forEach(function (m) { m.addTo(map); });
        container.setAttribute("data-state", "ready");
      })
      .catch(function (error) { fail(container, error); });
  }

  function init() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-incident-map]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
