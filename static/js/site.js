// Small progressive enhancements for the public pages. Every page works without this file.
(function () {
  "use strict";

  // Quick exit: leave at once and replace this page in the history, so "back" does not bring it back.
  function quickExit(event) {
    var link = document.getElementById("quick-exit");
    if (!link) return;
    if (event) event.preventDefault();
    try { document.body.innerHTML = ""; } catch (e) { /* nothing to hide */ }
    window.location.replace(link.href);
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("#quick-exit");
    if (target) quickExit(event);
  });
  // Pressing Escape twice quickly also leaves.
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 600) quickExit(event);
    lastEscape = now;
  });

  // The receipt link carries the reference and code in the fragment (#r=...&c=...), which never reaches a
  // server. On the look-up page we read it, fill the form, remove it from the address bar and submit.
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("status-form");
    if (form && window.location.hash.length > 1) {
      var params = new URLSearchParams(window.location.hash.slice(1));
      var reference = params.get("r"), code = params.get("c");
      history.replaceState(null, "", window.location.pathname);
      if (reference && code) {
        form.querySelector("[name=reference]").value = reference;
        form.querySelector("[name=access_code]").value = code;
        form.submit();
      }
    }
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    // A resend of the same note (double tap, flaky network) is stored once: give each form a client id.
    var clientId = document.querySelector("input[name=client_id]");
    if (clientId && !clientId.value && window.crypto && crypto.randomUUID) clientId.value = crypto.randomUUID();
  });
})();
