// Service worker for staff web push: shows the (content-free) notice and opens the hotline when it is clicked.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "!", {
    body: data.body || "", tag: data.tag || "hotline-page", renotify: true, requireInteraction: true,
    data: { url: data.url || "/staff/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/staff/";
  event.waitUntil(self.clients.openWindow(url));
});
