// Live operator queue: a websocket says "something changed"; the rows are fetched again from the server with
// the page's own filters, so the server stays the only place that decides what the queue shows.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  var status = document.getElementById("live-status");
  var alertBox = document.getElementById("alert-p1");
  // The filters are folded (a phone's first screen shows cases); a wide screen has room to show them open.
  var fold = document.querySelector(".filters-fold");
  if (fold && window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) fold.open = true;
  if (!table || !window.WebSocket) return;
  var live = table.dataset.live === "1";
  var retry = 0, refreshTimer = null;

  function setStatus(state) {
    status.dataset.state = state;
    status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  function refresh() {
    if (!live) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      fetch(table.dataset.fragmentUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { document.getElementById("queue-rows").innerHTML = html; })
        .catch(function () { setStatus("offline"); });
    }, 150);
  }

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx(), osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.6);
    } catch (e) { /* sound is a bonus; the banner is the cue */ }
  }

  function announceUrgent(reference) {
    alertBox.hidden = false;
    alertBox.textContent = alertBox.dataset.text.replace("%s", reference);
    document.title = "(!) " + document.title.replace(/^\(!\) /, "");
    beep();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/queue/");
    socket.onopen = function () {
      if (retry > 0) refresh();  // catch up on what happened while we were away
      retry = 0; setStatus("live");
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type !== "case") return;
      if (data.priority === 1 && data.change === "created") announceUrgent(data.reference);
      refresh();
    };
    socket.onclose = function () {
      setStatus("offline");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.pow(2, retry) * 500 + Math.random() * 500);
    };
  }
  connect();
})();
