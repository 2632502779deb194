// Site-wide behaviour. No inline scripts anywhere: the CSP allows scripts from our origin only.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("is-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // One way for every filter that submits on change (news list, dashboard year …).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // An article counts its reader once the page is shown (cached pages count too).
    var beacon = document.querySelector("[data-read-beacon]");
    if (beacon && navigator.sendBeacon) { navigator.sendBeacon(beacon.getAttribute("data-read-beacon")); }
    // Print buttons (the leaders' dashboard): no inline handlers under the CSP.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
