// Refresh a message's progress counts every two seconds while it is being sent.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data).forEach(function (key) {
          // The counts, and the message's status in the line above them.
          document.querySelectorAll('[data-count="' + key + '"]').forEach(function (cell) {
            cell.textContent = data[key] === null ? "—" : String(data[key]);
          });
        });
        if (data.queued + data.sending > 0 || data.expanding) { window.setTimeout(refresh, 2000); }
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  window.setTimeout(refresh, 2000);
}());
