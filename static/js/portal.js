// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Send the CSRF token with every htmx request that changes state.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
  });

  onReady(function () {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy-target"));
        if (!field) return;
        var done = function () {
          var status = document.getElementById(button.getAttribute("data-copy-status"));
          if (status) status.textContent = button.getAttribute("data-copied-text") || "Copied";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () {
            field.select();
            document.execCommand("copy");
            done();
          });
        } else {
          field.select();
          document.execCommand("copy");
          done();
        }
      });
    });
  });
})();
