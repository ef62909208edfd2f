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

  // A table wider than the phone scrolls inside its wrapper; let keyboard
  // users reach and scroll it, and name it for screen readers.
  function labelScrollers(root) {
    root.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var section = wrap.closest("section");
      var heading = section && section.querySelector("h2, h3");
      var caption = wrap.querySelector("caption");
      var name = (caption || heading || {}).textContent;
      if (name) wrap.setAttribute("aria-label", name.trim());
    });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    labelScrollers(event.target);
  });

  onReady(function () {
    labelScrollers(document);
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
