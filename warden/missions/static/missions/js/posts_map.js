/*
 * The console's map of posts: country outlines (no tile server) and one circle per post
 * in the colour of its status. The list on the page says the same in text.
 */
(function () {
  "use strict";

  function fail(container, error) {
    container.setAttribute("data-state", "error");
    var message = document.createElement("p");
    message.textContent = container.getAttribute("data-error") || "The map could not be loaded.";
    container.appendChild(message);
    if (window.console && error) window.console.warn(error);
  }

  function draw(container, data, outlines) {
    var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    var posts = data.posts || [];
    if (posts.length) {
      var bounds = L.latLngBounds(posts.map(function (p) { return [p.lat, p.lon]; }));
      map.fitBounds(bounds.pad(0.8), { maxZoom: 6 });
    } else {
      map.setView([30, 20], 2);
    }
    L.geoJSON(outlines, {
      style: function () {
        return { color: "#ffffff", weight: 0.6, fillColor: "#dcdcdc", fillOpacity: 1 };
      }
    }).addTo(map);
    var template = container.getAttribute("data-post-url");
    posts.forEach(function (post) {
      var marker = L.circleMarker([post.lat, post.lon], {
        radius: 9, className: "post-marker post-marker-" + post.status,
        fillColor: post.color, fillOpacity: 0.95, color: "#ffffff", weight: 2
      });
      var label = document.createElement("span");
      label.setAttribute("dir", "auto");
      label.textContent = post.name + " — " + post.label;
      marker.bindTooltip(label, { direction: "top" });
      if (template) {
        marker.on("click", function () {
          window.location.assign(template.replace("/0/", "/" + post.id + "/"));
        });
      }
      marker.addTo(map);
    });
    container.setAttribute("data-state", "ready");
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
    fetch(container.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("outlines: HTTP " + response.status);
        return response.json();
      })
      .then(function (outlines) { draw(container, data, outlines); })
      .catch(function (error) { fail(container, error); });
  }

  function init() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-post-map]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
