// Staff-wide alerts: the paging of urgent cases nobody claimed. The server sends the whole list of this user's
// open pages over /ws/staff/ (on connect and whenever it changes); the banner shows exactly that list.
(function () {
  "use strict";
  var region = document.getElementById("staff-alerts");
  var list = document.getElementById("staff-alerts-list");
  var template = document.getElementById("staff-alert-template");
  if (region && list && template && window.WebSocket) {
    var retry = 0, shown = {};

    var beep = function () {
      try {
        var Ctx = window.AudioContext || window.webkitAudioContext;
        var ctx = new Ctx(), osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.frequency.value = 880; gain.gain.value = 0.2;
        osc.connect(gain); gain.connect(ctx.destination);
        osc.start(); osc.stop(ctx.currentTime + 0.8);
      } catch (e) { /* the banner is the cue; sound may be blocked until the user interacts */ }
    };

    var render = function (pages) {
      var fresh = false, seen = {};
      list.textContent = "";
      pages.forEach(function (page) {
        var key = page.id;
        seen[key] = true;
        if (!shown[key]) fresh = true;
        var item = template.content.firstElementChild.cloneNode(true);
        item.dataset.reference = page.reference;
        item.querySelector(".staff-alert__text").textContent = region.dataset.text
          .replace("{reference}", page.reference).replace("{round}", String(page.round));
        item.querySelector(".staff-alert__link").href = region.dataset.caseUrl.replace("REFERENCE", page.reference);
        var form = item.querySelector(".staff-alert__ack");
        if (form) form.action = region.dataset.ackUrl.replace("REFERENCE", page.reference);
        list.appendChild(item);
      });
      shown = seen;
      region.classList.toggle("has-alerts", pages.length > 0);
      document.title = (pages.length ? "(!) " : "") + document.title.replace(/^\(!\) /, "");
      if (fresh) beep();
    };

    // Supervisors: escalations awaiting their approval, kept live (the server renders the first figure).
    var showApprovals = function (count) {
      var badge = document.getElementById("approvals-count");
      if (!badge) return;
      badge.textContent = String(count);
      document.getElementById("approvals-waiting").classList.toggle("has-waiting", count > 0);
    };

    var connect = function () {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + location.host + region.dataset.socket);
      socket.onopen = function () { retry = 0; };
      socket.onmessage = function (event) {
        var data = JSON.parse(event.data);
        if (data.type === "pages") render(data.pages);
        else if (data.type === "count" && data.name === "approvals") showApprovals(data.count);
      };
      socket.onclose = function (event) {
        if (event.code === 4401) { location.reload(); return; }  // signed out elsewhere: the page goes to sign-in
        if (event.code === 4403) return;  // not allowed: do not insist
        retry = Math.min(retry + 1, 6);
        setTimeout(connect, 500 * Math.pow(2, retry));
      };
    };
    connect();
  }

  // Web push: the duty page's button subscribes this browser.
  var button = document.getElementById("push-enable");
  var status = document.getElementById("push-status");
  if (!button) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) { button.disabled = true; return; }
  var keyBytes = function (base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  };
  button.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    navigator.serviceWorker.register(button.dataset.workerUrl)
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.vapidKey)
        });
      })
      .then(function (subscription) {
        return fetch(button.dataset.subscribeUrl, {
          method: "POST", credentials: "same-origin", body: JSON.stringify(subscription),
          headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" }
        });
      })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        status.textContent = button.dataset.textDone;
      })
      .catch(function () { status.textContent = button.dataset.textFailed; });
  });
})();
