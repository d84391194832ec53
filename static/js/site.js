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

  // A form marked data-send-once sends once: its buttons are disabled while it is sent (the server also refuses a
  // second case from the same form, see hotline/form_tokens.py).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-send-once") || event.defaultPrevented) return;
    if (form.getAttribute("data-sending")) { event.preventDefault(); return; }
    form.setAttribute("data-sending", "1");
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {  // after the browser has taken the submit button's value
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type])"), function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // The page came back from the back/forward cache: let the form be sent again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      form.removeAttribute("data-sending");
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = false; });
    });
  });

  // Character counters: shown from 80 % of a box's limit; above it, a clear warning (the server refuses too).
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return String(values[name]); });
  }
  function setUpCounter(box) {
    var max = parseInt(box.getAttribute("data-maxlength"), 10);
    if (!max) return;
    var counter = document.createElement("p");
    counter.className = "field__counter";
    counter.id = box.id + "_counter";
    counter.hidden = true;
    box.insertAdjacentElement("afterend", counter);
    var wasOver = false;
    function update() {
      var count = box.value.length;
      var over = count - max;
      counter.hidden = count < max * 0.8;
      counter.classList.toggle("field__counter--over", over > 0);
      counter.textContent = over > 0
        ? fill(box.getAttribute("data-count-over") || "%(over)s", {over: over})
        : fill(box.getAttribute("data-count-text") || "%(count)s / %(max)s", {count: count, max: max});
      if (over > 0 && !wasOver) counter.setAttribute("role", "alert");
      if (over <= 0) counter.removeAttribute("role");
      wasOver = over > 0;
    }
    box.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-maxlength]"), setUpCounter);
  });
})();
