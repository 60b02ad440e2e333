/*
 * The case clocks: time since the request for help, ticking every second.
 * The server renders a first value; this keeps it current.
 */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function elapsed(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var days = Math.floor(s / 86400);
    var hours = Math.floor((s % 86400) / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    var text = pad(hours) + ":" + pad(minutes) + ":" + pad(s % 60);
    return days > 0 ? days + "d " + text : text;
  }

  function tick(clocks) {
    var now = Date.now();
    clocks.forEach(function (clock) {
      var since = Date.parse(clock.getAttribute("data-since"));
      if (!isNaN(since)) clock.textContent = elapsed((now - since) / 1000);
    });
  }

  function init() {
    var clocks = Array.prototype.slice.call(document.querySelectorAll(".case-clock[data-since]"));
    if (!clocks.length) return;
    tick(clocks);
    window.setInterval(function () { tick(clocks); }, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
