/* Careline service worker: shows Web Push notifications (also with the tab closed) and opens the
   conversation on click. No offline caching of API data: agents must never act on stale conversations. */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch { data = { title: 'Careline', body: event.data ? event.data.text() : '' }; }
  const title = data.title || 'Careline';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || '', tag: data.tag, renotify: Boolean(data.tag), icon: '/icon-192.png', badge: '/icon-192.png',
    data: { url: data.url || '/', conversationId: data.conversationId, kind: data.kind },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin === self.location.origin) {
        await client.focus();
        client.postMessage({ type: 'open', url });
        return;
      }
    }
    await self.clients.openWindow(url);
  })());
});

// A fetch handler makes the app installable; network first, the shell from cache only when offline.
const SHELL = 'careline-shell-v1';
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || req.mode !== 'navigate') return;
  event.respondWith((async () => {
    try {
      const res = await fetch(req);
      const cache = await caches.open(SHELL);
      cache.put('/', res.clone()).catch(() => {});
      return res;
    } catch {
      return (await caches.match('/')) || Response.error();
    }
  })());
});
