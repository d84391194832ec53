// Liaison portal: a websocket says "an escalation of your agency arrived or changed". The list fetches its rows
// again from the server; an escalation's page says that it changed, so what the liaison is typing is never lost.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var list = document.getElementById("liaison-list");
  var page = document.getElementById("liaison-escalation");
  if (!status || !window.WebSocket || (!list && !page)) return;
  var retry = 0, refreshTimer = null;

  function setStatus(state) {
    status.dataset.state = state;
    status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  function refreshList() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      fetch(list.dataset.fragmentUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { document.getElementById("liaison-rows").innerHTML = html; })
        .catch(function () { setStatus("offline"); });
    }, 150);
  }

  function changed(data) {
    if (list) refreshList();
    if (page && String(data.id) === page.dataset.escalation) {
      document.getElementById("changed-notice").hidden = false;
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/liaison/");
    socket.onopen = function () {
      if (retry > 0 && list) refreshList();  // catch up on what happened while we were away
      retry = 0; setStatus("live");
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "escalation") changed(data);
    };
    socket.onclose = function (event) {
      if (event.code === 4401) { location.reload(); return; }  // signed out elsewhere: the page goes to sign-in
      setStatus("offline");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.pow(2, retry) * 500 + Math.random() * 500);
    };
  }
  connect();
})();
