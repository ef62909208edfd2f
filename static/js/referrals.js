// Referral pages: take the referral code and UTM tags from the address into the
// sign-up form (static pages have no server to do it), and the card's print button.
// Nothing here is needed to sign up: the code can always be typed in by hand.
(function () {
  "use strict";

  var TAGS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function fillFromAddress(form, params) {
    var code = field(form, "code");
    var source = field(form, "code_source");
    var ref = params.get("ref") || params.get("code");
    if (code && ref && !code.value) {
      code.value = ref.slice(0, 32);
      if (source) source.value = "address";
      var heard = field(form, "how_heard");
      if (heard && !heard.value) heard.value = "patient_referral";
    }
    TAGS.forEach(function (name) {
      var input = field(form, name);
      var value = params.get(name);
      if (input && value && !input.value) input.value = value.slice(0, 100);
    });
  }

  onReady(function () {
    document.querySelectorAll("form[data-signup-form]").forEach(function (form) {
      if (form.hasAttribute("data-fill-from-address")) {
        fillFromAddress(form, new URLSearchParams(window.location.search));
      }
      var code = field(form, "code");
      var source = field(form, "code_source");
      if (code && source) {
        code.addEventListener("input", function () { source.value = "typed"; });
      }
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
