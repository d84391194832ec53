// The status page's service worker: shows a content-free notice with the title the reporter chose, and opens
// /status/ when it is tapped, where the access code must be entered again. Nothing here names a case or a hotline.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "1", {
    body: data.body || "", tag: data.tag || "n", data: { url: "/status/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/status/"));
});
