// Live chat on a case, for the reporter's status page and the counsellor's case page.
// The page works without this file (plain form posts). With it: messages go over a websocket, arrive live,
// survive a flaky connection (reconnect with backoff, resync after the last seen number, resend of anything
// not yet acknowledged under the same client id, so nothing is lost and nothing is stored twice).
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.WebSocket || !window.JSON) return;

  var role = root.dataset.role;                       // "reporter" or "staff": who I am
  var list = document.getElementById("messages");
  var empty = document.getElementById("messages-empty");
  var form = document.getElementById("chat-form");
  var textarea = form && form.querySelector("textarea[name=text]");
  var fileInput = form && form.querySelector("input[type=file]");
  var statusLine = document.getElementById("chat-status");
  var presenceLine = document.getElementById("chat-presence");
  var typingLine = document.getElementById("chat-typing");
  var lastSeq = parseInt(root.dataset.lastSeq || "0", 10);
  var pending = {};                                   // client_id -> text, until the server's copy arrives
  var others = {};                                    // presence ids of the other side currently connected
  var socket = null, retry = 0, typingTimer = null, lastTypingSent = 0, otherSeenSeq = 0;

  function showLatest() { if (list) list.scrollTop = list.scrollHeight; }  // the latest messages in view
  showLatest();
  window.addEventListener("load", showLatest);

  function text(el, key) { return el ? (el.dataset[key] || "") : ""; }

  function setStatus(state) {
    root.dataset.connection = state;
    if (statusLine) statusLine.textContent = text(statusLine, "text" + state.charAt(0).toUpperCase() + state.slice(1));
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function senderLabel(sender) {
    if (sender === "reporter") return text(root, role === "reporter" ? "labelMe" : "labelReporter");
    return text(root, sender === "staff" ? "labelStaff" : "labelSystem");
  }

  // Times are shown in the hotline's time zone (Asia/Ho_Chi_Minh), as the server renders them, not the phone's.
  var timeParts = null;
  try {
    timeParts = new Intl.DateTimeFormat("en-GB", {
      timeZone: root.dataset.timeZone || "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
      day: "2-digit", month: "2-digit", hour12: false
    });
  } catch (e) { timeParts = null; }

  function formatTime(iso) {
    var d = new Date(iso);
    if (!timeParts) return d.toISOString().slice(11, 16);
    var p = {};
    timeParts.formatToParts(d).forEach(function (part) { p[part.type] = part.value; });
    return p.hour + ":" + p.minute + " " + p.day + "/" + p.month;
  }

  function renderMessage(msg, isPending) {
    var li = document.createElement("li");
    li.className = "message message--" + msg.sender + (isPending ? " message--pending" : "");
    if (msg.seq) li.dataset.seq = msg.seq;
    li.dataset.clientId = msg.client_id;
    var meta = document.createElement("p");
    meta.className = "message__meta";
    meta.textContent = senderLabel(msg.sender) + " · " + (isPending ? text(root, "labelSending") : formatTime(msg.sent_at));
    var body = document.createElement("p");
    body.className = "message__text";
    body.textContent = msg.text;                        // never innerHTML: text is shown as text
    li.appendChild(meta);
    li.appendChild(body);
    return li;
  }

  function insertInOrder(li, seq) {
    var items = list.querySelectorAll("li[data-seq]");
    for (var i = 0; i < items.length; i++) {
      if (parseInt(items[i].dataset.seq, 10) > seq) { list.insertBefore(li, items[i]); return; }
    }
    var firstPending = list.querySelector("li.message--pending");
    list.insertBefore(li, firstPending);
  }

  function receiveMessage(msg) {
    if (empty) { empty.hidden = true; }
    var existing = list.querySelector('li[data-seq="' + msg.seq + '"]');
    var mine = list.querySelector('li.message--pending[data-client-id="' + CSS.escape(msg.client_id) + '"]');
    delete pending[msg.client_id];
    if (mine) mine.remove();
    if (!existing) insertInOrder(renderMessage(msg, false), msg.seq);
    if (msg.seq > lastSeq) lastSeq = msg.seq;
    if (msg.sender !== role) { markSeen(); if (typingLine) typingLine.hidden = true; }
    updateSeenMarks();
  }

  function markSeen() {
    if (document.visibilityState === "visible") send({ type: "seen", seq: lastSeq });
  }

  function updateSeenMarks() {
    list.querySelectorAll("li.message--" + role + "[data-seq]").forEach(function (li) {
      var seen = parseInt(li.dataset.seq, 10) <= otherSeenSeq;
      li.classList.toggle("message--seen", seen);
      if (seen) li.title = text(root, "labelSeen");
    });
  }

  function updatePresence() {
    if (!presenceLine) return;
    var here = Object.keys(others).length > 0;
    presenceLine.textContent = text(presenceLine, here ? "textHere" : "textAway");
    presenceLine.dataset.present = here ? "1" : "0";
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function sendMessage(clientId, body) {
    return send({ type: "message", client_id: clientId, text: body });
  }

  // The case changed (state, assignee, an escalation step, a liaison's question or answer): read this page again
  // and swap its live regions ([data-live-region] with an id), except one holding the focus (someone typing there).
  // The frame says nothing more: what a page shows is decided by the server, with this user's permissions.
  var refreshTimer = null;
  function refreshCase() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      fetch(location.pathname + location.search, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          Array.prototype.forEach.call(document.querySelectorAll("[data-live-region]"), function (region) {
            var next = fresh.getElementById(region.id);
            if (!next || region.contains(document.activeElement)) return;
            region.replaceWith(document.importNode(next, true));
          });
          document.dispatchEvent(new CustomEvent("case:refreshed"));
        })
        .catch(function () { /* the next change or a reload shows it */ });
    }, 250);
  }

  function connect() {
    setStatus("connecting");
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.ws);
    socket.onopen = function () {
      if (retry > 0) refreshCase();                   // a change may have passed while we were away
      retry = 0;
      setStatus("live");
      send({ type: "resync", after_seq: lastSeq });
      Object.keys(pending).forEach(function (id) { sendMessage(id, pending[id]); });
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "message") receiveMessage(frame);
      else if (frame.type === "case") refreshCase();
      else if (frame.type === "resync" && frame.more) send({ type: "resync", after_seq: frame.last_seq });
      else if (frame.type === "typing" && frame.sender !== role && typingLine) {
        typingLine.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typingLine.hidden = true; }, 4000);
      } else if (frame.type === "seen" && frame.sender !== role) {
        otherSeenSeq = Math.max(otherSeenSeq, frame.seq);
        updateSeenMarks();
      } else if (frame.type === "presence" && frame.sender !== role) {
        if (frame.online) others[frame.id] = true; else delete others[frame.id];
        updatePresence();
      } else if (frame.type === "error" && frame.client_id && pending[frame.client_id] !== undefined &&
                 frame.code !== "rate_limited") {
        var li = list.querySelector('li.message--pending[data-client-id="' + CSS.escape(frame.client_id) + '"]');
        if (li) { li.classList.add("message--failed"); li.querySelector(".message__meta").textContent = frame.message; }
        if (textarea && !textarea.value) textarea.value = pending[frame.client_id];  // give the words back
        delete pending[frame.client_id];
      }
    };
    socket.onclose = function () {
      others = {};
      updatePresence();
      setStatus("offline");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.pow(2, retry) * 400 + Math.random() * 400);
    };
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      var body = textarea.value.trim();
      var hasFiles = fileInput && fileInput.files && fileInput.files.length > 0;
      // Files, or no live connection: the ordinary form post does the job (and keeps what was typed on error).
      if (hasFiles || !body || !socket || socket.readyState !== WebSocket.OPEN) return;
      event.preventDefault();
      var clientId = newClientId();
      pending[clientId] = body;
      if (empty) empty.hidden = true;
      list.appendChild(renderMessage({ sender: role, client_id: clientId, text: body }, true));
      sendMessage(clientId, body);
      textarea.value = "";
      textarea.focus();
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent > 2500) { lastTypingSent = now; send({ type: "typing" }); }
    });
  }
  document.addEventListener("visibilitychange", function () { if (lastSeq) markSeen(); });
  updatePresence();
  connect();
})();
