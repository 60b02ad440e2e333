/* Live preview for the edition editor.
 *
 * Progressive enhancement: without this script the editor's "Preview" button submits the
 * form and the server renders the same preview. With it, the form is posted to the preview
 * endpoint while the analyst types, and the returned HTML replaces the preview panel.
 */
(function () {
  "use strict";

  var form = document.getElementById("edition-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var target = document.getElementById("preview");
  var status = form.querySelector("[data-preview-status]");
  var button = form.querySelector("[data-preview-button]");
  var failed = form.getAttribute("data-preview-failed") || "";
  var timer = null;
  var latest = 0;

  function refresh() {
    var request = ++latest;
    var data = new FormData(form);
    data.delete("save");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("preview failed: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (request === latest) {
          target.innerHTML = html;
          form.setAttribute("data-preview-state", "fresh");
        }
      })
      .catch(function () {
        if (request === latest && status) {
          status.textContent = failed;
        }
      });
  }

  function schedule() {
    form.setAttribute("data-preview-state", "pending");
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 350);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  if (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      refresh();
    });
  }
})();
