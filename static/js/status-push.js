// Web push on the status page: the reporter picks a neutral title and turns notifications on or off for this
// device. The page works without it (the section stays hidden); nothing here is sent but the subscription.
(function () {
  var box = document.getElementById("reporter-push");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.fetch) return;
  box.hidden = false;
  var state = document.getElementById("push-state");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var keyBytes = function (base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  };
  var post = function (url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) { if (!response.ok) throw new Error(String(response.status)); });
  };
  var registration = navigator.serviceWorker.register(box.dataset.workerUrl, { scope: "/status/" });
  document.getElementById("push-on").addEventListener("click", function () {
    registration
      .then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) });
      })
      .then(function (subscription) {
        var body = JSON.parse(JSON.stringify(subscription));
        body.title = document.getElementById("push-title").value;
        return post(box.dataset.subscribeUrl, body);
      })
      .then(function () { state.textContent = box.dataset.textDone; })
      .catch(function () { state.textContent = box.dataset.textFailed; });
  });
  document.getElementById("push-off").addEventListener("click", function () {
    registration
      .then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) return null;
        var body = JSON.parse(JSON.stringify(subscription));
        return subscription.unsubscribe().then(function () { return post(box.dataset.unsubscribeUrl, body); });
      })
      .then(function () { state.textContent = box.dataset.textOff; })
      .catch(function () { state.textContent = box.dataset.textFailed; });
  });
})();
